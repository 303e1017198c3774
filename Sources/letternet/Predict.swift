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
    var letters: LettersOption = .count(5)
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
            help: "Views per strip: read each strip also moved 1–3 px and rank strings by their mean score over the views (1 = one read, fastest).")
    var views = ShiftedViews.defaultCount
    @Option(name: .customLong("window-model"), parsing: .singleValue,
            help: "Second pass (off without it): a letter classifier trained on letters cut from strips (e.g. Models/window-classifier.lnet) re-scores the best readings letter by letter; repeat to average several.")
    var windowModel: [PathArgument] = []
    @Option(name: .customLong("rescore-weight"), parsing: .unconditional,
            help: "Second pass: weight of the window classifier's letter scores against the reader's (0 = no second pass).")
    var rescoreWeight = WindowRescoring.defaultWeight
    @Option(name: .customLong("rescore-candidates"), parsing: .unconditional, help: "Second pass: readings re-scored per strip.")
    var rescoreCandidates = WindowRescoring.defaultCandidates

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
         .real("--rescore-weight", rescoreWeight, 0...100), .int("--rescore-candidates", rescoreCandidates, 1...100), .int("--chunk-strips", chunkStrips, 0...1_000_000),
         .int("--letters-range", lettersRange?.range.lowerBound, 1...12), .int("--letters-range", lettersRange?.range.upperBound, 1...12)]
            + (letterPenalty.map { [.real("--letter-penalty", $0, -50...50)] } ?? [])
    }

    func validate() throws {
        try optionRanges.check()
        if letters != .auto && (lettersRange != nil || letterPenalty != nil) {
            throw ValidationError("--letters-range and --letter-penalty need --letters auto")
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
            let modelURLs = model.isEmpty ? try Resources.models(prefix: "strip-reader") : model.map(\.url)
            let windowURLs = rescoreWeight == 0 ? [] : windowModel.map(\.url)
            try OutputGuard.check(outputs: [.init("--out", out.path)] + report.outputs,
                                  inputs: modelURLs.map { .init("--model", $0.path) } + windowURLs.map { .init("--window-model", $0.path) } + (strips.map { [.init("--strips", $0.path)] } ?? [])
                                    + (labels.map { [.init("--labels", $0.path)] } ?? []))
            let input: InputStrips
            var truth: [[Int]]?
            if let strips {
                input = try InputStrips.load(url: strips.url, chunkSize: chunkStrips > 0 ? chunkStrips : nil)
                guard input.count > 0 else { throw CLIFailure("\(strips): holds no strips") }
            } else {
                (input, truth) = try demoStrips()
            }
            let counts = try input.widths.indices.map { try fittingCount(group: $0, of: input) }
            if let labels {  // checked before reading, so a wrong file costs nothing
                let t = try LabelsFile.read(url: labels.url)
                guard t.count == input.count else { throw CLIFailure("\(labels): \(t.count) labels for \(input.count) strips") }
                if let n = letters.fixed, let i = t.firstIndex(where: { $0.count != n }) {
                    throw CLIFailure("\(labels): line \(i + 1) has \(t[i].count) letters, but --letters is \(n)")
                }
                truth = t
            }
            for n in input.notes { note("note: " + Terminal.escaped(n)) }  // once the input is known to be readable
            let checkpoints = try modelURLs.map { try Checkpoint.read(from: $0) }
            let windowCheckpoints = try windowURLs.map { try Checkpoint.read(from: $0) }
            // For the report: the paths given, or the shipped models' names (no folder of this machine in the page).
            let modelNames = (model.isEmpty ? modelURLs.map(\.lastPathComponent) : model.map(\.path)).joined(separator: " + ")
            // Strips as wide as the file allows must fit in memory: read fewer at a time, or refuse.
            let widest = input.widths.max() ?? 1
            let perStrip = checkpoints.map {
                NetworkMemory.trainingBytes(layers: $0.layers, inputShape: StripReader.geometry.inputShape(width: widest), batch: 1)
            }.max() ?? 1
            try MemoryBudget.check(perStrip, for: "reading strips \(widest) px wide", lower: "the strips' width")
            let stripsAtOnce = max(1, min(64, Int(MemoryBudget.limit / 4 / perStrip)))
            var timing = StripReader.Timing()
            let (reader, rows) = try device.run { backend, fallback in
                let reader = StripReaderEnsemble(members: try zip(checkpoints, modelURLs).map {
                    let member = try StripReader(checkpoint: $0, backend: backend, source: $1.path)
                    member.batchSize = stripsAtOnce
                    return member
                })
                reader.views = ShiftedViews(count: views)
                if !windowCheckpoints.isEmpty {
                    let classifier = LetterEnsemble(members: try zip(windowCheckpoints, windowURLs).map {
                        try LetterClassifier(checkpoint: $0, backend: backend, source: $1.path)
                    })
                    reader.rescoring = WindowRescoring(classifier: classifier, weight: rescoreWeight, candidates: rescoreCandidates)
                }
                if strips != nil && !fallback { try survey(input, reader: reader) }
                let bar = ProgressBar(total: input.count, label: fallback ? "reading strips on the CPU" : "reading strips")
                timing = StripReader.Timing()
                var done = 0
                var rows = PredictionRows(count: input.count, keepAll: truth != nil || report.path != nil,
                                          source: strips?.path ?? "demo strips", letters: "\(letters)")
                try input.forEachRun { group, set, places in  // a chunk of a .npy at a time: its guesses are all that is kept
                    var t = StripReader.Timing()
                    try rows.add(reader.read(set, count: counts[group], timing: &t) { bar.update(done + $0) }, at: places)
                    done += set.count
                    timing.network += t.network; timing.decode += t.decode
                }
                bar.finish()
                try backend.checkHealthy()  // before anything is written
                return (reader, rows)
            }
            try rows.check()
            try PredictionCSV.write(text: rows.text, to: out.url)
            let summary = PredictSummary(out: out.path, strips: input.count, seconds: Date().timeIntervalSince(start), timing: timing,
                                         device: reader.members[0].model.backend.name, rows: rows, truth: truth, letters: "\(letters)")
            let print: (String) -> Void = { if !json { Swift.print($0) } }  // --json: one object at the end instead
            print(String(format: "wrote %@: %d strips × 5 guesses in %.1f s (network %.1f s, decoding %.1f s on %@)",
                         out.path, input.count, Date().timeIntervalSince(start), timing.network, timing.decode,
                         reader.members[0].model.backend.name))
            if letters == .auto {
                let found = rows.firstGuessLengths.sorted { $0.key < $1.key }
                print("letters read (first guess): " + found.map { "\($0.key): \($0.value) strips" }.joined(separator: ", "))
            }
            if let report = report.path, let readings = rows.all {  // every strip in memory, for the page's sample
                try PredictionReport(strips: input.padded(), readings: readings, truth: truth, model: modelNames)
                    .write(to: report.url)
                print("wrote \(report)")
            }
            if let n = letters.fixed, let findings = AssignmentSanityCheck.check(guesses: rows.forSanityCheck, letters: n) {
                print(AssignmentSanityCheck.describe(findings))
            }
            if let truth, let guesses = rows.rows {
                let s = StripScore(guesses: guesses, truth: truth)
                print(String(format: "top-1 %.2f%%, top-5 %.2f%%, letters %.2f%% (%d strips)",
                             100 * s.top1, 100 * s.top5, 100 * s.letters, s.count))
            }
            if json { try summary.printJSON() }
        }
    }

    /// The letter count to read a group's strips with: --letters, or --letters auto's range cut to the
    /// strips' width. Refuses strips too narrow for any of it.
    func fittingCount(group: Int, of input: InputStrips) throws -> LetterCount {
        let w = input.widths[group]
        if let count = letterCount.fitting(width: w) { return count }
        let most = StripReader.maxLetters(width: w), fewest = letterCount.range.lowerBound
        let what = input.files.isEmpty ? (strips?.path ?? "demo strips") : input.files[input.groups[group].order[0]]
        let option = letters == .auto ? "--letters-range \(letterCount.range.lowerBound)-\(letterCount.range.upperBound)" : "--letters \(letters)"
        throw CLIFailure("\(what): strips are \(w) px wide, too narrow for \(option): "
                         + "the reader places letters at least \(StripReader.stride * StripReader.minimumSpacing) px apart, so at most "
                         + "\(most) fit (\(fewest) need \(StripReader.minimumWidth(letters: fewest)) px)")
    }

    /// "5 letters", or "1–12 letters (--letters auto)".
    var reading: String {
        letters == .auto ? "\(letterCount.range.lowerBound)–\(letterCount.range.upperBound) letters (--letters auto)" : "\(letters) letters"
    }

    /// Notes on the strips' size and noise, and warnings where they are far from what the reader was trained on.
    /// A chunked file's survey measures its first chunk only.
    func survey(_ input: InputStrips, reader: StripReaderEnsemble) throws {
        let name = Terminal.escaped(strips?.path ?? "")
        guard let sample = try input.sample() else {
            let widths = input.widths
            note("\(name): \(input.count) strips of \(widths.count) widths, \(widths.first!)–\(widths.last!) px; reading \(reading) a strip")
            return
        }
        let survey = StripSurvey(sample)
        note("\(name): \(survey.summary(ofFileOf: input.count)); reading \(reading) a strip")
        // With --letters auto the count is read, so only the warnings about size and noise apply.
        for w in survey.warnings(letters: letters.fixed, trainedOn: reader.trainingRange) { note("warning: \(name): \(w)") }
    }
}
