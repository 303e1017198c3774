import Foundation
import FileIO
import Letters
import NeuralNet

/// Refuses, before anything is read or written, an output that cannot be written (read-only, a
/// directory, in a missing directory), an output that is the same file as one of the command's inputs (same device and inode, so through symbolic and hard links too), or two outputs
/// that name one file: writing it would destroy the input, or one output the other.
enum OutputGuard {
    /// One file a command reads or writes, and the option that names it (for the message).
    struct Named {
        let option: String, path: String
        init(_ option: String, _ path: String) { self.option = option; self.path = path }
    }

    /// Identity of an existing file: device and inode (symbolic links followed).
    struct Identity: Hashable { let device: UInt64, inode: UInt64 }

    static func identity(_ path: String) -> Identity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }

    /// Whether `path` exists and is a regular file (devices and FIFOs may be written twice).
    static func isRegularOrMissing(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) != 0 || st.st_mode & S_IFMT == S_IFREG
    }

    /// A key for an output that may not exist yet: its identity, else its canonical directory and name.
    static func key(_ path: String) -> String {
        if let id = identity(path) { return "\(id.device):\(id.inode)" }
        let url = URL(fileURLWithPath: path)
        let parent = url.deletingLastPathComponent().resolvingSymlinksInPath().path
        return parent + "/" + url.lastPathComponent
    }

    static func check(outputs: [Named], inputs: [Named]) throws {
        for output in outputs { try AtomicFile.check(URL(fileURLWithPath: output.path)) }
        let inputIDs = inputs.compactMap { input in identity(input.path).map { ($0, input) } }
        for output in outputs {
            guard let id = identity(output.path) else { continue }
            if let (_, input) = inputIDs.first(where: { $0.0 == id }) {
                throw CLIFailure("\(output.path): \(output.option) is the same file as \(input.option) \(input.path); "
                                 + "refusing to overwrite an input (choose another \(output.option))")
            }
        }
        var seen: [String: Named] = [:]
        for output in outputs where isRegularOrMissing(output.path) {
            let k = key(output.path)
            if let other = seen[k] {
                throw CLIFailure("\(output.path): \(output.option) and \(other.option) name the same file; give them different paths")
            }
            seen[k] = output
        }
    }
}

extension OutputGuard.Named {
    /// Every file `LetterDataset.load` reads for the data argument `path` (an idx file's labels too).
    static func data(_ option: String, _ path: String) -> [OutputGuard.Named] {
        LetterDataset.sourceFiles(of: URL(fileURLWithPath: path)).map { .init(option, $0.relativePath) }
    }
}
