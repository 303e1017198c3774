import Foundation
import LetterFormats
import Letters
import NeuralNet

/// What `predict` reads: the model files, the strips (and labels), and the readers made of the models.
extension Predict {
    /// The strip-reader and window-classifier model files, and the readers' names for the report.
    struct ModelFiles {
        var readers: [URL], window: [URL], names: String
        /// With no --model: the shipped reader that learnt from clipped overlaps, when present (``clippedReader``).
        var clipped: URL?
    }

    /// The model files given (or the shipped strip readers), once no output would overwrite an input.
    func modelFiles() throws -> ModelFiles {
        let readers = model.isEmpty ? try Resources.models(prefix: "strip-reader") : model.map(\.url)
        let window = rescoring.weight == 0 ? [] : windowModel.map(\.url)
        let clipped = model.isEmpty ? try? Resources.model(Self.clippedReader) : nil
        try OutputGuard.check(outputs: [.init("--out", out.path)] + report.outputs,
                              inputs: (readers + (clipped.map { [$0] } ?? [])).map { .init("--model", $0.path) } + window.map { .init("--window-model", $0.path) }
                                + (strips.map { [.init("--strips", $0.path)] } ?? []) + (labels.map { [.init("--labels", $0.path)] } ?? []))
        // For the report: the paths given, or the shipped models' names (no folder of this machine in the page).
        let names = (model.isEmpty ? readers.map(\.lastPathComponent) : model.map(\.path)).joined(separator: " + ")
        return ModelFiles(readers: readers, window: window, names: names, clipped: clipped)
    }

    /// The shipped reader that learnt from overlaps clipped at 255, in the models folder.
    static let clippedReader = "clipped/strip-reader.lnet"

    /// With no --model, strips that hold no sum of overlapping letters (`StripSurvey.holdsNoSums`: a uint8
    /// file, say) are read by the shipped reader that learnt from clipped overlaps, when every default
    /// reader learnt from sums; nil otherwise (or when that reader is missing).
    /// `sampled`: the survey of the input's first strips (``sampledSurvey(_:)``); `files`: ``modelFiles()``.
    func clippedReader(sampled: StripSurvey?, files: ModelFiles, defaults: [Checkpoint]) throws -> (url: URL, checkpoint: Checkpoint)? {
        guard model.isEmpty, strips != nil, letters.fixed.map({ $0 > 1 }) ?? true, sampled?.holdsNoSums == true else { return nil }
        let ceilings = try defaults.map { try PixelNormalization(metadata: $0.metadata, source: "a shipped reader").effectiveCeiling }
        guard ceilings.allSatisfy({ $0 > 255 }), let url = files.clipped else { return nil }
        return (url, try Checkpoint.read(from: url))
    }

    /// The strips (--strips, or the demo with its labels), the letter count of each width, and the labels
    /// to score them against, checked before any strip is read, so that a wrong file costs nothing; then
    /// the input's notes are printed.
    func inputStrips() throws -> (InputStrips, counts: [LetterCount], truth: [[Int]]?) {
        let input: InputStrips
        var truth: [[Int]]?
        if let strips {
            input = try InputStrips.load(url: strips.url, chunkSize: chunkStrips > 0 ? chunkStrips : nil)
            guard input.count > 0 else { throw CLIFailure("\(strips): holds no strips") }
        } else {
            (input, truth) = try demoStrips()
        }
        let counts = try input.widths.indices.map { try fittingCount(group: $0, of: input) }
        if let labels {
            let t = try LabelsFile.read(url: labels.url)
            guard t.count == input.count else { throw CLIFailure("\(labels): \(t.count) labels for \(input.count) strips") }
            if let n = letters.fixed, let i = t.firstIndex(where: { $0.count != n }) {
                throw CLIFailure("\(labels): line \(i + 1) has \(t[i].count) letters, but --letters is \(n)")
            }
            truth = t
        }
        for n in input.notes { note("note: " + Terminal.escaped(n)) }  // once the input is known to be readable
        return (input, counts, truth)
    }

