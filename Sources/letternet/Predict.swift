import ArgumentParser
import Foundation
import Letters
import NeuralNet

struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read letter strips and write prediction.csv.",
        discussion: """
        Reads an N×30×W .npy of strips (any numeric dtype; values above 255 allowed) and writes one row per \
        strip, in input order: the 5 most probable complete readings, best first, each as two digits per \
        letter (A=01 … Z=26), comma-separated, no header. The file is written atomically. Without --strips \
        it reads \(DemoStrips.defaultCount) demo strips it draws itself from Hershey-font letters (seed \
        \(DemoStrips.defaultSeed)) and prints how well it read them. --report also writes an HTML page showing \
        a sample of strips with their guesses, close calls flagged.

        Example:
          letternet predict --strips test-dataset.npy --out prediction.csv
          letternet predict --strips cohort4.npy --letters 4 --out prediction.csv
          letternet predict --report predict.html        (the built-in demo strips)
        """)

    @Option(help: "Strips file (.npy, N×30×W); without it, the built-in demo strips.") var strips: String?
    @Option(help: "Output CSV.") var out = "prediction.csv"
    @Option(parsing: .unconditional, help: "Letters per strip.") var letters = 5
    @Option(name: .long, parsing: .singleValue,
            help: "Strip-reader model; repeat to average several (default: the shipped strip-reader*.lnet).")
    var model: [String] = []
    @Option(help: "Compute device: cpu, opencl, opencl:N or auto.")
    var device: DeviceOption = DeviceOption(argument: "cpu")!
    @Option(help: "Also score the guesses against this labels file.") var labels: String?
    @Option(help: "Also write an HTML report (sample strips, guesses, close calls) to this file.") var report: String?

    /// Every numeric option and the values it accepts (checked before anything is read).
    var optionRanges: [OptionRange] { [.int("--letters", letters, 1...12)] }

    func validate() throws { try optionRanges.check() }

    func run() throws {
        try reportingErrors {
            let start = Date()
            let modelURLs = model.isEmpty ? try Resources.models(prefix: "strip-reader") : model.map { URL(fileURLWithPath: $0) }
            try OutputGuard.check(outputs: [.init("--out", out)] + (report.map { [.init("--report", $0)] } ?? []),
                                  inputs: modelURLs.map { .init("--model", $0.path) } + (strips.map { [.init("--strips", $0)] } ?? [])
                                    + (labels.map { [.init("--labels", $0)] } ?? []))
            let set: StripSet
            var truth: [[Int]]?
            if let strips {
                set = try StripSet.load(url: URL(fileURLWithPath: strips))
                for n in set.notes { note("note: " + Terminal.escaped(n)) }
                guard set.count > 0 else { throw CLIFailure("\(strips): holds no strips") }
            } else {
                (set, truth) = DemoStrips.make(count: DemoStrips.defaultCount, letters: letters, seed: DemoStrips.defaultSeed)
                note("no --strips given: reading \(set.count) demo strips drawn from Hershey-font letters (seed \(DemoStrips.defaultSeed))")
            }
            guard StripReader.maxLetters(width: set.width) >= letters else {
                throw CLIFailure("\(strips ?? "demo strips"): strips are \(set.width) px wide, too narrow for --letters \(letters): "
                                 + "the reader places letters at least \(4 * StripReader.minimumSpacing) px apart, so at most "
                                 + "\(StripReader.maxLetters(width: set.width)) fit (\(letters) need \(StripReader.minimumWidth(letters: letters)) px)")
            }
            if let labels {  // checked before reading, so a wrong file costs nothing
                let t = try LabelsFile.read(url: URL(fileURLWithPath: labels))
                guard t.count == set.count else { throw CLIFailure("\(labels): \(t.count) labels for \(set.count) strips") }
                if let i = t.firstIndex(where: { $0.count != letters }) {
                    throw CLIFailure("\(labels): line \(i + 1) has \(t[i].count) letters, but --letters is \(letters)")
                }
                truth = t
            }
            let checkpoints = try modelURLs.map { try Checkpoint.read(from: $0) }
            let modelNames = modelURLs.map(\.path).joined(separator: " + ")
            // Strips as wide as the file allows must fit in memory: read fewer at a time, or refuse.
            let perStrip = checkpoints.map {
                NetworkMemory.trainingBytes(layers: $0.layers, inputShape: [1, 28, set.width + 2 * StripReader.padding], batch: 1)
            }.max() ?? 1
            try MemoryBudget.check(perStrip, for: "reading strips \(set.width) px wide", lower: "the strips' width")
            let stripsAtOnce = max(1, min(64, Int(MemoryBudget.limit / 4 / perStrip)))
            var timing = StripReader.Timing()
            let (reader, readings) = try device.run { backend, fallback in
                let reader = StripReaderEnsemble(members: try zip(checkpoints, modelURLs).map {
                    let member = try StripReader(checkpoint: $0, backend: backend, source: $1.path)
                    member.batchSize = stripsAtOnce
                    return member
                })
                if strips != nil && !fallback {
                    let survey = StripSurvey(set)
                    note("\(Terminal.escaped(strips!)): \(survey.summary); reading \(letters) letters a strip")
                    for w in survey.warnings(letters: letters, trainedOn: reader.trainingRange) { note("warning: \(w)") }
                }
                let bar = ProgressBar(total: set.count, label: fallback ? "reading strips on the CPU" : "reading strips")
                timing = StripReader.Timing()
                let readings = reader.read(set, letters: letters, timing: &timing) { bar.update($0) }
                bar.finish()
                try backend.checkHealthy()  // before anything is written
                return (reader, readings)
            }
            let rows = readings.map { r in r.map(\.labels) }
            if let i = rows.firstIndex(where: { $0.count != PredictionCSV.guessesPerRow }) {
                throw CLIFailure("\(strips ?? "demo strips"): strip \(i) gave \(rows[i].count) readings of \(letters) letters, not \(PredictionCSV.guessesPerRow)")
            }
            try PredictionCSV.write(rows, to: URL(fileURLWithPath: out))
            print(String(format: "wrote %@: %d strips × 5 guesses in %.1f s (network %.1f s, decoding %.1f s on %@)",
                         out, set.count, Date().timeIntervalSince(start), timing.network, timing.decode,
                         reader.members[0].model.backend.name))
            if let report {
                try PredictionReport(strips: set, readings: readings, truth: truth, model: modelNames)
                    .write(to: URL(fileURLWithPath: report))
                print("wrote \(report)")
            }
            if let findings = AssignmentSanityCheck.check(guesses: rows, letters: letters) {
                print(AssignmentSanityCheck.describe(findings))
            }
            if let truth {
                let s = StripScore(guesses: rows, truth: truth)
                print(String(format: "top-1 %.2f%%, top-5 %.2f%%, letters %.2f%% (%d strips)",
                             100 * s.top1, 100 * s.top5, 100 * s.letters, s.count))
            }
        }
    }
}
