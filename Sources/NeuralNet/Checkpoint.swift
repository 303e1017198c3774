import Foundation
import FileIO

/// A trained network on disk, loadable on any backend.
///
/// Layout (all integers little-endian):
/// ```
/// 0      8 bytes   magic "LTRNET\r\n"
/// 8      UInt32    format version: 1, or 2 when a layer is a residual block (`formatVersion(for:)`)
/// 12     UInt32    header length H in bytes
/// 16     H bytes   UTF-8 JSON header: {"inputShape", "layers", "metadata", "tensors": [{"name","shape"}]}
/// 16+H   float32s  the tensors' values, in header order, row-major, little-endian
/// ```
/// Tensors named `<layer>.<name>` are the model's; others (e.g. `optimizer.m.0.weight`) are extra
/// state that training keeps for `--resume`.
public struct Checkpoint {
    public static let magic = ModelSignature.bytes
    /// The newest format version, which this build reads along with the older ones.
    public static let formatVersion: UInt32 = 2

    /// The version a file of `layers` is written as: 1, which every build reads, unless a layer is a
    /// residual block (2), so files of plain chains stay byte for byte what they were and a build
    /// that knows no residual blocks refuses a file with one by its version.
    public static func formatVersion(for layers: [LayerSpec]) -> UInt32 {
        layers.contains { $0.nestingDepth > 0 } ? 2 : 1
    }
    /// Refuse headers and files beyond these sizes before allocating anything.
    static let maxHeaderBytes = 1 << 24
    static let maxTensorElements = 1 << 28

    public var inputShape: [Int]
    public var layers: [LayerSpec]
    public var metadata: [String: String]
    public var tensors: [(name: String, shape: [Int], values: [Float])]

    public init(inputShape: [Int], layers: [LayerSpec], metadata: [String: String] = [:],
                tensors: [(name: String, shape: [Int], values: [Float])]) {
        self.inputShape = inputShape; self.layers = layers; self.metadata = metadata; self.tensors = tensors
    }

    /// Captures `model`'s architecture and tensors.
    public init(model: Sequential, metadata: [String: String] = [:]) {
        self.init(inputShape: model.inputShape, layers: model.specs, metadata: metadata,
                  tensors: model.namedTensors.map { ($0.name, $0.tensor.shape, $0.tensor.toArray()) })
    }

    public func tensor(named name: String) -> (shape: [Int], values: [Float])? {
        tensors.first { $0.name == name }.map { ($0.shape, $0.values) }
    }

    /// Builds the network on `backend` and loads its tensors; refuses a checkpoint whose tensors
    /// disagree with its architecture.
    public func makeModel(on backend: Backend, source: String = "checkpoint") throws -> Sequential {
        do { _ = try LayerSpec.check(layers, inputShape: inputShape) } catch {
            throw CheckpointError(source, "impossible architecture: \(error)")
        }
        // Compare the stored tensors with the architecture before building it: the layer sizes come
        // from the header, and only tensors actually in the file bound what building may allocate.
        for (i, layer) in layers.enumerated() {
            for (name, shape) in layer.checkpointTensorShapes {
                try checkTensor("\(i).\(name)", shape: shape, source: source)
            }
        }
        let model = Sequential(specs: layers, inputShape: inputShape, backend: backend, seed: 0)
        try load(into: model, source: source)
        return model
    }

    /// Copies the model tensors into an existing network of the same architecture.
    public func load(into model: Sequential, source: String = "checkpoint") throws {
        guard model.specs == layers else {
            throw CheckpointError(source, "architecture differs from the model it is loaded into")
        }
        for (name, tensor) in model.namedTensors {
            try checkTensor(name, shape: tensor.shape, source: source)
            let values = self.tensor(named: name)!.values
            try Self.checkValues(values, of: name, source: source, bound: Self.maxWeight)
            tensor.copy(from: values)
        }
        model.weightsChanged()
    }

    /// The largest magnitude accepted in a model tensor. The shipped models stay below 30 (batch-norm
    /// running variances), their weights below 2; a value beyond this is a broken or forged model
    /// whose outputs would overflow into garbage.
    public static let maxWeight: Float = 1e4

