import Foundation

/// Where each letter of a synthetic strip lies (`synth --centres`, read by `score --centres`): one line
/// per strip, in the labels file's order, the strip column of each letter's ink centre, in the order
/// of the labels, comma-separated, one decimal.
public enum CentresFile {
    /// The file's bytes. Throws on a strip without letters or a centre that is not finite.
    public static func encode(_ centres: [[Float]], file: String) throws -> Data {
        var text = ""
        for (i, row) in centres.enumerated() {
            guard !row.isEmpty, row.allSatisfy(\.isFinite) else {
                throw LettersError.malformed(file: file, detail: "line \(i + 1) is empty or has a centre that is not a finite number")
            }
            text += row.map { String(format: "%.1f", $0) }.joined(separator: ",") + "\n"
        }
        return Data(text.utf8)
    }

    /// Reads the centres, one `[Float]` per line.
    public static func read(url: URL) throws -> [[Float]] {
        try parse(PredictionCSV.text(of: url), file: displayName(url))
    }

    /// Parses centres text; blank lines are allowed only at the end. Centres must be finite; they need
    /// not increase (letters are in the order of their boxes, and two boxes that nearly coincide may
    /// hold their ink the other way round).
    public static func parse(_ text: String, file: String) throws -> [[Float]] {
        try PredictionCSV.lines(of: text).enumerated().map { n, line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let values = fields.compactMap { Float($0.trimmingCharacters(in: .whitespaces)) }
            guard !fields.isEmpty, values.count == fields.count, values.allSatisfy(\.isFinite) else {
                throw LettersError.malformed(file: file, detail: "line \(n + 1) has '\(line.prefix(40))', not comma-separated column numbers")
            }
            return values
        }
    }
}
