import COpenCL
import Foundation

/// A program's device binary, and a program built from one (for `OpenCLBinaryCache`).
extension OpenCLContext {
    /// The device binary of a built `program` (`CL_PROGRAM_BINARIES`), or nil when the driver gives none.
    func binary(of program: cl_program) -> Data? {
        var size = 0
        guard clGetProgramInfo(program, cl_program_info(CL_PROGRAM_BINARY_SIZES), MemoryLayout<Int>.size, &size, nil)
                == CL_SUCCESS, size > 0 else { return nil }
        var bytes = [UInt8](repeating: 0, count: size)
        let status = bytes.withUnsafeMutableBufferPointer { buffer -> cl_int in
            var pointer: UnsafeMutablePointer<UInt8>? = buffer.baseAddress
            return clGetProgramInfo(program, cl_program_info(CL_PROGRAM_BINARIES),
                                    MemoryLayout<UnsafeMutablePointer<UInt8>?>.size, &pointer, nil)
        }
        return status == CL_SUCCESS ? Data(bytes) : nil
    }

    /// A program built from `binary` for the device with `options` (those of its source build), or nil
    /// when the driver refuses it (then the caller builds from source).
    func build(binary: Data, options: String) -> cl_program? {
        var id: cl_device_id? = device.id
        var status: cl_int = CL_SUCCESS, binaryStatus: cl_int = CL_SUCCESS
        let program: cl_program? = binary.withUnsafeBytes { raw in
            var length = raw.count
            var pointer: UnsafePointer<UInt8>? = raw.bindMemory(to: UInt8.self).baseAddress
            return clCreateProgramWithBinary(context, 1, &id, &length, &pointer, &binaryStatus, &status)
        }
        guard let program else { return nil }
        guard status == CL_SUCCESS, binaryStatus == CL_SUCCESS,
              clBuildProgram(program, 1, &id, options, nil, nil) == CL_SUCCESS else {
            clReleaseProgram(program)
            return nil
        }
        return program
    }
}