    /// The views to read with: `--views` (those after the first for the `--reread-share` least sure
    /// strips), else the work of 2.2 views of the context reader (``ShiftedViews/fitting(_:width:)``;
    /// whole views only with the second pass, which reads every strip in every view), said in a note
    /// when that is more than one view and a second for some strips (the shipped reader's) of one reader.
    func readingViews(_ readers: StripReaderEnsemble, _ input: InputStrips) -> ShiftedViews {
        if let views {
            var chosen = ShiftedViews(count: views)
            chosen.rereadShare = rereadShare ?? 1
            return chosen
        }
        var fitting = ShiftedViews.fitting(readers.members.map(\.model.specs), width: input.widths.max() ?? 1)
        if !windowModel.isEmpty && fitting.rereadShare < 1 { fitting = ShiftedViews(count: max(1, fitting.shifts.count - 1)) }
        let n = fitting.shifts.count
        if readers.members.count > 1 || n > 2 || (n > 1 && fitting.rereadShare == 1) {
            let reread = fitting.rereadShare < 1 ? " (the views after the first for the least sure \(Int((fitting.rereadShare * 100).rounded()))%)" : ""
            note("note: reading each strip in \(n) view\(n == 1 ? "" : "s")\(reread), the work of 2.2 views of the context reader "
                 + "with these \(readers.members.count) reader\(readers.members.count == 1 ? "" : "s") (--views sets it)")
        }
        return fitting
    }

    /// The strip readers of `checkpoints` (with the second pass of `windows`, if any) on `backend`.
    func makeReaders(_ checkpoints: [Checkpoint], _ windows: [Checkpoint], files: ModelFiles, backend: Backend) throws -> StripReaderEnsemble {
        let readers = StripReaderEnsemble(members: try zip(checkpoints, files.readers).map {
            try StripReader(checkpoint: $0, backend: backend, source: $1.path)
        })
        if !windows.isEmpty {
            let classifier = LetterEnsemble(members: try zip(windows, files.window).map {
                try LetterClassifier(checkpoint: $0, backend: backend, source: $1.path)
            })
            readers.rescoring = WindowRescoring(classifier: classifier, weight: rescoring.weight, candidates: rescoring.candidates)
        }
        return readers
    }

    /// The letter count to read a group's strips with: --letters, or --letters auto's range cut to the
    /// strips' width. Refuses strips too narrow for any of it.
    func fittingCount(group: Int, of input: InputStrips) throws -> LetterCount {
        let w = input.widths[group]
        if let count = letterCount.fitting(width: w) { return count }
        let most = StripReader.maxLetters(width: w), fewest = letterCount.range.lowerBound
        let what = input.firstFile(ofGroup: group) ?? strips?.path ?? "demo strips"
        let option = letters == .auto ? "--letters-range \(letterCount.range.lowerBound)-\(letterCount.range.upperBound)" : "--letters \(letters)"
        throw CLIFailure("\(what): strips are \(w) px wide, too narrow for \(option): "
                         + "the reader places letters at least \(StripReader.stride * StripReader.minimumSpacing) px apart, so at most "
                         + "\(most) fit (\(fewest) need \(StripReader.minimumWidth(letters: fewest)) px)")
    }

    /// "5 letters", or "1–12 letters (--letters auto)".
    var reading: String {
        letters == .auto ? "\(letterCount.range.lowerBound)–\(letterCount.range.upperBound) letters (--letters auto)" : "\(letters) letters"
    }

    /// The survey of `--strips`' first strips (a chunked file's first chunk; nil for the demo, or images of several widths).
    func sampledSurvey(_ input: InputStrips) throws -> StripSurvey? {
        try strips == nil ? nil : input.sample().map(StripSurvey.init)
    }

    /// Notes on the strips' size and noise (`sampled`, ``sampledSurvey(_:)``), and warnings where they are
    /// far from what the reader was trained on. A chunked file's survey measures its first chunk only.
    func survey(_ input: InputStrips, sampled: StripSurvey?, reader: StripReaderEnsemble) throws {
        let name = Terminal.escaped(strips?.path ?? "")
        guard let survey = sampled else {
            let widths = input.widths
            note("\(name): \(input.count) strips of \(widths.count) widths, \(widths.first!)–\(widths.last!) px; reading \(reading) a strip")
            return
        }
        note("\(name): \(survey.summary(ofFileOf: input.count)); reading \(reading) a strip")
        // With --letters auto the count is read, so only the warnings about size and noise apply.
        let ceiling = reader.members.map(\.normalization.effectiveCeiling).max() ?? 255
        for w in survey.warnings(letters: letters.fixed, trainedOn: reader.trainingRange, inputCeiling: ceiling) { note("warning: \(name): \(w)") }
    }
}
