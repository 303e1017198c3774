import ArgumentParser
import Foundation
import Letters

struct Synth: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make noisy letter strips like the course's test set, with their labels.",
        discussion: """
        Writes OUT (an N×30×W float32 .npy) and, beside it, OUT-labels.csv (one label per line, two digits \
        per letter). Letters are taken at random from --data; spacing (gaps, touching, overlapping letters) \
        and pepper noise are drawn from --seed.

        Example:
          letternet synth --data letters.npz --count 1000 --seed 7 --out strips.npy
        """)

    @Option(name: .long, parsing: .singleValue, help: "Letters file to draw from (repeat to combine).")
    var data: [String] = []
    @Option(help: "Number of strips.") var count = 1000
    @Option(help: "Letters per strip.") var letters = 5
    @Option(help: "Strip width in pixels (default: 30 per letter).") var width: Int?
    @Option(help: "Seed.") var seed: UInt64 = 1
    @Option(help: "Layout and noise: cohort (the real course files: whole letter boxes on a jittered pitch, deep overlaps, ~10% salt-heavy replacement noise) or classic (ink-cropped letters with small gaps, or tiles; 1–4% pepper noise).")
    var layout: StripLayoutOption = .classic
    @Option(help: "Output .npy file.") var out = "strips.npy"

    func validate() throws {
        if data.isEmpty { throw ValidationError("give at least one --data FILE") }
        if count < 1 { throw ValidationError("--count must be at least 1") }
        if !(1...12).contains(letters) { throw ValidationError("--letters must be between 1 and 12") }
        if let width, width < 28 { throw ValidationError("--width must be at least 28") }
    }

    func run() throws {
        try reportingErrors {
            let source = LetterDataset.concatenated(try data.map { try LetterDataset.load(url: URL(fileURLWithPath: $0)) })
            let synth = layout == .cohort ? StripSynthesizer.realCohort(letters: letters, width: width ?? 28 * (letters + 1))
                : StripSynthesizer(letters: letters, width: width)
            let (strips, labels, _) = synth.makeSet(from: source, count: count, seed: seed)
            let outURL = URL(fileURLWithPath: out)
            try strips.write(to: outURL)
            let labelsURL = Self.labelsURL(for: outURL)
            try LabelsFile.write(labels, to: labelsURL)
            print("wrote \(outURL.path) (\(count)×\(strips.height)×\(strips.width)) and \(labelsURL.path)")
        }
    }

    /// `strips.npy` → `strips-labels.csv`.
    static func labelsURL(for strips: URL) -> URL {
        strips.deletingLastPathComponent()
            .appendingPathComponent(strips.deletingPathExtension().lastPathComponent + "-labels.csv")
    }
}


enum StripLayoutOption: String, ExpressibleByArgument, CaseIterable {
    case classic, cohort
}
