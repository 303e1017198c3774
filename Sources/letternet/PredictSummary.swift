import Foundation
import Letters

/// What `predict --json` prints: one object summing up the read.
struct PredictSummary {
    var out: String
    var strips: Int
    var seconds: Double
    var timing: StripReader.Timing
    var device: String
    var rows: PredictionRows
    var truth: [[Int]]?
    var letters: String

    /// {"out", "strips", "letters", "device", "seconds", "network_seconds", "decoding_seconds",
    /// "first_guess_lengths" (letter count → strips), and with labels (or the demo) "top1", "top5",
    /// "letters_accuracy", "letters_by_position"}.
    func printJSON() throws {
        var object: [String: Any] = [
            "out": out, "strips": strips, "letters": letters, "device": device, "seconds": seconds,
            "network_seconds": timing.network, "decoding_seconds": timing.decode,
            "first_guess_lengths": Dictionary(uniqueKeysWithValues: rows.firstGuessLengths.map { ("\($0.key)", $0.value) }),
        ]
        if let truth, let guesses = rows.rows {
            let s = StripScore(guesses: guesses, truth: truth)
            object.merge(["top1": s.top1, "top5": s.top5, "letters_accuracy": s.letters, "letters_by_position": s.perPosition]) { $1 }
        }
        try JSONOutput.print(object)
    }
}
