import Foundation
import Letters

/// What `predict` prints once prediction.csv is written.
extension Predict {
    /// The lines (or with --json one object): what was written and how long it took, the letter counts
    /// read (--letters auto), the report, the assignment's sanity check, and the scores against the labels.
    func printResults(_ summary: PredictSummary, input: InputStrips, modelNames: String) throws {
        let print: (String) -> Void = { if !json { Swift.print($0) } }  // --json: one object at the end instead
        let rows = summary.rows, timing = summary.timing
        print(String(format: "wrote %@: %d strips × 5 guesses in %.1f s (network %.1f s, decoding %.1f s on %@)",
                     out.path, input.count, summary.seconds, timing.network, timing.decode, summary.device))
        if letters == .auto {
            let found = rows.firstGuessLengths.sorted { $0.key < $1.key }
            print("letters read (first guess): " + found.map { "\($0.key): \($0.value) strips" }.joined(separator: ", "))
        }
        if let report = report.path, let readings = rows.all {  // every strip in memory, for the page's sample
            try PredictionReport(strips: input.padded(), readings: readings, truth: summary.truth, model: modelNames).write(to: report.url)
            print("wrote \(report)")
        }
        if let n = letters.fixed, let findings = rows.sanityCheck(letters: n) {
            print(AssignmentSanityCheck.describe(findings))
        }
        if let truth = summary.truth, let guesses = rows.rows {
            let s = StripScore(guesses: guesses, truth: truth)
            print(String(format: "top-1 %.2f%%, top-5 %.2f%%, letters %.2f%% (%d strips)", 100 * s.top1, 100 * s.top5, 100 * s.letters, s.count))
        }
        if json { try summary.printJSON() }
    }
}
