import Foundation
import LetterFormats
import XCTest
import Letters

/// Device faults through the `letternet` binary: a device index that does not exist, no OpenCL
/// platform at all (OCL_ICD_VENDORS pointed at an empty folder) and a kernel that does not build
/// (LETTERNET_KERNELS pointed at a copy of Kernels/ with a syntax error). `--device opencl[:N]`
/// exits 2 with a clear error; `--device auto` warns and computes on the CPU.
final class DeviceFaultTests: CLITestCase {
    /// An MLP run (one epoch unless told) on 52 simple letters with `--device device`.
    func train(device: String, epochs: Int = 1, extra: [String] = [], environment: [String: String] = [:]) throws -> Result {
        let data = dir.appendingPathComponent("letters.npz")
        if !FileManager.default.fileExists(atPath: data.path) {
            var pixels = [UInt8](), labels = [Int]()
            for i in 0..<52 {
                var img = [UInt8](repeating: 0, count: 784)
                for y in 4..<24 { img[y * 28 + 3 + i % 20] = 255 }
                pixels += img
                labels.append(i % 26 + 1)
            }
            try NPZ.write(["x": NpyArray(pixels, shape: [52, 28, 28]), "y": NpyArray(labels, shape: [52])], to: data)
        }
        return try run(["train", "--data", data.path, "--arch", "mlp", "--epochs", "\(epochs)", "--batch-size", "8",
                        "--device", device, "--out", dir.appendingPathComponent("model.lnet").path] + extra,
                       environment: environment)
    }

    /// A copy of Kernels/ whose elementwise.cl (the first file built) does not compile.
    func brokenKernels() throws -> URL {
        try kernelsCopy(editing: "elementwise.cl") {
            $0 + "\n__kernel void broken_on_purpose(__global float* x) { x[0] = ; }\n"
        }
    }

    func testMissingDeviceIndexIsAClearError() throws {
        let r = try train(device: "opencl:99")
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("error: --device opencl:99: OpenCL error"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, "one line: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("letternet devices"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.lnet").path))
    }

    func testAutoWithoutOpenCLFallsBackToTheCPU() throws {
        let empty = dir.appendingPathComponent("no-icd-vendors")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
        let r = try train(device: "auto", environment: ["OCL_ICD_VENDORS": empty.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: no usable OpenCL device"), r.stderr)
        XCTAssertTrue(r.stderr.contains("computing on the CPU"), r.stderr)
        XCTAssertTrue(r.stderr.contains(" on cpu:"), r.stderr)
        XCTAssertTrue(r.stdout.contains("wrote \(dir.appendingPathComponent("model.lnet").path)"), r.stdout)

        let explicit = try train(device: "opencl", environment: ["OCL_ICD_VENDORS": empty.path])
        XCTAssertEqual(explicit.status, 2, explicit.stderr)
        XCTAssertTrue(explicit.stderr.hasPrefix("error: --device opencl:0: OpenCL error"), explicit.stderr)
    }

    /// `--device auto` skips OpenCL devices of type CPU (PoCL): the CPU backend is faster there.
    func testAutoTakesTheCPUBackendWhenTheOnlyOpenCLDevicesAreCPUs() throws {
        let devices = try run(["devices"]).stdout.split(separator: "\n").filter { $0.contains(" type ") }
        try XCTSkipIf(devices.isEmpty || devices.contains { !$0.contains(" type CPU,") }, "an OpenCL device that is not a CPU")
        let auto = try train(device: "auto")
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertTrue(auto.stderr.contains(" on cpu:"), auto.stderr)
        XCTAssertFalse(auto.stderr.contains("warning"), auto.stderr)
        let any = try train(device: "auto", environment: ["LETTERNET_AUTO_OPENCL": "any"])
        XCTAssertEqual(any.status, 0, any.stderr)
        XCTAssertTrue(any.stderr.contains(" on opencl:0"), any.stderr)
    }

    func testKernelBuildFailureNamesTheFileWithTheLog() throws {
        try XCTSkipUnless(try hasOpenCLDevice(), "no OpenCL device to build kernels on")
        let kernels = try brokenKernels()
        let file = kernels.appendingPathComponent("elementwise.cl").path
        let r = try train(device: "opencl", environment: ["LETTERNET_KERNELS": kernels.path])
        XCTAssertEqual(r.status, 2, "a build failure is an error, not a crash: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("error: --device opencl:0: OpenCL error: building \(file) for "), r.stderr)
        XCTAssertTrue(r.stderr.contains("CL_BUILD_PROGRAM_FAILURE"), r.stderr)
        XCTAssertTrue(r.stderr.contains("Build log:"), r.stderr)
        XCTAssertFalse(r.stderr.contains("crashed"), r.stderr)

        let auto = try train(device: "auto", environment: ["LETTERNET_KERNELS": kernels.path, "LETTERNET_AUTO_OPENCL": "any"])
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertTrue(auto.stderr.contains("warning: no usable OpenCL device (OpenCL error: building \(file)"), auto.stderr)
        XCTAssertTrue(auto.stderr.contains("computing on the CPU"), auto.stderr)
        XCTAssertTrue(auto.stderr.contains(" on cpu:"), auto.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("model.lnet").path))
    }
}
