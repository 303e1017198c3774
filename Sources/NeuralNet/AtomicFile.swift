import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers see either the old file or the complete new one, never a partial one.
public enum AtomicFile {
    /// Writes `data` to a temporary file in the destination's directory, fsyncs it, then renames it
    /// over `url`. On failure the temporary file is removed and an ``AtomicFileError`` is thrown.
    public static func write(_ data: Data, to url: URL) throws {
        let name = url.path
        let directory = url.deletingLastPathComponent()
        let temp = directory.appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { throw AtomicFileError(file: name, detail: String(cString: strerror(errno))) }
        var failure: String?
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                offset += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if failure == nil, rename(temp.path, url.path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temp.path)
            throw AtomicFileError(file: name, detail: failure)
        }
        // Make the rename itself durable; a failure here does not undo the write, so it is ignored.
        let dirFD = open(directory.path, O_RDONLY)
        if dirFD >= 0 { _ = fsync(dirFD); _ = close(dirFD) }
    }

    /// Writes UTF-8 `text` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }
}

/// A file that could not be written; one line naming the file and the reason.
public struct AtomicFileError: Error, CustomStringConvertible, LocalizedError {
    public let file: String, detail: String
    public var description: String { "\(file): cannot write (\(detail))" }
    public var errorDescription: String? { description }
}
