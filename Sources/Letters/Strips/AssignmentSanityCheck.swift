import LetterFormats
/// The assignment's own sanity check: it quotes the true readings of the first two and the last two
/// strips of its 10,000-strip `test-dataset.npy` (the assignment text lists the last two in the other
/// order than the cohort's own report; both are checked). Where they rank among the guesses tells at
/// once whether the file was read in the right order and orientation.
public enum AssignmentSanityCheck {
    public static let stripCount = 10_000
    public static let letters = 5
    /// (strip index, reading), as codes of two digits a letter.
    public static let known: [(strip: Int, code: String)] = [
        (0, "0412042625"), (1, "2203261217"), (9998, "0612010703"), (9999, "2002151002"),
    ]

    /// One finding: the strip, its known reading, and its rank among the guesses (1-based, nil if absent).
    public struct Finding: Sendable, Equatable {
        public var strip: Int
        public var reading: String
        public var rank: Int?
    }

    /// Whether the check reads strip `i` of a file of `count` strips (the last two are read either way round).
    public static func reads(strip i: Int, of count: Int) -> Bool {
        count == stripCount && known.contains { $0.strip == i }
    }

    /// Nil unless the file has the assignment's 10,000 strips of 5 letters.
    public static func check(guesses: [[[Int]]], letters: Int) -> [Finding]? {
        check(rows: Dictionary(uniqueKeysWithValues: guesses.enumerated().map { ($0, $1) }), count: guesses.count, letters: letters)
    }

    /// As ``check(guesses:letters:)``, from the rows of the strips it reads (``reads(strip:of:)``), by strip, of `count` strips.
    public static func check(rows: [Int: [[Int]]], count: Int, letters: Int) -> [Finding]? {
        guard count == stripCount, letters == Self.letters else { return nil }
        return known.map { item in
            let labels = LetterLabel.parseDigits(item.code)!  // valid by construction
            var strips = [item.strip]
            if item.strip >= stripCount - 2 { strips = [item.strip, item.strip == 9998 ? 9999 : 9998] }
            for s in strips {
                if let r = rows[s]?.firstIndex(of: labels) {
                    return Finding(strip: s, reading: LetterLabel.letters(labels), rank: r + 1)
                }
            }
            return Finding(strip: item.strip, reading: LetterLabel.letters(labels), rank: nil)
        }
    }

    public static func describe(_ findings: [Finding]) -> String {
        let parts = findings.map { f in
            "strip \(f.strip + 1) \(f.reading): " + (f.rank.map { "guess \($0) of 5" } ?? "not among the 5 guesses")
        }
        let found = findings.filter { $0.rank != nil }.count
        var line = "assignment sanity check (\(found) of \(findings.count) found): " + parts.joined(separator: "; ")
        if found == 0 { line += " — if this is the course's test-dataset.npy, is it transposed, flipped or reordered?" }
        return line
    }
}
