import COpenCL
import Foundation

/// One OpenCL context per device, shared by every `OpenCLBackend` on that device for the life of the
/// process, with the programs built in it: each kernel source text is built at most once per context
/// (keyed by the text, so a `LETTERNET_KERNELS` folder with other files gets its own programs).
final class OpenCLContext {
    let device: OpenCLDevice
    let context: cl_context
    /// Options passed to every `clBuildProgram`: the reduction work-group size as a `-D` definition,
    /// never fast-math (results must match the CPU backend). Each file adds a GEMM tile's definitions
    /// (`options(tile:)`).
    let buildOptions: String
    /// Work-group size of the per-channel reductions (include/reduction.h).
    let reduceLocal: Int
    /// The GEMM tile the files without one of their own are built with (the definitions are unused
    /// there); dense.cl and convolution.cl take their backend's tiles.
    let defaultTile: GEMMTile

    /// The full build options of a file built with `tile`.
    func options(tile: GEMMTile) -> String { buildOptions + " " + tile.defines }
    private var programs: [String: cl_program] = [:]
    /// Where built programs are kept between processes (nil: off); see `OpenCLBinaryCache`.
    let cache = OpenCLBinaryCache.folder().map(OpenCLBinaryCache.init)
    private let lock = NSLock()

    private static var shared: [cl_device_id: OpenCLContext] = [:]
    private static let sharedLock = NSLock()

    /// The process-wide context for `device`, created on first use.
    static func shared(for device: OpenCLDevice) throws -> OpenCLContext {
        sharedLock.lock(); defer { sharedLock.unlock() }
        if let c = shared[device.id] { return c }
        let c = try OpenCLContext(device: device)
        shared[device.id] = c
        return c
    }

    private init(device: OpenCLDevice) throws {
        self.device = device
        defaultTile = GEMMTile.convolution(onCPU: device.isCPU)
        var status: cl_int = CL_SUCCESS
        var id: cl_device_id? = device.id
        guard let ctx = clCreateContext(nil, 1, &id, nil, nil, &status), status == CL_SUCCESS else {
            throw OpenCLError.call("clCreateContext(\(device.name))", status: status)
        }
        context = ctx
        // Correctly rounded division and sqrt where the device offers them: closer to the CPU backend.
        let config: cl_device_fp_config = (try? OpenCLDevice.deviceValue(device.id,
                                                                          cl_device_info(CL_DEVICE_SINGLE_FP_CONFIG))) ?? 0
        var reduceLocal = 256
        while reduceLocal > device.maxWorkGroupSize { reduceLocal /= 2 }
        self.reduceLocal = reduceLocal
        buildOptions = "-DRED_LOCAL=\(reduceLocal)"
            + (config & cl_device_fp_config(CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT) != 0
               ? " -cl-fp32-correctly-rounded-divide-sqrt" : "")
    }

    deinit {
        for p in programs.values { clReleaseProgram(p) }
        clReleaseContext(context)
    }

    /// The built program of kernel file `file` (e.g. `convolution.cl`) as `KernelSource` reads it now,
    /// built with `tile` (`defaultTile` unless given), and its path; a text built before with the
    /// same options is not built again. Throws `.kernelFileNotFound` or `.buildFailed` (with the
    /// device's build log and the file path).
    func program(_ file: String, tile: GEMMTile? = nil) throws -> (program: cl_program, path: String) {
        let (source, path) = try KernelSource.load(file)
        let options = self.options(tile: tile ?? defaultTile)
        lock.lock(); defer { lock.unlock() }
        if let p = programs[options + "\n" + source] { return (p, path) }
        let program = try build(source: source, path: path, options: options, cache: cache).program
        programs[options + "\n" + source] = program
        return (program, path)
    }

    /// A new kernel object for `kernel` from `program`, built from the file at `path` (the caller owns
    /// it); `.kernelNotFound` names the kernel and the file when the file has no such kernel.
    func makeKernel(_ kernel: OpenCLKernel, in program: cl_program, path: String) throws -> cl_kernel {
        var status: cl_int = CL_SUCCESS
        if let k = clCreateKernel(program, kernel.name, &status), status == CL_SUCCESS { return k }
        if status == CL_INVALID_KERNEL_NAME { throw OpenCLError.kernelNotFound(kernel: kernel.name, file: path) }
        throw OpenCLError.call("clCreateKernel(\(kernel.name), \(path))", status: status)
    }

    /// Builds `source` (read from `path`, named in errors) for the device, from the binary that
    /// `cache` holds for it when there is a good one, else from source (then stored in `cache`); the
    /// caller owns the result.
    func build(source: String, path: String, options: String? = nil,
               cache: OpenCLBinaryCache?) throws -> (program: cl_program, cached: Bool) {
        let options = options ?? self.options(tile: defaultTile)
        guard let cache else { return (try build(source: source, path: path, options: options), false) }
        let key = OpenCLBinaryCache.key(device: device, buildOptions: options, source: source)
        if let binary = cache.load(key: key), let program = build(binary: binary, options: options) { return (program, true) }
        let program = try build(source: source, path: path, options: options)
        if let binary = self.binary(of: program) { cache.store(key: key, binary: binary) }
        return (program, false)
    }

    /// Builds `source` (read from `path`, named in errors) for the device with `options` (those of
    /// `defaultTile` unless given); the caller owns the result.
    func build(source: String, path: String, options: String? = nil) throws -> cl_program {
        let options = options ?? self.options(tile: defaultTile)
        var status: cl_int = CL_SUCCESS
        let program: cl_program? = source.withCString { text in
            var ptr: UnsafePointer<CChar>? = text
            var length = strlen(text)
            return clCreateProgramWithSource(context, 1, &ptr, &length, &status)
        }
        guard let program, status == CL_SUCCESS else {
            throw OpenCLError.call("clCreateProgramWithSource(\(path))", status: status)
        }
        var id: cl_device_id? = device.id
        status = clBuildProgram(program, 1, &id, options, nil, nil)
        if status != CL_SUCCESS {
            let log = buildLog(program)
            clReleaseProgram(program)
            throw OpenCLError.buildFailed(file: path, device: device.name, status: status, log: log)
        }
        return program
    }

    func buildLog(_ program: cl_program) -> String {
        var size = 0
        guard clGetProgramBuildInfo(program, device.id, cl_program_build_info(CL_PROGRAM_BUILD_LOG), 0, nil, &size)
                == CL_SUCCESS, size > 0 else { return "(no build log)" }
        var bytes = [CChar](repeating: 0, count: size + 1)
        _ = clGetProgramBuildInfo(program, device.id, cl_program_build_info(CL_PROGRAM_BUILD_LOG), size, &bytes, nil)
        return OpenCLDevice.trimmed(bytes)
    }
}
