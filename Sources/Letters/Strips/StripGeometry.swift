/// The course's strips, in one place: 30 rows, each letter in a 28-px box at rows 1…28 (the EMNIST
/// letter's 28×28 image), `n` letters in 30·n px (the assignment's text) or 28·(n + 1) px (the real
/// files), 5 letters unless told. Every strip file reads it from here (a test greps for the literals
/// elsewhere), and a strip reader's model records it (``metadata``).
public struct StripGeometry: Sendable, Equatable {
    /// Rows of a strip.
    public var height: Int
    /// The rows a letter's box takes.
    public var boxRows: ClosedRange<Int>
    /// Columns per letter in the assignment's text: `n` letters in `classicPitch · n` px.
    public var classicPitch: Int
    /// Letters per strip unless told.
    public var defaultLetters: Int

    /// The course's geometry.
    public static let standard = StripGeometry(height: 30, boxRows: 1...28, classicPitch: 30, defaultLetters: 5)

    public init(height: Int, boxRows: ClosedRange<Int>, classicPitch: Int, defaultLetters: Int) {
        self.height = height; self.boxRows = boxRows; self.classicPitch = classicPitch; self.defaultLetters = defaultLetters
    }

    /// A letter box's side: a letter image is `boxSize` × `boxSize`, placed at ``boxRows``.
    public var boxSize: Int { boxRows.count }

    /// The width the assignment's text gives `n` letters: `classicPitch · n` (150 px for 5).
    public func classicWidth(letters n: Int) -> Int { classicPitch * n }

    /// The width of the real course files for `n` letters: `boxSize · (n + 1)` (168 px for 5).
    public func cohortWidth(letters n: Int) -> Int { boxSize * (n + 1) }

    /// Whether strips `width` px wide are one of the course's sizes for `n` letters.
    public func isCourseWidth(_ width: Int, letters n: Int) -> Bool {
        width == classicWidth(letters: n) || width == cohortWidth(letters: n)
    }

    /// Metadata keys a strip reader's model records the geometry under.
    public static let heightKey = "strip_height", boxRowsKey = "strip_box_rows"

    /// The geometry as model metadata (`strip_height`, `strip_box_rows` as `first-last`).
    public var metadata: [String: String] {
        [Self.heightKey: "\(height)", Self.boxRowsKey: "\(boxRows.lowerBound)-\(boxRows.upperBound)"]
    }

    /// The geometry a model's metadata records, the standard one where it records none (models made
    /// before it was recorded); nil where a key is malformed.
    public init?(metadata: [String: String]) {
        self = .standard
        if let h = metadata[Self.heightKey] {
            guard let v = Int(h), v > 0 else { return nil }
            height = v
        }
        if let r = metadata[Self.boxRowsKey] {
            let parts = r.split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
            guard parts.count == 2, let lo = parts[0], let hi = parts[1], 0 <= lo, lo <= hi, hi < height else { return nil }
            boxRows = lo...hi
        }
    }

    /// "30-row strips with letters at rows 1…28", for messages.
    public var description: String { "\(height)-row strips with letters at rows \(boxRows.lowerBound)…\(boxRows.upperBound)" }
}
