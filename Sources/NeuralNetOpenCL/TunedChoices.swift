import Foundation

/// A JSON file of the kernel cache folder that keeps an autotuner's choice per device and driver
/// (`gemm-tile.json`, `convolution-tile.json`): `{"version": N, "devices": {key: record}}`. A file that
/// is corrupt or of another version reads as empty; writes are atomic. Used under the tuner's lock.
struct TunedChoices<Record: Codable> {
    struct File: Codable {
        var version: Int
        var devices: [String: Record]
    }

    let url: URL
    let version: Int
    private(set) var file: File

    /// The file `name` in `folder`, read now.
    init(folder: URL, name: String, version: Int) {
        url = folder.appendingPathComponent(name)
        self.version = version
        file = (try? JSONDecoder().decode(File.self, from: Data(contentsOf: url)))
            .flatMap { $0.version == version ? $0 : nil } ?? File(version: version, devices: [:])
    }

    /// The key of a device: its name and driver version.
    static func key(_ device: OpenCLDevice) -> String { "\(device.name) | driver \(device.driverVersion)" }

    subscript(_ device: OpenCLDevice) -> Record? { file.devices[Self.key(device)] }

    /// Keeps `record` for `device` and writes the file (failures to write are ignored: the choice then
    /// holds for this process only).
    mutating func store(_ record: Record, for device: OpenCLDevice) {
        file.devices[Self.key(device)] = record
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(file) {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? data.write(to: url, options: .atomic)
        }
    }
}
