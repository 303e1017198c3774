import ArgumentParser
import Foundation
import LetterFormats
import Letters
import NeuralNet

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read letter strips and write prediction.csv.",
        discussion: """
        Reads an N×30×W .npy of strips (any numeric dtype; values above 255 allowed), or PNG and JPEG \
        images of one strip each (a file, or a folder read in file-name order), and writes one row per \
        strip, in input order: the 5 most probable complete readings, best first, each as two digits per \
        letter (A=01 … Z=26), comma-separated, no header. The file is written atomically. An image 30 px \
        tall is read as a strip as it is (inverted if it is dark on light); any other image (a photo of \
        handwriting) is made into one: inverted when dark on light, its uneven background removed, contrast \
        stretched, its ink scaled to the strips' 24-px letter height. --letters auto reads each strip's \
        number of letters too (the 5 best readings over every count in --letters-range, with a per-letter \
        log prior), so a row's guesses may differ in length. Without --strips it reads the shipped demo, \
        500 strips of real handwriting laid out like the course files (Demo/real-strips.npz), and prints how \
        well it read them (--font-demo: \(DemoStrips.defaultCount) strips drawn from Hershey-font letters instead). --report also writes an HTML page showing a sample of strips with their guesses, \
        close calls flagged. A .npy is read \(ChunkedStrips.defaultChunkSize) strips at a time, so its length does \
        not count in memory (except with --report or --labels, which keep every strip's guesses, and --report the strips too).

        Example:
          letternet predict --strips test-dataset.npy --out prediction.csv
          letternet predict --strips cohort4.npy --letters 4 --out prediction.csv
          letternet predict --strips strip-images/ --letters auto
          letternet predict --report predict.html        (the shipped demo strips)
        """)

    @Option(help: "Strips: a .npy (N×30×W), a PNG or JPEG image of one strip, or a folder of them; without it, the built-in demo strips.")
    var strips: PathArgument?
    @Option(help: "Output CSV.") var out = PathArgument("prediction.csv")
    @Option(parsing: .unconditional, help: "Letters per strip, or auto to read each strip's count too.")
    var letters: LettersOption = .count(StripGeometry.standard.defaultLetters)
    @Option(name: .customLong("letters-range"), help: "With --letters auto: the counts to choose among, as A-B (default 1-12, cut to what fits each strip's width).")
    var lettersRange: LetterRangeOption?
    @Option(name: .customLong("letter-penalty"), parsing: .unconditional,
            help: "With --letters auto: the log-prior cost of each letter (default \(LetterCountPrior.fitted.perLetter), fitted on synthetic strips).")
    var letterPenalty: Float?
    @Option(name: .long, parsing: .singleValue,
            help: "Strip-reader model; repeat to average several (default: the shipped strip-reader*.lnet).")
    var model: [PathArgument] = []
    @OptionGroup var device: DeviceChoice
    @Option(help: "Also score the guesses against this labels file.") var labels: PathArgument?
    @Option(parsing: .unconditional,
            help: "Views per strip: read each strip also moved 1–3 px and rank strings by their mean score over the views (1 = one read, fastest; default: the work of 2.2 views of the context reader, spent on one view of every strip and further views of the least sure: for the shipped reader 2 views with --reread-share 0.215, for the context reader alone 3 views, the second and third for 60% of the strips).")
    var views: Int?
    @Option(name: .customLong("reread-share"), parsing: .unconditional,
            help: "With --views 2 or more: read only this share of the strips (0–1], those whose best reading is least sure after the first view, in the other views; e.g. --views 2 --reread-share 0.5 reads about as well as --views 2 in 1.5 times one view's time (default with --views: 1, every strip in every view).")
    var rereadShare: Double?
    @Option(name: .customLong("window-model"), parsing: .singleValue,
            help: "Second pass (off without it): a letter classifier trained on letters cut from strips (e.g. Models/window-classifier.lnet) re-scores the best readings letter by letter; repeat to average several.")
    var windowModel: [PathArgument] = []
    @Option(name: .customLong("rescore-weight"), parsing: .unconditional,
            help: "Second pass, with --window-model: weight of the window classifier's letter scores against the reader's (default \(WindowRescoring.defaultWeight); 0 = no second pass).")
    var rescoreWeight: Float?
    @Option(name: .customLong("rescore-candidates"), parsing: .unconditional,
            help: "Second pass, with --window-model: readings re-scored per strip (default \(WindowRescoring.defaultCandidates)).")
    var rescoreCandidates: Int?
    /// The second pass's weight and candidates, as given or by default.
    var rescoring: (weight: Float, candidates: Int) {
        (rescoreWeight ?? WindowRescoring.defaultWeight, rescoreCandidates ?? WindowRescoring.defaultCandidates)
    }

    @Flag(help: "Print one JSON object summing up the read (strips, time, device; the scores with --labels or the demo) instead of the lines.")
    var json = false
    @Flag(name: .customLong("font-demo"), help: "Without --strips: read \(DemoStrips.defaultCount) strips drawn from Hershey-font letters instead of the shipped real-handwriting demo.")
    var fontDemo = false

    @OptionGroup var report: ReportFile
    /// Strips of a `.npy` read at a time (0: the whole file at once); for tests of chunked reading.
    @Option(name: .customLong("chunk-strips"), help: .hidden) var chunkStrips = ChunkedStrips.defaultChunkSize

    /// Every numeric option and the values it accepts (checked before anything is read).
    var optionRanges: [OptionRange] {
        [.int("--letters", letters.fixed, 1...12), .int("--views", views, 1...StripReader.stride),
         .real("--rescore-weight", rescoring.weight, 0...100), .real("--reread-share", rereadShare ?? 1, 0...1, lowerOpen: true), .int("--rescore-candidates", rescoreCandidates, 1...100), .int("--chunk-strips", chunkStrips, 0...1_000_000),
         .int("--letters-range", lettersRange?.range.lowerBound, 1...12), .int("--letters-range", lettersRange?.range.upperBound, 1...12)]
            + (letterPenalty.map { [.real("--letter-penalty", $0, -50...50)] } ?? [])
    }

    func validate() throws {
        try optionRanges.check()
        if letters != .auto && (lettersRange != nil || letterPenalty != nil) {
            throw ValidationError("--letters-range and --letter-penalty need --letters auto")
        }
        if rereadShare != nil && (views ?? 1) < 2 {
            throw ValidationError("--reread-share chooses the strips read in the views after the first: give --views 2, 3 or 4 too")
        }
        if rereadShare != nil && !windowModel.isEmpty {
            throw ValidationError("--reread-share does not combine with --window-model (the second pass reads every strip in every view)")
        }
        if windowModel.isEmpty && (rescoreWeight != nil || rescoreCandidates != nil) {
            throw ValidationError("--rescore-weight and --rescore-candidates tune the second pass: give it --window-model (e.g. Models/window-classifier.lnet)")
        }
    }

    /// What each strip is read as.
    var letterCount: LetterCount {
        switch letters {
        case .count(let n): return .fixed(n)
        case .auto: return .any(lettersRange?.range ?? 1...12, prior: letterPenalty.map { LetterCountPrior(perLetter: $0) } ?? .fitted)
        }
    }

    func run() throws {
        try reportingErrors {
            let start = Date()
            var files = try modelFiles()
            let (input, counts, truth) = try inputStrips()
            var checkpoints = try files.readers.map { try Checkpoint.read(from: $0) }
            let sampled = try sampledSurvey(input)
            if let clipped = try clippedReader(sampled: sampled, files: files, defaults: checkpoints) {
                note("\(Terminal.escaped(strips?.path ?? "")): no pixel above 255, so overlapping letters are not summed (a uint8 file?): "
                     + "reading with \(Self.clippedReader), which learnt from clipped overlaps (--model chooses another reader)")
                (files.readers, files.names, checkpoints) = ([clipped.url], Self.clippedReader, [clipped.checkpoint])
            }
            let windowCheckpoints = try files.window.map { try Checkpoint.read(from: $0) }
            let (device, rows, timing) = try device.run { backend, fallback in
                let readers = try makeReaders(checkpoints, windowCheckpoints, files: files, backend: backend)
                let prediction = try StripPrediction(input: input, readers: readers, counts: counts, views: readingViews(readers, input))
                if strips != nil && !fallback { try survey(input, sampled: sampled, reader: readers) }
                let bar = ProgressBar(total: input.count, label: fallback ? "reading strips on the CPU" : "reading strips")
                let (rows, timing) = try prediction.read(keepAll: truth != nil || report.path != nil, source: strips?.path ?? "demo strips",
                                                         letters: "\(letters)") { bar.update($0) }
                bar.finish()
                try backend.checkHealthy()  // before anything is written
                return (backend.name, rows, timing)
            }
            try rows.write(to: out.url)
            try printResults(PredictSummary(out: out.path, strips: input.count, seconds: Date().timeIntervalSince(start), timing: timing,
                                            device: device, rows: rows, truth: truth, letters: "\(letters)"),
                             input: input, modelNames: files.names)
        }
    }
}