    /// Refuses NaN, infinite or absurd (beyond `bound`) values in tensor `name`, and a negative
    /// running variance, naming the tensor and the model.
    public static func checkValues(_ values: [Float], of name: String, source: String, bound: Float = .infinity) throws {
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            let n = values.lazy.filter { !$0.isFinite }.count
            throw CheckpointError(source, "tensor '\(name)' holds \(n) NaN or infinite value(s) (the first at index \(i)): "
                                  + "the model is broken (it diverged or was damaged)")
        }
        if let i = values.firstIndex(where: { abs($0) > bound }) {
            throw CheckpointError(source, "tensor '\(name)' holds \(values[i]) at index \(i), beyond ±\(bound): not a usable model")
        }
        if name.hasSuffix("running_var"), let i = values.firstIndex(where: { $0 < 0 }) {
            throw CheckpointError(source, "tensor '\(name)' holds a negative variance \(values[i]) at index \(i): not a usable model")
        }
    }

    func checkTensor(_ name: String, shape: [Int], source: String) throws {
        guard let stored = self.tensor(named: name) else {
            throw CheckpointError(source, "tensor '\(name)' is missing")
        }
        guard stored.shape == shape else {
            throw CheckpointError(source, "tensor '\(name)' has shape \(stored.shape), the architecture needs \(shape)")
        }
    }

    // MARK: Bytes

    struct Header: Codable {
        var inputShape: [Int]
        var layers: [LayerSpec]
        var metadata: [String: String]
        var tensors: [Entry]
        struct Entry: Codable { var name: String; var shape: [Int] }
    }

    public func encoded() throws -> Data {
        let header = Header(inputShape: inputShape, layers: layers, metadata: metadata,
                            tensors: tensors.map { .init(name: $0.name, shape: $0.shape) })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try encoder.encode(header)
        var data = Data(Self.magic)
        withUnsafeBytes(of: Self.formatVersion(for: layers).littleEndian) { data.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(json)
        for t in tensors {
            precondition(t.values.count == t.shape.reduce(1, *), "tensor \(t.name) does not match its shape")
            let littleEndian = t.values.map { $0.bitPattern.littleEndian }
            littleEndian.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Writes atomically (temporary file, fsync, rename).
    public func write(to url: URL) throws { try AtomicFile.write(encoded(), to: url) }

    /// The largest checkpoint file read (the biggest shipped model is a few MB).
    static let maxFileBytes = 2 << 30

    public static func read(from url: URL) throws -> Checkpoint {
        let bytes: [UInt8]
        do { bytes = try InputFile.read(url.path, limit: maxFileBytes) } catch let failure as InputFile.Failure {
            throw CheckpointError(url.path, "cannot read: \(failure.detail)")
        }
        return try decode(Data(bytes), source: url.path)
    }

    public static func decode(_ data: Data, source: String) throws -> Checkpoint {
        let bytes = [UInt8](data)
        guard bytes.count >= 16 else { throw CheckpointError(source, "truncated: \(bytes.count) bytes, not a checkpoint") }
        guard Array(bytes[0..<8]) == magic else { throw CheckpointError(source, "wrong magic: not a letternet checkpoint") }
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        let version = u32(8)
        guard (1...formatVersion).contains(version) else {
            throw CheckpointError(source, "format version \(version) is not supported (this build reads 1 to \(formatVersion))")
        }
        let headerLength = Int(u32(12))
        guard headerLength <= maxHeaderBytes, 16 + headerLength <= bytes.count else {
            throw CheckpointError(source, "truncated or corrupt header (declares \(headerLength) bytes)")
        }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(bytes[16..<(16 + headerLength)])) } catch {
            throw CheckpointError(source, "corrupt header: \(error)")
        }
        guard version >= formatVersion(for: header.layers) else {
            throw CheckpointError(source, "format version \(version) cannot hold residual blocks: corrupt header")
        }
        var offset = 16 + headerLength
        var tensors: [(name: String, shape: [Int], values: [Float])] = []
        for entry in header.tensors {
            guard entry.shape.allSatisfy({ $0 >= 0 && $0 <= maxTensorElements }) else {
                throw CheckpointError(source, "tensor '\(entry.name)' has an invalid shape \(entry.shape)")
            }
            let (n, overflow) = entry.shape.reduce((1, false)) { acc, d in
                let (m, o) = acc.0.multipliedReportingOverflow(by: d); return (m, acc.1 || o)
            }
            guard !overflow, n <= maxTensorElements, offset + 4 * n <= bytes.count else {
                throw CheckpointError(source, "truncated: tensor '\(entry.name)' \(entry.shape) runs past the end of the file")
            }
            let values = bytes.withUnsafeBytes { raw in
                (0..<n).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4 * $0, as: UInt32.self))) }
            }
            offset += 4 * n
            tensors.append((entry.name, entry.shape, values))
        }
        guard offset == bytes.count else {
            throw CheckpointError(source, "\(bytes.count - offset) unexpected bytes after the last tensor")
        }
        return Checkpoint(inputShape: header.inputShape, layers: header.layers, metadata: header.metadata, tensors: tensors)
    }
}

/// A checkpoint that cannot be used; the description is one line naming the file and the problem.
public struct CheckpointError: Error, CustomStringConvertible, LocalizedError {
    public let source: String, problem: String
    public init(_ source: String, _ problem: String) { self.source = source; self.problem = problem }
    public var description: String { "\(source): \(problem)" }
    public var errorDescription: String? { description }
}
