import COpenCL
import Foundation
import NeuralNet

/// The `Backend` protocol on an OpenCL device, with the hand-written kernels of `Kernels/`.
///
/// Every kernel file is built and every kernel of `OpenCLKernel` created when the backend is created
/// (programs once per device and process; see `OpenCLContext`), so a missing file, a build error or a
/// kernel missing from its file throws from `init` rather than in a step.
/// Operations, uploads included, are queued on one in-order command queue and return at once; only
/// `download` and `synchronize` wait. Copies ahead (`uploadAhead`) go on a second, transfer queue. A
/// backend must be used from one thread at a time.
public final class OpenCLBackend: Backend {
    public let name: String
    public let device: OpenCLDevice
    let context: OpenCLContext
    let queue: cl_command_queue
    private var kernels: [OpenCLKernel: cl_kernel] = [:]
    /// The dense kernels built with the small class's tile, when it is not the large class's.
    private var smallDenseKernels: [OpenCLKernel: cl_kernel] = [:]
    /// Scratch buffers (split-K partials, transposed weights), grown on demand.
    private var scratchBuffers: [String: OpenCLBuffer] = [:]
    /// The GEMM tiles of the dense kernels (dense.cl), one per `GEMMSizeClass`.
    public let denseTiles: GEMMTiles
    /// The GEMM tile of the convolution kernels (convolution.cl).
    public let convolutionTile: GEMMTile
    /// Work-group size for one-dimensional element-wise kernels.
    let elementwiseLocal: Int
    /// Per-kernel timing when `LETTERNET_OPENCL_PROFILE` is set.
    let profiler: OpenCLProfiler? = OpenCLProfiler.requested ? OpenCLProfiler() : nil
    /// Copies of uploads whose writes have not finished.
    let staging = UploadStaging()
    /// The second in-order queue that `uploadAhead` copies on, made on first use (see
    /// `OpenCLTransferQueue.swift`); nil until then, or where the device refused a second queue.
    var transferQueue: cl_command_queue?
    var transferQueueRefused = false
    /// Whether `uploadAhead` copies on the transfer queue (see `OpenCLTransferQueue.swift`): by default on
    /// a device with its own memory, where copy engines can move the next batch during a step; a CPU
    /// device or one sharing the host's memory copies with the same cores, so its copies stay on the
    /// compute queue. `LETTERNET_TRANSFER_QUEUE=on` or `off` decides for every device. Set it before
    /// making an `AlternatingInputs`: the marks it keeps are made (or not) as the setting was then.
    public var copiesAhead: Bool
    /// Launches, host waits and allocations so far (see `OpenCLCounts`).
    public internal(set) var counts = OpenCLCounts()
    /// The first failed call after `init` (see `DeviceFault`); from then on every operation is
    /// dropped and downloads return zeros.
    public private(set) var fault: DeviceFault?

    /// The device's memory and largest buffer; a discrete GPU is given batches of up to 1,024 examples,
    /// a CPU device or one sharing the host's memory the CPU backend's 64.
    public var deviceMemory: DeviceMemory? {
        DeviceMemory(bytes: Double(device.globalMemory), largestBuffer: Double(device.maxAllocation),
                     usefulBatch: device.isCPU || device.unifiedMemory ? 64 : 1024)
    }
    /// Failures injected for tests (`LETTERNET_OPENCL_FAULT`).
    var injection = OpenCLFaultInjection()

    /// The kernel files, one per op family.
    public static var kernelFiles: [String] { OpenCLKernel.files }

    /// The device at `deviceIndex` in the flat list of `OpenCLDevice.list()` (`opencl:N`).
    public convenience init(deviceIndex: Int = 0) throws {
        let devices = try OpenCLDevice.list()
        guard devices.indices.contains(deviceIndex) else {
            throw OpenCLError.noSuchDevice("opencl:\(deviceIndex)", available: devices.count)
        }
        try self.init(device: devices[deviceIndex])
    }

