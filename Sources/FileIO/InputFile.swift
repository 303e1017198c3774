import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole input files with a size cap. Regular files are read by their size; pipes, FIFOs,
/// sockets and process substitutions (`<(cat strips.npy)`, `/dev/stdin` on a pipe) are streams, read
/// to their end up to the cap. A directory or a device (`/dev/zero`, a terminal) is refused by what
/// it is, and every failure is one line naming the real problem.
public enum InputFile {
    /// Why a file could not be read; `tooLarge` is set when the cap was the reason.
    public struct Failure: Error, CustomStringConvertible {
        public let path: String, detail: String, tooLarge: Bool
        public var description: String { "\(path): \(detail)" }
    }

    /// The bytes of the file at `path`, at most `limit` of them.
    public static func read(_ path: String, limit: Int) throws -> [UInt8] {
        func fail(_ detail: String, tooLarge: Bool = false) -> Failure { Failure(path: path, detail: detail, tooLarge: tooLarge) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw fail(errno == ENOENT ? "no such file" : String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw fail(String(cString: strerror(errno))) }
        switch st.st_mode & S_IFMT {
        case S_IFDIR: throw fail("is a directory, not a file")
        case S_IFCHR: throw fail("is a character device (like /dev/zero or a terminal), not a file; give a file or a pipe")
        case S_IFBLK: throw fail("is a block device, not a file")
        case S_IFREG:
            let size = Int(st.st_size)
            guard size <= limit else { throw fail("file is \(size) bytes (limit \(limit))", tooLarge: true) }
            return try readAll(fd, expected: size, limit: limit, fail)
        default:  // FIFO, socket: a stream of unknown length
            return try readAll(fd, expected: 1 << 16, limit: limit, fail)
        }
    }

    /// Reads `fd` to its end; more than `limit` bytes is refused.
    private static func readAll(_ fd: Int32, expected: Int, limit: Int, _ fail: (String, Bool) -> Failure) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: max(expected, 1 << 12))
        var used = 0
        while true {
            if used == out.count {
                guard used <= limit else { break }
                out += [UInt8](repeating: 0, count: min(max(out.count, 1 << 16), limit + 1 - used))
            }
            let n = out.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress! + used, $0.count - used) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(String(cString: strerror(errno)), false)
            }
            if n == 0 { out.removeSubrange(used...); return out }
            used += n
        }
        throw fail("is longer than the limit of \(limit) bytes", true)
    }
}
