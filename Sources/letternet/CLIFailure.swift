import ArgumentParser
import Foundation

/// A user-facing failure: printed as one line `error: <message>`, exit status 2.
struct CLIFailure: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// Runs `body`; any error other than an exit code becomes one `error: …` line on stderr and exit status 2.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        note("error: " + Terminal.escaped(String(describing: error)))
        throw ExitCode(2)
    }
}