    /// Device `deviceIndex` of platform `platformIndex`.
    public convenience init(platformIndex: Int, deviceIndex: Int) throws {
        let devices = try OpenCLDevice.list()
        guard let d = devices.first(where: { $0.platformIndex == platformIndex && $0.deviceIndex == deviceIndex }) else {
            throw OpenCLError.noSuchDevice("\(deviceIndex) on platform \(platformIndex)", available: devices.count)
        }
        try self.init(device: d)
    }

    /// A backend on `device`, its dense layers on `denseTile` in both size classes (no tuning), its
    /// convolutions on the device's default tile.
    public convenience init(device: OpenCLDevice, denseTile: GEMMTile) throws {
        try self.init(device: device, denseTiles: GEMMTiles(denseTile), convolutionTile: .convolution(onCPU: device.isCPU))
    }

    /// A backend on `device`, its dense layers on `denseTiles` and its convolutions on `convolutionTile`
    /// (by default the tiles `GEMMAutotuner` and `ConvolutionAutotuner` pick for the device).
    public init(device: OpenCLDevice, denseTiles: GEMMTiles? = nil, convolutionTile: GEMMTile? = nil) throws {
        self.device = device
        name = "opencl:\(device.index) (\(device.name))"
        context = try OpenCLContext.shared(for: device)
        var status: cl_int = CL_SUCCESS
        let properties = cl_command_queue_properties(profiler == nil ? 0 : CL_QUEUE_PROFILING_ENABLE)
        guard let q = clCreateCommandQueue(context.context, device.id, properties, &status), status == CL_SUCCESS else {
            throw OpenCLError.call("clCreateCommandQueue", status: status)
        }
        queue = q
        copiesAhead = Self.copiesAheadByDefault(on: device)
        elementwiseLocal = min(256, device.maxWorkGroupSize)
        self.denseTiles = try denseTiles ?? GEMMAutotuner.tiles(for: device)
        self.convolutionTile = try convolutionTile ?? ConvolutionAutotuner.tile(for: device)
        // Every stored property is set: if building a kernel file throws, `deinit` runs and releases the
        // kernels made so far and the queue (releasing them here as well would release them twice).
        let denseFile = OpenCLKernel.linearForward.file, convolutionFile = OpenCLKernel.conv2dForward.file
        for file in Self.kernelFiles {
            let tile = file == denseFile ? self.denseTiles.large : file == convolutionFile ? self.convolutionTile : nil
            let (program, path) = try context.program(file, tile: tile)
            for kernel in OpenCLKernel.allCases where kernel.file == file {
                kernels[kernel] = try context.makeKernel(kernel, in: program, path: path)
            }
        }
        if self.denseTiles.small != self.denseTiles.large {
            let (program, path) = try context.program(denseFile, tile: self.denseTiles.small)
            for kernel in OpenCLKernel.allCases where kernel.file == denseFile {
                smallDenseKernels[kernel] = try context.makeKernel(kernel, in: program, path: path)
            }
        }
    }

    deinit {
        if let transferQueue { clFinish(transferQueue) }
        clFinish(queue)
        if let profiler {
            profiler.collect()
            FileHandle.standardError.write(Data("\(profiler.report)\nOpenCL commands: \(counts)\n".utf8))
        }
        for k in kernels.values { clReleaseKernel(k) }
        for k in smallDenseKernels.values { clReleaseKernel(k) }
        scratchBuffers.removeAll()
        clReleaseCommandQueue(queue)
        if let transferQueue { clReleaseCommandQueue(transferQueue) }
    }

    // MARK: Launching

    /// A kernel argument.
    enum Arg {
        case buffer(DeviceBuffer)
        case int(Int)
        case float(Float)
        case uint(UInt32)
    }


    @inline(__always) func mem(_ b: DeviceBuffer) -> cl_mem {
        guard let cl = b as? OpenCLBuffer else {
            preconditionFailure("OpenCLBackend was given a buffer of another backend (\(type(of: b)))")
        }
        guard let m = cl.mem else { preconditionFailure("OpenCL buffer used after the device failed") }
        return m
    }

