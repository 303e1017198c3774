import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that readers see either the old file or the complete new one, never a partial one.
///
/// What is done depends on what the output path names (looked up before anything is written):
/// - nothing yet: a new file, written to a temporary file beside it, fsynced, renamed into place;
/// - a regular file (or a symbolic link to one): the same, in the link target's directory, so the
///   link stays a link; the new file keeps the old one's permission bits (0600 stays 0600);
/// - a regular file without any write permission (0444): refused, not replaced;
/// - a character device, FIFO or socket (`/dev/null`, a named pipe): written through, in place —
///   renaming over it would replace the device node with a plain file;
/// - `/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`: written to that open descriptor,
///   whatever it is (a terminal, a pipe, or a file the shell opened with `>` or `>>`);
/// - a directory or a block device: refused.
public enum AtomicFile {
    /// How one output is written.
    enum Plan {
        /// Temporary file in the final path's directory, then rename; `mode` is the old file's.
        case replace(final: String, mode: mode_t?)
        /// Opened and written in place.
        case writeThrough(String)
        /// Written to this process's open descriptor.
        case descriptor(Int32)
    }

    /// The descriptor a path such as `/dev/stdout` or `/dev/fd/3` names, or nil.
    static func descriptor(named path: String) -> Int32? {
        switch path {
        case "/dev/stdin": return 0
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) {
                return Int32(path.dropFirst(prefix.count))
            }
            return nil
        }
    }

    /// Decides how `url` is written, or refuses it, without writing anything.
    static func plan(_ url: URL) throws -> Plan {
        let path = url.path
        if let fd = descriptor(named: path) {
            guard fcntl(fd, F_GETFD) != -1 else { throw AtomicFileError(file: path, detail: "descriptor \(fd) is not open") }
            return .descriptor(fd)
        }
        var st = stat()
        guard stat(path, &st) == 0 else {
            guard errno == ENOENT else { throw AtomicFileError(file: path, detail: String(cString: strerror(errno))) }
            return .replace(final: path, mode: nil)
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            let mode = st.st_mode & 0o7777
            guard mode & 0o222 != 0 else {
                throw AtomicFileError(file: path, detail: String(format: "read-only file, mode %04o: not replaced; make it writable or choose another path", mode))
            }
            return .replace(final: realpath(path) ?? path, mode: mode)
        case S_IFCHR, S_IFIFO, S_IFSOCK: return .writeThrough(path)
        case S_IFDIR: throw AtomicFileError(file: path, detail: "is a directory")
        default: throw AtomicFileError(file: path, detail: "is a block device")
        }
    }

    /// Checks, without writing, that `url` can be written as ``write(_:to:)`` would: not a read-only
    /// file, a directory or a block device, and in an existing directory. Commands call it before a
    /// long run, so a bad output path is refused before the work, not after.
    public static func check(_ url: URL) throws {
        guard case let .replace(final, _) = try plan(url) else { return }
        var isDirectory: ObjCBool = false
        let parent = URL(fileURLWithPath: final).deletingLastPathComponent().path
        guard FileManager.default.fileExists(atPath: parent, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw AtomicFileError(file: url.path, detail: "no directory \(parent)")
        }
    }

    /// Writes `data` to `url` (see the type's notes). On failure the temporary file is removed, the
    /// old file is untouched, and an ``AtomicFileError`` is thrown.
    public static func write(_ data: Data, to url: URL) throws {
        try write([(data, url)])
    }

    /// Writes UTF-8 `text` atomically.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Writes several files as one: all of them or none. Every path is checked first; then every new
    /// file is written to a temporary file; then each is renamed into place, keeping a hard link to the
    /// old file so that a failed rename puts back the files already renamed. Outputs written through
    /// (devices, FIFOs) come last and cannot be taken back.
    public static func write(_ files: [(data: Data, url: URL)]) throws {
        let plans = try files.map { try plan($0.url) }
        var temps: [(temp: String, final: String)] = []
        defer { for t in temps { unlink(t.temp) } }  // those not renamed
        for (file, plan) in zip(files, plans) {
            guard case let .replace(final, mode) = plan else { continue }
            let temp = try writeTemporary(file.data, beside: final, mode: mode, name: file.url.path)
            temps.append((temp, final))
        }
        var done: [(final: String, backup: String?)] = []
        for (i, t) in temps.enumerated() {
            let backup = t.final + ".old-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
            let kept = link(t.final, backup) == 0 ? backup : nil
            if renameHook?(i) ?? true, rename(t.temp, t.final) == 0 {
                done.append((t.final, kept))
                continue
            }
            let failure = String(cString: strerror(errno))
            if let kept { unlink(kept) }
            for d in done.reversed() {  // put back what was already replaced
                if let b = d.backup { rename(b, d.final) } else { unlink(d.final) }
            }
            throw AtomicFileError(file: t.final, detail: failure)
        }
        for d in done { if let b = d.backup { unlink(b) } }
        temps = []
        // Make the renames durable; a failure here does not undo the writes, so it is ignored.
        for d in done {
            let dirFD = open(URL(fileURLWithPath: d.final).deletingLastPathComponent().path, O_RDONLY)
            if dirFD >= 0 { _ = fsync(dirFD); _ = close(dirFD) }
        }
        for (file, plan) in zip(files, plans) {
            switch plan {
            case .replace: break
            case let .writeThrough(path): try writeThrough(file.data, to: path)
            case let .descriptor(fd):
                fflush(stdout)  // keep the order of what was printed before
                if let failure = writeAll(file.data, to: fd) { throw AtomicFileError(file: file.url.path, detail: failure) }
            }
        }
    }

    /// Test hook: asked before the `i`-th rename of a group; false makes that rename fail.
    nonisolated(unsafe) static var renameHook: ((Int) -> Bool)?

    /// Writes `data` to a new temporary file in `final`'s directory (fsynced, with `mode` when given).
    static func writeTemporary(_ data: Data, beside final: String, mode: mode_t?, name: String) throws -> String {
        let url = URL(fileURLWithPath: final)
        let temp = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw AtomicFileError(file: name, detail: String(cString: strerror(errno))) }
        var failure = writeAll(data, to: fd)
        if failure == nil, let mode, fchmod(fd, mode) != 0 { failure = String(cString: strerror(errno)) }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temp)
            throw AtomicFileError(file: name, detail: failure)
        }
        return temp
    }

    /// Writes `data` into the existing device, FIFO or socket at `path`.
    static func writeThrough(_ data: Data, to path: String) throws {
        let fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else { throw AtomicFileError(file: path, detail: String(cString: strerror(errno))) }
        var failure = writeAll(data, to: fd)
        if close(fd) != 0, failure == nil { failure = String(cString: strerror(errno)) }
        if let failure { throw AtomicFileError(file: path, detail: failure) }
    }

    /// Writes every byte of `data` to `fd`; the error text, or nil.
    static func writeAll(_ data: Data, to fd: Int32) -> String? {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> String? in
            var offset = 0
            while offset < raw.count {
                let n = Foundation.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                offset += n
            }
            return nil
        }
    }

    /// The canonical path of an existing file (symbolic links resolved), or nil.
    static func realpath(_ path: String) -> String? {
        guard let p = Foundation.realpath(path, nil) else { return nil }
        defer { free(p) }
        return String(cString: p)
    }
}

/// A file that could not be written; one line naming the file and the reason.
public struct AtomicFileError: Error, CustomStringConvertible, LocalizedError {
    public let file: String, detail: String
    public var description: String { "\(file): cannot write (\(detail))" }
    public var errorDescription: String? { description }
}
