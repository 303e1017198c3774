/// A buffer of `Float`s that lives on a backend's device (host memory for `CPUBackend`,
/// a `cl_mem` for `OpenCLBackend`). Only the backend that made it may read or write it.
public protocol DeviceBuffer: AnyObject {
    /// Number of `Float` elements.
    var count: Int { get }
}

/// A float32 tensor in row-major (NCHW for images) layout, stored in a `DeviceBuffer`.
public final class Tensor {
    public let shape: [Int]
    /// Where the values live; `move(to:)` moves them (a model's parameters into one flat buffer).
    public private(set) var buffer: DeviceBuffer
    public unowned let backend: Backend

    public var count: Int { shape.reduce(1, *) }

    /// Allocates a zero-filled tensor on `backend`.
    public init(zeros shape: [Int], on backend: Backend) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative dimension in \(shape)")
        self.shape = shape
        self.backend = backend
        self.buffer = backend.makeBuffer(count: shape.reduce(1, *))
    }

    /// Uploads `values` (row-major) to a new tensor on `backend`.
    public convenience init(_ values: [Float], shape: [Int], on backend: Backend) {
        precondition(values.count == shape.reduce(1, *),
                     "\(values.count) values do not fill shape \(shape)")
        self.init(zeros: shape, on: backend)
        values.withUnsafeBufferPointer { backend.upload($0, to: buffer) }
    }

    /// Wraps an existing buffer (a view with another shape, or a buffer a backend made).
    public init(buffer: DeviceBuffer, shape: [Int], backend: Backend) {
        precondition(buffer.count >= shape.reduce(1, *), "buffer too small for \(shape)")
        self.shape = shape
        self.buffer = buffer
        self.backend = backend
    }

    /// The same storage seen with another shape of the same element count.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(newShape.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        return Tensor(buffer: buffer, shape: newShape, backend: backend)
    }

    /// Copies the values into `destination` (a buffer of the same backend, at least `count` floats) and
    /// keeps them there from now on. A view made by `reshaped` before the move keeps the old storage.
    public func move(to destination: DeviceBuffer) {
        precondition(destination.count >= count, "moving \(count) floats into \(destination.count)")
        backend.copy(buffer, to: destination, count: count)
        buffer = destination
    }

    /// Copies the values back to the host.
    public func toArray() -> [Float] {
        let all = backend.download(buffer)
        return all.count == count ? all : Array(all[0..<count])
    }

    /// Overwrites the values from the host.
    public func copy(from values: [Float]) {
        precondition(values.count == count, "expected \(count) values, got \(values.count)")
        values.withUnsafeBufferPointer { backend.upload($0, to: buffer) }
    }
}

extension Tensor: CustomStringConvertible {
    public var description: String { "Tensor(\(shape), \(backend.name))" }
}

/// A trainable tensor with its gradient and a stable name used by checkpoints and optimizers.
public final class Parameter {
    public let name: String
    public let value: Tensor
    public let grad: Tensor
    /// Whether optimizers apply weight decay to it (weights yes; biases and norm scales no).
    public let decays: Bool

    public init(name: String, value: Tensor, decays: Bool) {
        self.name = name
        self.value = value
        self.grad = Tensor(zeros: value.shape, on: value.backend)
        self.decays = decays
    }
}