    /// Queues `kernel` over `global` work-items (each dimension rounded up to a multiple of `local`);
    /// a dense kernel of the `small` class runs as built with that class's tile.
    func launch(_ kernel: OpenCLKernel, global: [Int], local: [Int]? = nil, sizeClass: GEMMSizeClass = .large,
                _ args: [Arg]) {
        guard let k = (sizeClass == .small ? smallDenseKernels[kernel] : nil) ?? kernels[kernel] else {
            preconditionFailure("OpenCL kernel \(kernel.name) was not created")
        }
        guard fault == nil else { return }
        if let status = injection?.status(for: .launch) {
            return record(OpenCLError.call("clEnqueueNDRangeKernel(\(kernel))", status: status))
        }
        for (i, arg) in args.enumerated() {
            let status: cl_int
            switch arg {
            case .buffer(let b):
                var m: cl_mem? = mem(b)
                status = clSetKernelArg(k, cl_uint(i), MemoryLayout<cl_mem>.size, &m)
            case .int(let v):
                precondition(v >= Int(Int32.min) && v <= Int(Int32.max), "\(kernel): argument \(i) = \(v) overflows cl_int")
                var x = cl_int(v)
                status = clSetKernelArg(k, cl_uint(i), MemoryLayout<cl_int>.size, &x)
            case .float(let v):
                var x = v
                status = clSetKernelArg(k, cl_uint(i), MemoryLayout<Float>.size, &x)
            case .uint(let v):
                var x = cl_uint(v)
                status = clSetKernelArg(k, cl_uint(i), MemoryLayout<cl_uint>.size, &x)
            }
            if status != CL_SUCCESS { return record(OpenCLError.call("clSetKernelArg(\(kernel), \(i))", status: status)) }
        }
        let local = local ?? [elementwiseLocal]
        var globalSize = zip(global, local).map { g, l in max(1, (g + l - 1) / l) * l }
        var localSize = local
        let status: cl_int
        if let profiler {
            var event: cl_event?
            status = clEnqueueNDRangeKernel(queue, k, cl_uint(global.count), nil, &globalSize, &localSize, 0, nil, &event)
            profiler.record(kernel.name, event)
        } else {
            status = clEnqueueNDRangeKernel(queue, k, cl_uint(global.count), nil, &globalSize, &localSize, 0, nil, nil)
        }
        if status != CL_SUCCESS { record(OpenCLError.call("clEnqueueNDRangeKernel(\(kernel))", status: status)) }
        counts.launches += 1
    }

    /// Queues a one-dimensional kernel over `count` elements (nothing when `count` is 0).
    func launch1D(_ kernel: OpenCLKernel, count: Int, _ args: [Arg]) {
        guard count > 0 else { return }
        launch(kernel, global: [count], args)
    }

    /// Records the first failure as the backend's `fault` (later ones follow from it); out-of-memory
    /// statuses suggest a smaller batch size.
    func record(_ error: OpenCLError) {
        guard fault == nil else { return }
        var reason = error.description
        if case let .call(call, status) = error, OpenCLError.isOutOfMemory(status) {
            reason += " — the device ran out of memory or resources in \(call); try a smaller batch size"
        }
        fault = DeviceFault(device: name, reason: reason)
    }

    /// A scratch buffer named `key` of at least `count` floats (contents undefined).
    func scratch(_ key: String, count: Int) -> OpenCLBuffer {
        if let b = scratchBuffers[key], b.count >= count { return b }
        let b = allocate(count: count)
        scratchBuffers[key] = b
        return b
    }

    // MARK: Memory

