import Foundation

/// A one-line progress display on stderr: redrawn in place on a terminal (at most 10 times a
/// second), a plain line every 10% otherwise, so logs stay readable.
final class ProgressBar {
    let total: Int
    let label: String
    let isTerminal = isatty(STDERR_FILENO) != 0
    var lastDraw = Date.distantPast
    var lastDecile = -1
    let start = Date()

    init(total: Int, label: String) { self.total = max(total, 1); self.label = label }

    /// Shows `done` of `total`, with `detail` after the bar.
    func update(_ done: Int, detail: String = "") {
        let fraction = Double(done) / Double(total)
        if isTerminal {
            let now = Date()
            guard done >= total || now.timeIntervalSince(lastDraw) > 0.1 else { return }
            lastDraw = now
            let width = 24, filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[K\(label) \(bar) \(done)/\(total) \(detail)".utf8))
        } else {
            let decile = Int(fraction * 10)
            guard decile > lastDecile else { return }
            lastDecile = decile
            FileHandle.standardError.write(Data("\(label) \(done)/\(total) \(detail)\n".utf8))
        }
    }

    /// Ends the in-place line.
    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// "1h02m", "3m05s", "12s".
func formatDuration(_ seconds: Double) -> String {
    guard seconds.isFinite else { return "?" }
    let s = Int(seconds.rounded())
    if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
    if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
    return "\(s)s"
}

/// Prints to stderr.
func note(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
