import ArgumentParser
import Foundation

/// `letternet`: train handwritten-letter classifiers, read noisy letter strips, write prediction.csv.
@main
struct LetterNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letternet",
        abstract: "Train handwritten-letter classifiers and read noisy letter strips.",
        version: Version.text,
        subcommands: [
            Inspect.self,
            Devices.self,
            Train.self,
            Evaluate.self,
            Average.self,
            Synth.self,
            DemoLettersCommand.self,
            TrainReader.self,
            Predict.self,
            Score.self,
            Export.self,
            Bench.self,
            SelfTest.self,
        ]
    )

    /// One exit convention for every failure: bad options (unknown, unparsable, out of range) and bad
    /// input alike print one line `error: <problem>` on stderr and exit with status 2; `--help` prints
    /// the help and exits 0; an interrupted run exits 130.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }  // --help, help SUBCOMMAND
            if let code = error as? ExitCode { Foundation.exit(code.rawValue) }  // already reported
            note("error: " + usageProblem(error))
            Foundation.exit(2)
        }
    }

    /// The parser's message for `error`, with the command's `--help` hint on the same line.
    static func usageProblem(_ error: Error) -> String {
        let text = message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
        let problem = text.prefix(1).lowercased() + text.dropFirst()
        let help = fullMessage(for: error).split(separator: "\n")
            .first { $0.contains("--help' for more information") }
            .flatMap { line in line.split(separator: "'").dropFirst().first }
        return Terminal.escaped(problem + (help.map { " (see '\($0)')" } ?? ""))
    }
}