    /// A new zero-filled buffer, or `.outOfMemory` when the device cannot hold it.
    public func tryMakeBuffer(count: Int) throws -> OpenCLBuffer {
        precondition(count >= 0, "negative buffer size \(count)")
        let bytes = max(count, 1) * MemoryLayout<Float>.size
        if UInt64(bytes) > device.maxAllocation {
            throw OpenCLError.outOfMemory(bytes: bytes, call: "clCreateBuffer (device limit "
                                          + "\(OpenCLDevice.formatBytes(device.maxAllocation)) per buffer)",
                                          status: CL_INVALID_BUFFER_SIZE)
        }
        var status: cl_int = CL_SUCCESS
        guard let m = clCreateBuffer(context.context, cl_mem_flags(CL_MEM_READ_WRITE), bytes, nil, &status),
              status == CL_SUCCESS else {
            if OpenCLError.isOutOfMemory(status) {
                throw OpenCLError.outOfMemory(bytes: bytes, call: "clCreateBuffer", status: status)
            }
            throw OpenCLError.call("clCreateBuffer(\(bytes) bytes)", status: status)
        }
        let buffer = OpenCLBuffer(count: count, mem: m)
        counts.allocations += 1
        var zero: Float = 0
        status = clEnqueueFillBuffer(queue, m, &zero, MemoryLayout<Float>.size, 0, bytes, 0, nil, nil)
        if status != CL_SUCCESS {
            if OpenCLError.isOutOfMemory(status) {
                throw OpenCLError.outOfMemory(bytes: bytes, call: "clEnqueueFillBuffer", status: status)
            }
            throw OpenCLError.call("clEnqueueFillBuffer", status: status)
        }
        return buffer
    }

    /// A new buffer; when the device cannot make it, the failure becomes the backend's `fault` and a
    /// buffer without device memory stands in (no operation touches it after a fault).
    func allocate(count: Int) -> OpenCLBuffer {
        if fault == nil, let status = injection?.status(for: .alloc) {
            record(.outOfMemory(bytes: max(count, 1) * MemoryLayout<Float>.size, call: "clCreateBuffer", status: status))
        }
        if fault != nil { return OpenCLBuffer(count: count, mem: nil) }
        do { return try tryMakeBuffer(count: count) } catch let e as OpenCLError {
            record(e)
            return OpenCLBuffer(count: count, mem: nil)
        } catch { fatalError("\(error)") }
    }

    public func makeBuffer(count: Int) -> DeviceBuffer { allocate(count: count) }

    /// Queues a copy of `values` that does not wait (see `UploadStaging`): the caller may change
    /// `values` as soon as this returns.
    public func upload(_ values: UnsafeBufferPointer<Float>, to buffer: DeviceBuffer) {
        precondition(values.count <= buffer.count, "upload of \(values.count) floats into \(buffer.count)")
        guard values.baseAddress != nil, values.count > 0, fault == nil else { return }
        counts.queuedWrites += 1
        _ = queueWrite(values, to: buffer, on: queue, call: "clEnqueueWriteBuffer")
    }

    public func download(_ buffer: DeviceBuffer) -> [Float] {
        let n = buffer.count
        guard n > 0 else { synchronize(); return [] }
        guard fault == nil else { return [Float](repeating: 0, count: n) }
        let m = mem(buffer)
        counts.blockingReads += 1
        return [Float](unsafeUninitializedCapacity: n) { out, initialized in
            let status = clEnqueueReadBuffer(queue, m, cl_bool(CL_TRUE), 0, n * MemoryLayout<Float>.size,
                                             out.baseAddress, 0, nil, nil)
            if status != CL_SUCCESS {
                record(OpenCLError.call("clEnqueueReadBuffer", status: status))
                out.initialize(repeating: 0)
            }
            initialized = n
            profiler?.collect()
            staging.releaseFinished()
        }
    }

    public func synchronize() {
        guard fault == nil else { return }
        if let transferQueue { clFinish(transferQueue) }
        let status = clFinish(queue)
        counts.finishes += 1
        if status != CL_SUCCESS { record(OpenCLError.call("clFinish", status: status)) }
        staging.releaseFinished(all: status == CL_SUCCESS)
        profiler?.collect()
    }
}
