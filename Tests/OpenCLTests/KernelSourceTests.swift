import COpenCL
import Foundation
import NeuralNet
@testable import NeuralNetOpenCL
import XCTest

/// Kernel files and their shared headers: includes expanded from `include/` beside the file, every
/// kernel the backend launches created when it starts.
final class KernelSourceTests: XCTestCase {
    /// A fresh folder holding a copy of the checkout's `Kernels/` (with `include/`).
    func kernelsCopy() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kernels-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: KernelSource.checkoutKernels, to: dir)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    /// Runs `body` with `LETTERNET_KERNELS` set to `folder` (tests run one at a time), then restores it.
    func withKernels<T>(_ folder: URL, _ body: () throws -> T) rethrows -> T {
        let variable = KernelSource.environmentVariable
        let old = ProcessInfo.processInfo.environment[variable]
        setenv(variable, folder.path, 1)
        defer { if let old { setenv(variable, old, 1) } else { unsetenv(variable) } }
        return try body()
    }

    func testKernelMissingFromItsFileFailsWhenTheBackendStarts() throws {
        let device = try TestDevice.backend().device
        let folder = try kernelsCopy()
        let file = folder.appendingPathComponent("optimizer.cl")
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.contains("void sgd_update("))
        try text.replacingOccurrences(of: "void sgd_update(", with: "void sgd_update_renamed(")
            .write(to: file, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try withKernels(folder) { try OpenCLBackend(device: device) }) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("kernel sgd_update not found"), text)
            XCTAssertTrue(text.contains(file.path), text)
        }
        // The unchanged copy starts.
        try text.write(to: file, atomically: true, encoding: .utf8)
        XCTAssertNoThrow(try withKernels(folder) { try OpenCLBackend(device: device) })
    }

    func testEveryFileDefinesExactlyTheKernelsTheBackendLaunches() throws {
        let backend = try TestDevice.backend()
        for file in OpenCLBackend.kernelFiles {
            let (program, _) = try backend.context.program(file)
            var count: cl_uint = 0
            try OpenCLError.check(clCreateKernelsInProgram(program, 0, nil, &count), "clCreateKernelsInProgram")
            var list = [cl_kernel?](repeating: nil, count: Int(count))
            try OpenCLError.check(clCreateKernelsInProgram(program, count, &list, nil), "clCreateKernelsInProgram")
            var names = Set<String>()
            for case let k? in list {
                var size = 0
                clGetKernelInfo(k, cl_kernel_info(CL_KERNEL_FUNCTION_NAME), 0, nil, &size)
                var bytes = [CChar](repeating: 0, count: size + 1)
                clGetKernelInfo(k, cl_kernel_info(CL_KERNEL_FUNCTION_NAME), size, &bytes, nil)
                names.insert(OpenCLDevice.trimmed(bytes))
                clReleaseKernel(k)
            }
            XCTAssertEqual(names, Set(OpenCLKernel.allCases.filter { $0.file == file }.map(\.name)), file)
        }
    }

    func testIncludesComeFromTheFilesOwnFolder() throws {
        let backend = try TestDevice.backend()
        let folder = try kernelsCopy()
        let header = folder.appendingPathComponent("include/gemm_tile.h")
        XCTAssertTrue(FileManager.default.fileExists(atPath: header.path))
        // The header is inlined between #line markers, once, from the copy.
        try withKernels(folder) {
            let (source, path) = try KernelSource.load("convolution.cl")
            XCTAssertEqual(path, folder.appendingPathComponent("convolution.cl").path)
            XCTAssertFalse(source.contains("#include"))
            XCTAssertEqual(source.components(separatedBy: "#define GEMM_PROLOGUE").count, 2)
            XCTAssertTrue(source.contains("#line 1 \"include/gemm_tile.h\""))
        }
        // An error in the header is reported with the header's name.
        let broken = try String(contentsOf: header, encoding: .utf8) + "\nstatic int broken_ = undefined_name;\n"
        try broken.write(to: header, atomically: true, encoding: .utf8)
        try withKernels(folder) {
            let (source, path) = try KernelSource.load("dense.cl")
            XCTAssertThrowsError(try backend.context.build(source: source, path: path)) { error in
                XCTAssertTrue("\(error)".contains("include/gemm_tile.h"), "\(error)")
            }
        }
        // A missing header names itself and the file that includes it.
        try FileManager.default.removeItem(at: header)
        XCTAssertThrowsError(try withKernels(folder) { try KernelSource.load("dense.cl") }) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("include/gemm_tile.h (included by dense.cl)"), text)
        }
    }
}
