import LetterFormats
import Letters

/// The guesses of a `predict` run, gathered run by run of strips (a chunk of a `.npy`, or the images of
/// one width) and kept as what is written and checked afterwards rather than as every guess, so that the
/// guesses of a long file take little memory: the CSV text in input order, how many strips each first
/// guess's letter count has (for `--letters auto`), the rows the assignment's sanity check looks at, and,
/// only when asked (`--labels`, `--report`), every strip's guesses.
struct PredictionRows {
    let count: Int
    /// What is read, and how many letters, for the message about a strip without 5 readings.
    let source: String, letters: String
    /// The CSV text of the rows in input order so far.
    private(set) var text = ""
    private var next = 0
    /// Rows that came before the rows ahead of them (images are read width by width).
    private var waiting: [Int: String] = [:]
    /// How many strips' first guesses have each number of letters.
    private(set) var firstGuessLengths: [Int: Int] = [:]
    /// The rows the assignment's sanity check reads: the first two and the last two.
    private var ends: [Int: [[Int]]] = [:]
    /// Every strip's guesses in input order, if kept.
    private(set) var all: [[StripReader.Guess]]?
    /// The first strip (in input order) without 5 readings, and how many it has.
    private var short: (strip: Int, readings: Int)?

    init(count: Int, keepAll: Bool, source: String, letters: String) {
        self.count = count; self.source = source; self.letters = letters
        all = keepAll ? Array(repeating: [], count: count) : nil
    }

    /// Adds the guesses of the strips at `places` (0-based, in the input).
    mutating func add(_ guesses: [[StripReader.Guess]], at places: [Int]) throws {
        precondition(guesses.count == places.count, "one result per strip")
        for (g, i) in zip(guesses, places) {
            let row = g.map(\.labels)
            guard row.count == PredictionCSV.guessesPerRow else {
                if i < short?.strip ?? .max { short = (i, row.count) }
                continue
            }
            waiting[i] = try PredictionCSV.line(row, index: i)
            if let first = row.first { firstGuessLengths[first.count, default: 0] += 1 }
            if i < 2 || i >= count - 2 { ends[i] = row }
            all?[i] = g
        }
        while let line = waiting.removeValue(forKey: next) {
            text += line
            next += 1
        }
    }

    /// Refuses the rows if a strip has not 5 readings (the first such strip in input order is named).
    func check() throws {
        if let short {
            throw CLIFailure("\(source): strip \(short.strip) gave \(short.readings) readings of \(letters) letters, not \(PredictionCSV.guessesPerRow)")
        }
        precondition(next == count, "every strip read")
    }

    /// Every strip's rows, the ones the sanity check does not read left empty.
    var forSanityCheck: [[[Int]]] { (0..<count).map { ends[$0] ?? [] } }

    /// Every strip's rows (only when all guesses are kept).
    var rows: [[[Int]]]? { all.map { $0.map { $0.map(\.labels) } } }
}
