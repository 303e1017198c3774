import FileIO
import Foundation
import LetterFormats

/// The rows of `prediction.csv` (``PredictionCSV``), gathered run by run of strips (a chunk of a
/// `.npy`, or the images of one width) and kept as what is written and checked afterwards rather than as
/// every guess, so that the guesses of a long file take little memory: the CSV text in input order, how
/// many strips each first guess's letter count has (for `--letters auto`), the rows the assignment's
/// sanity check looks at, and, only when asked (`keepAll`: labels to score, a report), every strip's
/// guesses. The one writer of `prediction.csv`.
public struct PredictionRows {
    public let count: Int
    /// What is read, and how many letters, for the message about a strip without 5 readings.
    let source: String, letters: String
    /// The CSV text of the rows in input order so far.
    public private(set) var text = ""
    private var next = 0
    /// Rows that came before the rows ahead of them (images are read width by width).
    private var waiting: [Int: String] = [:]
    /// How many strips' first guesses have each number of letters.
    public private(set) var firstGuessLengths: [Int: Int] = [:]
    /// The rows the assignment's sanity check reads (``AssignmentSanityCheck/known``), by strip.
    private var known: [Int: [[Int]]] = [:]
    /// Every strip's guesses in input order, if kept.
    public private(set) var all: [[StripReader.Guess]]?
    /// The first strip (in input order) without 5 readings, and how many it has.
    private var short: (strip: Int, readings: Int)?

    public init(count: Int, keepAll: Bool, source: String, letters: String) {
        self.count = count; self.source = source; self.letters = letters
        all = keepAll ? Array(repeating: [], count: count) : nil
    }

    /// Adds the guesses of the strips at `places` (0-based, in the input).
    public mutating func add(_ guesses: [[StripReader.Guess]], at places: [Int]) throws {
        precondition(guesses.count == places.count, "one result per strip")
        for (g, i) in zip(guesses, places) {
            let row = g.map(\.labels)
            guard row.count == PredictionCSV.guessesPerRow else {  // the one check of a row's guesses count
                if i < short?.strip ?? .max { short = (i, row.count) }
                continue
            }
            waiting[i] = try PredictionCSV.line(guesses: row, index: i)
            if let first = row.first { firstGuessLengths[first.count, default: 0] += 1 }
            if AssignmentSanityCheck.reads(strip: i, of: count) { known[i] = row }
            all?[i] = g
        }
        while let line = waiting.removeValue(forKey: next) {
            text += line
            next += 1
        }
    }

    /// Refuses the rows if a strip has not 5 readings (the first such strip in input order is named).
    public func check() throws {
        if let short {
            throw ShortRow(message: "\(source): strip \(short.strip) gave \(short.readings) readings of \(letters) letters, not \(PredictionCSV.guessesPerRow)")
        }
        precondition(next == count, "every strip read")
    }

    /// Writes `prediction.csv` to `url` atomically (a temporary file in the same folder, then a rename),
    /// after ``check()``.
    public func write(to url: URL) throws {
        try check()
        try AtomicFile.write(text, to: url)
    }

    /// The assignment's sanity check on these rows (nil unless it applies: see ``AssignmentSanityCheck``).
    public func sanityCheck(letters: Int) -> [AssignmentSanityCheck.Finding]? {
        AssignmentSanityCheck.check(rows: known, count: count, letters: letters)
    }

    /// Every strip's rows (only when all guesses are kept).
    public var rows: [[[Int]]]? { all.map { $0.map { $0.map(\.labels) } } }

    /// A strip without 5 readings, refused by ``check()``.
    public struct ShortRow: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
