import ArgumentParser
import Foundation
import LetterFormats
import Letters

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score prediction.csv against the true labels.",
        discussion: """
        Reads a prediction CSV (5 guesses per row) and a labels file (one label per line, two digits per \
        letter) and prints top-1 and top-5 strip accuracy and per-letter accuracy of the first guess. A row \
        whose guesses differ in length is refused unless --any-length is given (predict --letters auto writes \
        such rows; a guess of another length than its label is then wrong). A file whose guesses all have \
        another length than the labels is refused. --centres (the file `synth --centres` writes) also \
        breaks the figures down by how close the letters are: letters by the distance from their ink centre \
        to the nearest neighbour's, strips by their closest pair. It also names the letters the first \
        guesses confuse most (true→read, count, share of the letter errors). --json prints {"top1", "top5", \
        "letters", "letters_by_position", "count", "confusions"} (and "by_gap" with --centres). Writes no files.

        Example:
          letternet score --pred prediction.csv --labels strips-labels.csv
          letternet score --pred prediction-auto.csv --labels labels.csv --any-length
          letternet score --pred p.csv --labels s-labels.csv --centres s-centres.csv
        """)

    @Option(help: "Predictions CSV.") var pred: PathArgument
    @Option(help: "Labels file.") var labels: PathArgument
    @Flag(help: "Print one JSON object.") var json = false
    @Option(help: "Ink centres of the strips' letters (synth --centres): also score by the distance between neighbouring letters.")
    var centres: PathArgument?
    @Flag(name: .customLong("any-length"),
          help: "Accept rows whose guesses differ in length (predict --letters auto writes such rows); a guess of another length than its label is wrong.")
    var anyLength = false

    func run() throws {
        try reportingErrors {
            let guesses = try PredictionCSV.read(url: pred.url)
            let truth = try LabelsFile.read(url: labels.url)
            if !anyLength, let r = guesses.firstIndex(where: { Set($0.map(\.count)).count > 1 }) {
                let lengths = Array(Set(guesses[r].map(\.count))).sorted().map(String.init).joined(separator: ", ")
                throw CLIFailure("\(pred): row \(r + 1) holds guesses of \(lengths) letters; if it was read with "
                                 + "predict --letters auto, pass --any-length to score it")
            }
            if Set(guesses.flatMap { $0.map(\.count) }).count > 1 {
                // Guesses of several lengths (predict --letters auto): a guess of the wrong length is a wrong guess.
                guard guesses.count == truth.count else {
                    throw CLIFailure("\(pred): \(guesses.count) rows but \(labels) has \(truth.count) labels")
                }
            } else {  // one length throughout: another length than the labels' means the wrong file
                try StripScore.checkComparable(guesses: guesses, truth: truth, predictions: pred.path, labels: labels.path)
            }
            let s = StripScore(guesses: guesses, truth: truth)
            let byGap = try centres.map { try gapScore(guesses: guesses, truth: truth, file: $0) }
            let confusions = LetterConfusions(guesses: guesses, truth: truth)
            if json {
                var object: [String: Any] = ["top1": s.top1, "top5": s.top5, "letters": s.letters, "count": s.count,
                                             "letters_by_position": s.perPosition]
                object["confusions"] = confusions.pairs.prefix(Self.confusionsShown * 2).map { p -> [String: Any] in
                    ["truth": LetterLabel.letters([p.truth]), "read": LetterLabel.letters([p.read]), "count": p.count,
                     "share_of_errors": confusions.share(of: p)]
                }
                if let byGap {
                    object["by_gap"] = byGap.bands.map { b -> [String: Any] in
                        ["from": b.from, "to": b.to.map { $0 as Any } ?? NSNull(), "letters": b.letters, "letters_right": b.lettersRight,
                         "share_of_errors": b.shareOfErrors, "strips": b.strips, "top1": b.top1, "top5": b.top5]
                    }
                }
                try JSONOutput.print(object)
            } else {
                print(String(format: "%d strips: top-1 %.2f%%, top-5 %.2f%%, letters %.2f%%",
                             s.count, 100 * s.top1, 100 * s.top5, 100 * s.letters))
                print("letters by position: " + s.perPosition.enumerated()
                    .map { String(format: "%d: %.2f%%", $0.offset + 1, 100 * $0.element) }.joined(separator: ", "))
                if let line = Self.confusionLine(confusions) { print(line) }
                if let byGap { print(Self.table(byGap)) }
            }
        }
    }

    /// Confusions named in the text output (twice as many in --json).
    static let confusionsShown = 5

    /// `most confused letters (first guess): I→L 987 (22.8%), …; these make 55.7% of the 4324 letter errors`; nil without errors.
    static func confusionLine(_ c: LetterConfusions) -> String? {
        guard c.errors > 0 else { return nil }
        let shown = c.pairs.prefix(confusionsShown)
        return "most confused letters (first guess): " + shown.map(c.describe).joined(separator: ", ")
            + String(format: "; %@ %.1f%% of the %d letter errors", shown.count == 1 ? "it makes" : "these make",
                     100 * c.shareOfMostCommon(shown.count), c.errors)
    }

    /// The breakdown by gap of `guesses`, with the centres of `file`, which must match the labels.
    func gapScore(guesses: [[[Int]]], truth: [[Int]], file: PathArgument) throws -> StripGapScore {
        let c = try CentresFile.read(url: file.url)
        guard c.count == truth.count else { throw CLIFailure("\(file): \(c.count) line\(c.count == 1 ? "" : "s") but \(labels) has \(truth.count) labels") }
        if let i = c.indices.first(where: { c[$0].count != truth[$0].count }) {
            throw CLIFailure("\(file): line \(i + 1) has \(c[i].count) centres but line \(i + 1) of \(labels) has \(truth[i].count) letters")
        }
        return StripGapScore(guesses: guesses, truth: truth, centres: c)
    }

    /// The breakdown as a text table.
    static func table(_ score: StripGapScore) -> String {
        var lines = ["distance to the nearest letter (px) | letters | right | share of errors || strips (closest pair) | top-1 | top-5"]
        for b in score.bands {
            let band = b.to.map { "\(b.from)–\($0)" } ?? "\(b.from)+"
            lines.append(String(format: "%@ | %d | %.2f%% | %.1f%% || %d | %.2f%% | %.2f%%", band, b.letters, 100 * b.lettersRight,
                                100 * b.shareOfErrors, b.strips, 100 * b.top1, 100 * b.top5))
        }
        return lines.joined(separator: "\n")
    }
}
