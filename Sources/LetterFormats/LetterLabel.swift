/// Conversions between letter labels (1 = A … 26 = Z) and their two text forms:
/// two zero-padded digits per letter (`[21, 18, 16, 15, 13]` ↔ `"2118161513"`) and letters (`"URPOM"`).
public enum LetterLabel {
    /// `[21, 18, 16, 15, 13]` → `"2118161513"`. Every label must be in 1…26.
    public static func digits(_ labels: [Int]) -> String {
        precondition(labels.allSatisfy { (1...26).contains($0) }, "labels must be 1…26: \(labels)")
        return labels.map { $0 < 10 ? "0\($0)" : "\($0)" }.joined()
    }

    /// `"2118161513"` → `[21, 18, 16, 15, 13]`; `nil` unless the text is an even number (≥ 2)
    /// of digits whose pairs are all 01…26.
    public static func parseDigits<S: StringProtocol>(_ text: S) -> [Int]? {
        let d = Array(text.utf8)
        guard !d.isEmpty, d.count % 2 == 0, d.allSatisfy({ (48...57).contains($0) }) else { return nil }
        var out = [Int]()
        for i in stride(from: 0, to: d.count, by: 2) {
            let v = Int(d[i] - 48) * 10 + Int(d[i + 1] - 48)
            guard (1...26).contains(v) else { return nil }
            out.append(v)
        }
        return out
    }

    /// `[21, 18, 16, 15, 13]` → `"URPOM"`. Every label must be in 1…26.
    public static func letters(_ labels: [Int]) -> String {
        precondition(labels.allSatisfy { (1...26).contains($0) }, "labels must be 1…26: \(labels)")
        return String(labels.map { Character(Unicode.Scalar(UInt8(64 + $0))) })
    }

    /// `"URPOM"` or `"urpom"` → `[21, 18, 16, 15, 13]`; `nil` for an empty text or any non-letter.
    public static func parseLetters<S: StringProtocol>(_ text: S) -> [Int]? {
        let u = Array(text.uppercased().utf8)
        guard !u.isEmpty, u.allSatisfy({ (65...90).contains($0) }) else { return nil }
        return u.map { Int($0) - 64 }
    }
}
