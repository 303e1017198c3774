import ArgumentParser
import FileIO
import Foundation

/// `--log FILE.csv`: the training's figures as a CSV with a header and one row per epoch (`train`) or
/// validation (`train-reader`), as Keras' CSVLogger and Lightning's CSVLogger write them, for pandas or
/// a spreadsheet. The whole file is rewritten atomically after every row. With `--resume` the rows up to
/// the point resumed from are kept and the run's rows follow.
final class MetricsLog {
    let url: URL
    let columns: [String]
    private(set) var rows: [[String]] = []

    /// A log of `columns`; `keepingUpTo` (when resuming) keeps the file's rows whose first column is at
    /// most that number, if the file has these columns.
    /// The file is written at once (the header, and the rows kept).
    init(url: URL, columns: [String], keepingUpTo resumed: Int? = nil) throws {
        self.url = url
        self.columns = columns
        if let resumed, let text = try? String(contentsOf: url, encoding: .utf8) {
            let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            if lines.first == columns {
                rows = lines.dropFirst().filter { $0.count == columns.count && (Int($0[0]).map { $0 <= resumed } ?? false) }
            }
        }
        try write()
    }

    /// Adds a row (one value per column) and rewrites the file.
    func add(_ values: [CustomStringConvertible]) throws {
        precondition(values.count == columns.count, "one value per column")
        rows.append(values.map(\.description))
        try write()
    }

    func write() throws {
        try AtomicFile.write(([columns] + rows).map { $0.joined(separator: ",") + "\n" }.joined(), to: url)
    }
}

/// `--log FILE`, shared by `train` and `train-reader`.
struct MetricsLogFile: ParsableArguments {
    @Option(name: .customLong("log"), help: "Also write the figures of every epoch or validation to this CSV file (with a header).")
    var path: PathArgument?

    /// For `OutputGuard`.
    var outputs: [OutputGuard.Named] { path.map { [.init("--log", $0.path)] } ?? [] }
}
