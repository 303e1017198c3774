import ArgumentParser
import Foundation
import FileIO
import LetterFormats
import Letters
import NeuralNet

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make noisy letter strips like the course's test set, with their labels.",
        discussion: """
        Writes OUT (an N×30×W float32 .npy) and, beside it, OUT-labels.csv (one label per line, two digits \
        per letter). Letters are taken at random from --data; spacing (gaps, touching, overlapping letters) \
        and pepper noise are drawn from --seed. --png DIR also writes each strip as an 8-bit PNG image \
        (DIR/strip-00001.png …, values clamped to 0…255), to try predict on images. --centres also writes \
        OUT-centres.csv, the column of each letter's ink centre, for `score --centres`.

        Example:
          letternet synth --data letters.npz --count 1000 --seed 7 --out strips.npy
          letternet synth --data letters.npz --count 20 --png strip-images
        """)

    @OptionGroup var data: LetterFiles
    @Option(parsing: .unconditional, help: "Number of strips.") var count = 1000
    @Option(parsing: .unconditional, help: "Letters per strip.") var letters = StripGeometry.standard.defaultLetters
    @Option(parsing: .unconditional, help: "Strip width in pixels (default: \(StripGeometry.standard.classicPitch) per letter; with --layout cohort \(StripGeometry.standard.boxSize) · (letters + 1)).")
    var width: Int?
    @OptionGroup var seed: SeedChoice<SynthesisSeeds>
    @Option(help: "Layout and noise: cohort (the real course files: whole letter boxes on a jittered pitch, deep overlaps, ~10% salt-heavy replacement noise) or classic (ink-cropped letters with small gaps, or tiles; 1–4% pepper noise).")
    var layout: StripLayoutOption = .classic
    @Option(help: "Output .npy file.") var out = PathArgument("strips.npy")
    @Option(help: "Also write each strip as an 8-bit PNG into this folder (made if missing).") var png: PathArgument?
    @Flag(help: "Also write OUT-centres.csv beside OUT: the strip column of each letter's ink centre (for score --centres).")
    var centres = false

    /// Every numeric option and the values it accepts (checked before anything is read).
    var optionRanges: [OptionRange] {
        [.int("--count", count, 1...1_000_000),
         .int("--letters", letters, 1...12),
         .int("--width", width, StripGeometry.standard.boxSize...4096)]
    }

    /// The strip width: --width, or the layout's default for --letters.
    var stripWidth: Int {
        width ?? (layout == .cohort ? StripGeometry.standard.cohortWidth(letters: letters) : StripGeometry.standard.classicWidth(letters: letters))
    }

    func validate() throws {
        try optionRanges.check()
        // The strips are held as float32 and written as one .npy, which must stay readable (2 GiB).
        let bytes = Double(count) * Double(StripGeometry.standard.height * stripWidth) * 4
        if bytes > Double(LettersLimits.maxBytes) {
            throw ValidationError(String(format: "--count %d of %d×%d strips would make a %.1f GB file, above the %.0f GB that letternet reads; lower --count or --width",
                                         count, StripGeometry.standard.height, stripWidth, bytes / 1e9, Double(LettersLimits.maxBytes) / 1e9))
        }
        try MemoryBudget.check(2 * bytes, for: "\(count) strips of \(StripGeometry.standard.height)×\(stripWidth)", lower: "--count")
    }

    func run() throws {
        try reportingErrors {
            let outURL = out.url, labelsURL = Self.labelsURL(for: outURL), centresURL = Self.centresURL(for: outURL)
            let pngURLs = png.map { folder in
                (1...count).map { folder.url.appendingPathComponent(String(format: "strip-%05d.png", $0)) }
            } ?? []
            if let png, !FileManager.default.fileExists(atPath: png.path) {
                do { try FileManager.default.createDirectory(at: png.url, withIntermediateDirectories: true) } catch {
                    throw CLIFailure("\(png): cannot make the folder for --png")
                }
            }
            try OutputGuard.check(outputs: [.init("--out", out.path), .init("the labels file beside --out", labelsURL.path)]
                                    + (centres ? [.init("the centres file beside --out", centresURL.path)] : [])
                                    + pngURLs.map { .init("--png", $0.path) },
                                  inputs: data.inputs)
            let source = try data.load(for: "synth")
            let synth = layout == .cohort ? StripSynthesizer.realCohort(letters: letters, width: stripWidth)
                : StripSynthesizer(letters: letters, width: stripWidth)
            let (strips, labels, inkCentres) = synth.makeSet(from: source, count: count, seed: seed.value)
            let images = try pngURLs.indices.map { i in
                (Data(try PNGFile.encode(GrayImage(width: strips.width, height: strips.height, values: strips.strip(at: i)))), pngURLs[i])
            }
            // The strips, their labels and images are one result: every file is written, or none.
            try AtomicFile.write([(NPY.encode(strips.array()), outURL),
                                  (try LabelsFile.encode(labels, file: labelsURL.path), labelsURL)]
                                 + (centres ? [(try CentresFile.encode(inkCentres, file: centresURL.path), centresURL)] : []) + images)
            print("wrote \(outURL.path) (\(count)×\(strips.height)×\(strips.width)) and \(labelsURL.path)"
                  + (centres ? " and \(centresURL.path)" : "")
                  + (png.map { " and \(count) PNG images in \($0)" } ?? ""))
        }
    }

    /// `strips.npy` → `strips-labels.csv`.
    static func labelsURL(for strips: URL) -> URL { beside(strips, "-labels.csv") }

    /// `strips.npy` → `strips-centres.csv`.
    static func centresURL(for strips: URL) -> URL { beside(strips, "-centres.csv") }

    static func beside(_ strips: URL, _ suffix: String) -> URL {
        strips.deletingLastPathComponent().appendingPathComponent(strips.deletingPathExtension().lastPathComponent + suffix)
    }
}


enum StripLayoutOption: String, ExpressibleByArgument, CaseIterable {
    case classic, cohort
}
