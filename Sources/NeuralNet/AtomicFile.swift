import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes files so that readers see either the old content or the whole new content, never a
/// half-written file: the bytes go to a temporary file in the same folder, are flushed with
/// `fsync`, and the temporary file is renamed over the destination.
public enum AtomicFile {
    public static func write(_ data: Data, to url: URL) throws {
        let folder = url.deletingLastPathComponent()
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        let fd = open(temp.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path,
                NSLocalizedDescriptionKey: "\(url.path): cannot write (\(String(cString: strerror(errno))))"])
        }
        var failure: Int32 = 0
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n <= 0 { failure = errno; return }
                offset += n
            }
        }
        if failure == 0 && fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0 && rename(temp.path, url.path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temp.path)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path,
                NSLocalizedDescriptionKey: "\(url.path): write failed (\(String(cString: strerror(failure))))"])
        }
        // Make the rename itself durable.
        let dir = open(folder.path, O_RDONLY)
        if dir >= 0 { _ = fsync(dir); close(dir) }
    }
}
