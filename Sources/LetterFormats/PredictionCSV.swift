import Foundation

/// `prediction.csv`: one row per strip, in input order, no header; each row holds
/// ``guessesPerRow`` comma-separated guesses, best first, each guess written with two zero-padded
/// digits per letter (`URPOM` → `2118161513`, A = 01 … Z = 26).
///
/// A guess is an array of labels 1…26, so a row is `[[Int]]` and a file is `[[[Int]]]`. `predict` writes
/// the file through `PredictionRows` (in `Letters`), its one writer. A row's guesses
/// usually have the strip's number of letters; with `predict --letters auto` they may differ in length.
public enum PredictionCSV {
    public static let guessesPerRow = 5

    /// The file's text (`\n` after every row). Throws if a row does not have 5 non-empty guesses of labels 1…26.
    /// Guesses of different lengths are allowed (a read that chose the count too).
    public static func encode(_ rows: [[[Int]]], file: String = "prediction.csv") throws -> String {
        var text = ""
        for (r, row) in rows.enumerated() { text += try line(row, index: r, file: file) }
        return text
    }

    /// Row `index` (0-based) of the file's text, with its `\n`; throws as ``encode(_:file:)``.
    public static func line(_ row: [[Int]], index r: Int, file: String = "prediction.csv") throws -> String {
        guard row.count == guessesPerRow else {
            throw LettersError.malformed(file: file, detail: "row \(r + 1) has \(row.count) guesses, expected \(guessesPerRow)")
        }
        return try line(guesses: row, index: r, file: file)
    }

    /// Row `index` of guesses already counted (a writer that reports a short row itself): throws if a
    /// guess is empty or has a label outside 1…26.
    public static func line(guesses row: [[Int]], index r: Int, file: String = "prediction.csv") throws -> String {
        for guess in row {
            guard !guess.isEmpty else { throw LettersError.malformed(file: file, detail: "row \(r + 1) has an empty guess") }
            if let bad = guess.first(where: { !(1...26).contains($0) }) {
                throw LettersError.labelOutOfRange(file: file, detail: "row \(r + 1) has label \(bad), outside 1…26")
            }
        }
        return row.map(LetterLabel.digits).joined(separator: ",") + "\n"
    }

    /// Reads a prediction file back.
    public static func read(url: URL) throws -> [[[Int]]] {
        try parse(text(of: url), file: displayName(url))
    }

    /// Parses prediction text; blank lines are allowed only at the end, `\r\n` endings are accepted.
    public static func parse(_ text: String, file: String) throws -> [[[Int]]] {
        try lines(of: text).enumerated().map { n, line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            guard fields.count == guessesPerRow else {
                throw LettersError.malformed(file: file, detail: "line \(n + 1) has \(fields.count) fields, expected \(guessesPerRow)")
            }
            let row = try fields.map { field in
                let f = field.trimmingCharacters(in: .whitespaces)
                guard let labels = LetterLabel.parseDigits(f) else {
                    throw LettersError.malformed(file: file, detail:
                        "line \(n + 1) has '\(f.prefix(40))', not 2 digits per letter with each pair 01…26")
                }
                return labels
            }
            return row
        }
    }

    /// The lines of `text` without line endings and without trailing blank lines; a blank line
    /// before the last non-blank one is an error.
    static func lines(of text: String) -> [Substring] {
        // "\r\n" is a single Character in Swift, and a newline, so this handles both line endings.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        while let last = lines.last, last.allSatisfy(\.isWhitespace) { lines.removeLast() }
        return lines
    }

    static func text(of url: URL) throws -> String {
        try DataFile.read(url).text()
    }
}
