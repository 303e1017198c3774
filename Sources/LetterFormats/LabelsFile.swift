import Foundation
import FileIO

/// A ground-truth labels file for scoring: one line per strip, in input order, each the true
/// letters as two digits per letter (`2118161513`) — or, also accepted, as letters (`URPOM`).
public enum LabelsFile {
    /// Reads the labels, one `[Int]` (labels 1…26) per line.
    public static func read(url: URL) throws -> [[Int]] {
        try parse(PredictionCSV.text(of: url), file: displayName(url))
    }

    /// Parses labels text; blank lines are allowed only at the end.
    public static func parse(_ text: String, file: String) throws -> [[Int]] {
        try PredictionCSV.lines(of: text).enumerated().map { n, line in
            let s = line.trimmingCharacters(in: .whitespaces)
            guard let labels = LetterLabel.parseDigits(s) ?? LetterLabel.parseLetters(s) else {
                throw LettersError.malformed(file: file, detail:
                    "line \(n + 1) has '\(s.prefix(40))', not 2 digits per letter (01…26) nor letters A–Z")
            }
            return labels
        }
    }

    /// Writes labels in the two-digit form, atomically.
    public static func write(_ labels: [[Int]], to url: URL) throws {
        try AtomicFile.write(encode(labels, file: displayName(url)), to: url)
    }

    /// The file's bytes: one line of two digits per letter per strip. Throws on an empty line or a
    /// label outside 1…26.
    public static func encode(_ labels: [[Int]], file: String) throws -> Data {
        for (i, l) in labels.enumerated() where l.isEmpty || !l.allSatisfy({ (1...26).contains($0) }) {
            throw LettersError.labelOutOfRange(file: file, detail: "line \(i + 1) is empty or has a label outside 1…26")
        }
        return Data((labels.map(LetterLabel.digits).joined(separator: "\n") + "\n").utf8)
    }
}
