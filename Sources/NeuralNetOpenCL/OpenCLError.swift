import COpenCL
import Foundation

/// A failed OpenCL call, a missing device, kernel file or kernel, or a program that did not build.
/// The description names the failing call and the status by its `CL_…` name.
public enum OpenCLError: Error, CustomStringConvertible {
    /// `call` returned `status` (a negative `cl_int`).
    case call(String, status: cl_int)
    /// No device with that index; `available` is the number of devices found.
    case noSuchDevice(String, available: Int)
    /// A `.cl` file could not be found in any of `searched`.
    case kernelFileNotFound(file: String, searched: [String])
    /// The built program of `file` has no kernel named `kernel`.
    case kernelNotFound(kernel: String, file: String)
    /// `clBuildProgram` failed for `file`; `log` is the device's build log.
    case buildFailed(file: String, device: String, status: cl_int, log: String)
    /// A device allocation failed; the message suggests a smaller batch size.
    case outOfMemory(bytes: Int, call: String, status: cl_int)
    /// `LETTERNET_GEMM_TILE` names no `GEMMTile` candidate.
    /// A tile named in `variable` that is not one of `candidates`.
    case invalidTile(String, variable: String, candidates: [String])

    public var description: String {
        switch self {
        case let .call(name, status):
            return "OpenCL error: \(name) failed with \(OpenCLError.statusName(status)) (\(status))"
        case let .noSuchDevice(what, available):
            return "OpenCL error: no device \(what) (\(available) device(s) found; `letternet devices` lists them)"
        case let .kernelFileNotFound(file, searched):
            return "OpenCL error: kernel file \(file) not found; searched:\n"
                + searched.map { "  \($0)" }.joined(separator: "\n")
                + "\nSet LETTERNET_KERNELS to the folder holding the .cl files."
        case let .kernelNotFound(kernel, file):
            return "OpenCL error: kernel \(kernel) not found in \(file) (CL_INVALID_KERNEL_NAME); "
                + "the kernel files do not match this letternet (set LETTERNET_KERNELS to its Kernels folder)"
        case let .buildFailed(file, device, status, log):
            return "OpenCL error: building \(file) for \(device) failed with \(OpenCLError.statusName(status))."
                + "\nBuild log:\n\(log)"
        case let .outOfMemory(bytes, name, status):
            let mib = Double(bytes) / 1_048_576
            return "OpenCL error: out of device memory allocating \(String(format: "%.1f", mib)) MiB "
                + "(\(name): \(OpenCLError.statusName(status))). Try a smaller batch size."
        case let .invalidTile(name, variable, candidates):
            return "OpenCL error: \(variable)=\(name) is no tile of these kernels; use one of "
                + candidates.joined(separator: ", ")
        }
    }

    /// True for statuses that mean the device ran out of memory or resources.
    public static func isOutOfMemory(_ status: cl_int) -> Bool {
        status == CL_MEM_OBJECT_ALLOCATION_FAILURE || status == CL_OUT_OF_RESOURCES
            || status == CL_OUT_OF_HOST_MEMORY || status == CL_INVALID_BUFFER_SIZE
    }

    /// Throws `.call(name, status)` unless `status` is `CL_SUCCESS`.
    @inline(__always)
    static func check(_ status: cl_int, _ name: @autoclosure () -> String) throws {
        if status != CL_SUCCESS { throw OpenCLError.call(name(), status: status) }
    }

    /// The symbolic name of an OpenCL status code, e.g. `CL_OUT_OF_RESOURCES`.
    public static func statusName(_ status: cl_int) -> String {
        statusNames[status] ?? "unknown OpenCL status \(status)"
    }

    static let statusNames: [cl_int: String] = [
        0: "CL_SUCCESS",
        -1: "CL_DEVICE_NOT_FOUND",
        -2: "CL_DEVICE_NOT_AVAILABLE",
        -3: "CL_COMPILER_NOT_AVAILABLE",
        -4: "CL_MEM_OBJECT_ALLOCATION_FAILURE",
        -5: "CL_OUT_OF_RESOURCES",
        -6: "CL_OUT_OF_HOST_MEMORY",
        -7: "CL_PROFILING_INFO_NOT_AVAILABLE",
        -8: "CL_MEM_COPY_OVERLAP",
        -9: "CL_IMAGE_FORMAT_MISMATCH",
        -10: "CL_IMAGE_FORMAT_NOT_SUPPORTED",
        -11: "CL_BUILD_PROGRAM_FAILURE",
        -12: "CL_MAP_FAILURE",
        -13: "CL_MISALIGNED_SUB_BUFFER_OFFSET",
        -14: "CL_EXEC_STATUS_ERROR_FOR_EVENTS_IN_WAIT_LIST",
        -15: "CL_COMPILE_PROGRAM_FAILURE",
        -16: "CL_LINKER_NOT_AVAILABLE",
        -17: "CL_LINK_PROGRAM_FAILURE",
        -18: "CL_DEVICE_PARTITION_FAILED",
        -19: "CL_KERNEL_ARG_INFO_NOT_AVAILABLE",
        -30: "CL_INVALID_VALUE",
        -31: "CL_INVALID_DEVICE_TYPE",
        -32: "CL_INVALID_PLATFORM",
        -33: "CL_INVALID_DEVICE",
        -34: "CL_INVALID_CONTEXT",
        -35: "CL_INVALID_QUEUE_PROPERTIES",
        -36: "CL_INVALID_COMMAND_QUEUE",
        -37: "CL_INVALID_HOST_PTR",
        -38: "CL_INVALID_MEM_OBJECT",
        -39: "CL_INVALID_IMAGE_FORMAT_DESCRIPTOR",
        -40: "CL_INVALID_IMAGE_SIZE",
        -41: "CL_INVALID_SAMPLER",
        -42: "CL_INVALID_BINARY",
        -43: "CL_INVALID_BUILD_OPTIONS",
        -44: "CL_INVALID_PROGRAM",
        -45: "CL_INVALID_PROGRAM_EXECUTABLE",
        -46: "CL_INVALID_KERNEL_NAME",
        -47: "CL_INVALID_KERNEL_DEFINITION",
        -48: "CL_INVALID_KERNEL",
        -49: "CL_INVALID_ARG_INDEX",
        -50: "CL_INVALID_ARG_VALUE",
        -51: "CL_INVALID_ARG_SIZE",
        -52: "CL_INVALID_KERNEL_ARGS",
        -53: "CL_INVALID_WORK_DIMENSION",
        -54: "CL_INVALID_WORK_GROUP_SIZE",
        -55: "CL_INVALID_WORK_ITEM_SIZE",
        -56: "CL_INVALID_GLOBAL_OFFSET",
        -57: "CL_INVALID_EVENT_WAIT_LIST",
        -58: "CL_INVALID_EVENT",
        -59: "CL_INVALID_OPERATION",
        -60: "CL_INVALID_GL_OBJECT",
        -61: "CL_INVALID_BUFFER_SIZE",
        -62: "CL_INVALID_MIP_LEVEL",
        -63: "CL_INVALID_GLOBAL_WORK_SIZE",
        -64: "CL_INVALID_PROPERTY",
        -65: "CL_INVALID_IMAGE_DESCRIPTOR",
        -66: "CL_INVALID_COMPILER_OPTIONS",
        -67: "CL_INVALID_LINKER_OPTIONS",
        -68: "CL_INVALID_DEVICE_PARTITION_COUNT",
        -1001: "CL_PLATFORM_NOT_FOUND_KHR",
    ]
}
