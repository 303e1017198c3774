import Foundation

/// Built kernel programs kept on disk between processes, so that a process does not compile the
/// kernels again: one file per program, named by a hash of its key and holding the key itself (the
/// device, its vendor and version, the driver version, the build options and the source text's hash),
/// the device binary (`CL_PROGRAM_BINARIES`) and a checksum of it. A file whose key differs (another
/// driver, edited kernels) or that is cut short or damaged is ignored, and the program is built from
/// source and written again. Files are written to a temporary file and renamed into place.
///
/// The folder is `$LETTERNET_KERNEL_CACHE` when set (`off` turns the cache off), otherwise
/// `$XDG_CACHE_HOME/letternet/kernels` or `~/.cache/letternet/kernels`.
struct OpenCLBinaryCache {
    static let environmentVariable = "LETTERNET_KERNEL_CACHE"
    static let magic = Data("letternet kernel binary 1\n".utf8)

    let folder: URL

    /// The cache folder for this process, or nil when the cache is off (or no home folder is known).
    static func folder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL? {
        if let v = environment[environmentVariable], !v.isEmpty {
            return ["off", "0", "false"].contains(v.lowercased()) ? nil : URL(fileURLWithPath: v, isDirectory: true)
        }
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("letternet/kernels", isDirectory: true)
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return URL(fileURLWithPath: home).appendingPathComponent(".cache/letternet/kernels", isDirectory: true)
    }

    /// The key of a program: everything its binary depends on.
    static func key(device: OpenCLDevice, buildOptions: String, source: String) -> String {
        [device.platformName, device.platformVersion, device.name, device.vendor, device.version,
         "driver " + device.driverVersion, "options " + buildOptions,
         "source \(source.utf8.count) bytes, fnv1a64 " + hex(fnv1a(Data(source.utf8)))].joined(separator: "\n")
    }

    func url(for key: String) -> URL { folder.appendingPathComponent(Self.hex(Self.fnv1a(Data(key.utf8))) + ".bin") }

    /// The binary stored for `key`, or nil when there is none, its key differs, or the file is damaged.
    func load(key: String) -> Data? {
        guard let file = try? Data(contentsOf: url(for: key)) else { return nil }
        var rest = file[...]
        func take(_ n: Int) -> Data? {
            guard n >= 0, rest.count >= n else { return nil }
            defer { rest = rest.dropFirst(n) }
            return Data(rest.prefix(n))
        }
        func word() -> UInt64? { take(8).map { UInt64(littleEndian: $0.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }) } }
        func length() -> Int? { word().flatMap { Int(exactly: $0) } }
        guard take(Self.magic.count) == Self.magic, let keyLength = length(), let storedKey = take(keyLength),
              storedKey == Data(key.utf8), let binaryLength = length(), let binary = take(binaryLength),
              let sum = word(), rest.isEmpty, !binary.isEmpty, sum == Self.fnv1a(binary) else { return nil }
        return binary
    }

    /// Stores `binary` for `key` (atomically); a failure to write only costs a build next time.
    func store(key: String, binary: Data) {
        func number(_ n: UInt64) -> Data { withUnsafeBytes(of: n.littleEndian) { Data($0) } }
        var file = Self.magic
        file += number(UInt64(key.utf8.count)) + Data(key.utf8)
        file += number(UInt64(binary.count)) + binary + number(Self.fnv1a(binary))
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try? file.write(to: url(for: key), options: .atomic)
    }

    /// FNV-1a, 64 bits.
    static func fnv1a(_ data: Data) -> UInt64 {
        data.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    static func hex(_ n: UInt64) -> String {
        let s = String(n, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
