import ArgumentParser
import Foundation
import Letters

/// Runs a subcommand's body; a ``LettersError`` (bad input) is printed as `error: <file>: <problem>`
/// on stderr and turned into exit status 2. Other errors propagate unchanged.
func reportingInputErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let error as LettersError {
        FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
        throw ExitCode(2)
    }
}
