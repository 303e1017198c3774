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
        another length than the labels is refused. --json prints {"top1", "top5", "letters", \
        "letters_by_position", "count"}. Writes no files.

        Example:
          letternet score --pred prediction.csv --labels strips-labels.csv
          letternet score --pred prediction-auto.csv --labels labels.csv --any-length
        """)

    @Option(help: "Predictions CSV.") var pred: PathArgument
    @Option(help: "Labels file.") var labels: PathArgument
    @Flag(help: "Print one JSON object.") var json = false
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
            if json {
                try JSONOutput.print(["top1": s.top1, "top5": s.top5, "letters": s.letters, "count": s.count,
                                      "letters_by_position": s.perPosition])
            } else {
                print(String(format: "%d strips: top-1 %.2f%%, top-5 %.2f%%, letters %.2f%%",
                             s.count, 100 * s.top1, 100 * s.top5, 100 * s.letters))
                print("letters by position: " + s.perPosition.enumerated()
                    .map { String(format: "%d: %.2f%%", $0.offset + 1, 100 * $0.element) }.joined(separator: ", "))
            }
        }
    }
}
