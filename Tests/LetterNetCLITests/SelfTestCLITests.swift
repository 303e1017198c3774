import Foundation
import XCTest

/// `letternet selftest` through the binary: it passes on this machine's OpenCL device (PoCL in CI),
/// fails naming the op when a kernel computes wrong, and is a clear error without a device.
final class SelfTestCLITests: CLITestCase {
    func testPassesOnThisDevice() throws {
        try XCTSkipUnless(try hasOpenCLDevice(), "no OpenCL device")
        let r = try run(["selftest", "--skip-timing"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertFalse(lines.contains { $0.hasPrefix("FAIL") }, r.stdout)
        // Every op of the backend and the training step.
        for op in ["fill", "dropout_forward", "adam_update", "softmax_cross_entropy", "linear_backward_weight",
                   "conv2d_forward_relu", "conv2d_backward_input", "maxpool2d_argmax", "batchnorm_backward",
                   "training_step_gradient"] {
            XCTAssertTrue(lines.contains { $0.hasPrefix("ok    \(op) ") }, "no line for \(op)")
        }
        let summary = try XCTUnwrap(lines.last)
        XCTAssertTrue(summary.hasPrefix("selftest passed: "), String(summary))
        XCTAssertGreaterThan(lines.filter { $0.hasPrefix("ok ") }.count, 250)
        XCTAssertEqual(r.stderr, "")
    }

    /// ReLU's kernel lets negative values through down to −0.25: selftest exits 1 and names relu_forward
    /// (and the ops built on it), while ops that do not use it still pass.
    func testBrokenKernelFailsNamingTheOp() throws {
        try XCTSkipUnless(try hasOpenCLDevice(), "no OpenCL device")
        let kernels = try kernelsCopy(editing: "elementwise.cl") {
            $0.replacingOccurrences(of: "y[i] = fmax(x[i], 0.0f);", with: "y[i] = fmax(x[i], -0.25f);")
        }
        let r = try run(["selftest", "--skip-timing"], environment: ["LETTERNET_KERNELS": kernels.path])
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        let lines = r.stdout.split(separator: "\n")
        XCTAssertTrue(lines.contains { $0.hasPrefix("FAIL  relu_forward ") }, r.stdout)
        XCTAssertTrue(lines.contains { $0.hasPrefix("ok    linear_forward ") }, r.stdout)
        XCTAssertFalse(lines.contains { $0.hasPrefix("FAIL  linear_forward ") }, r.stdout)
        let summary = try XCTUnwrap(lines.first { $0.hasPrefix("selftest FAILED: ") }, r.stdout)
        XCTAssertTrue(summary.contains("checks on opencl:0"), String(summary))
        XCTAssertTrue(lines.contains { $0.hasPrefix("  relu_forward: 7 of 7 cases, e.g. relu_forward [n=") }, r.stdout)
        XCTAssertTrue(r.stderr.hasPrefix("error: selftest failed on opencl:0 "), r.stderr)
        XCTAssertTrue(r.stderr.contains("relu_forward"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
    }

    func testNoOpenCLPlatformIsAClearError() throws {
        let empty = dir.appendingPathComponent("no-icd-vendors")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
        let r = try run(["selftest"], environment: ["OCL_ICD_VENDORS": empty.path])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("error: selftest needs an OpenCL device"), r.stderr)
        XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        XCTAssertEqual(r.stdout, "")
    }

    func testCPUAndMissingDeviceAreUsageErrors() throws {
        let cpu = try run(["selftest", "--device", "cpu"])
        XCTAssertEqual(cpu.status, 2, cpu.stderr)
        XCTAssertTrue(cpu.stderr.hasPrefix("error: selftest checks an OpenCL device against the CPU"), cpu.stderr)
        try XCTSkipUnless(try hasOpenCLDevice(), "no OpenCL device")
        let missing = try run(["selftest", "--device", "opencl:99"])
        XCTAssertEqual(missing.status, 2, missing.stderr)
        XCTAssertTrue(missing.stderr.hasPrefix("error: --device opencl:99: no such device"), missing.stderr)
    }
}
