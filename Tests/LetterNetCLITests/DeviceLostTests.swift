import Foundation
import XCTest
import Letters
import NeuralNet

/// A device that fails in the middle of a run, made to fail on purpose with
/// `LETTERNET_OPENCL_FAULT` (`launch:N`: the N-th kernel launch and all later calls fail with
/// CL_DEVICE_NOT_AVAILABLE, as when a GPU is lost; `alloc:N`: the N-th allocation fails).
/// With `--device opencl` the run stops with a clear error and keeps what it had written; with
/// `--device auto` it goes on on the CPU.
extension DeviceFaultTests {
    /// The 3-epoch MLP run below makes about 120 launches per epoch: launch 200 is in epoch 2.
    static let lostInEpochTwo = ["LETTERNET_OPENCL_FAULT": "launch:200"].merging(autoTakesPoCL) { $1 }
    /// `--device auto` skips OpenCL devices of type CPU unless told (PoCL is the only device in CI).
    static let autoTakesPoCL = ["LETTERNET_AUTO_OPENCL": "any"]

    func testLostDeviceStopsTrainingKeepingTheLastCheckpoint() throws {
        try XCTSkipUnless(try hasOpenCLDevice(), "no OpenCL device")
        let model = path("model.lnet"), ckpt = path("model.lnet.ckpt")
        let r = try train(device: "opencl", epochs: 3, environment: Self.lostInEpochTwo)
        XCTAssertEqual(r.status, 2, "a lost device is an error, not a crash: \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("error: device opencl:0"), r.stderr)
        XCTAssertTrue(r.stderr.contains("CL_DEVICE_NOT_AVAILABLE"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(ckpt) holds the run up to its last complete epoch; continue with:"), r.stderr)
        XCTAssertTrue(r.stdout.contains("epoch 1: train loss"), r.stdout)
        XCTAssertFalse(r.stdout.contains("epoch 2: train loss"), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: model), "no model from a failed device")

        // The checkpoint is epoch 1's, intact, and the printed command finishes the run.
        let saved = try Checkpoint.read(from: URL(fileURLWithPath: ckpt))
        XCTAssertTrue(saved.tensors.allSatisfy { $0.values.allSatisfy(\.isFinite) })
        let command = try XCTUnwrap(r.stderr.split(separator: "\n").last).trimmingCharacters(in: .whitespaces)
        XCTAssertTrue(command.hasSuffix("--device cpu --out \(model) --resume"), command)
        let resumed = try run(Array(command.split(separator: " ").dropFirst().map(String.init)))
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming after epoch 1"), resumed.stderr)
        XCTAssertTrue(resumed.stdout.contains("epoch 3: train loss"), resumed.stdout)
        XCTAssertNoThrow(try Checkpoint.read(from: URL(fileURLWithPath: model)))
    }

    func testAutoContinuesOnTheCPUWhenTheDeviceIsLost() throws {
        try XCTSkipUnless(try hasOpenCLDevice(), "no OpenCL device")
        let r = try train(device: "auto", epochs: 3, environment: Self.lostInEpochTwo)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("warning: device opencl:0"), r.stderr)
        XCTAssertTrue(r.stderr.contains("CL_DEVICE_NOT_AVAILABLE (-2); continuing on the CPU"), r.stderr)
        XCTAssertTrue(r.stderr.contains("resuming after epoch 1, step 6 on the CPU"), r.stderr)
        XCTAssertTrue(r.stdout.contains("epoch 3: train loss"), r.stdout)
        // Epoch 2 is not counted twice: one summary line per epoch.
        XCTAssertEqual(r.stdout.components(separatedBy: "epoch 2: train loss").count, 2, r.stdout)
        XCTAssertNoThrow(try Checkpoint.read(from: URL(fileURLWithPath: path("model.lnet"))))
    }

    /// In the strip reader's run below (4 steps, a validation every 2) launch 220 falls after the first
    /// validation (180 and 250 do too, 330 is after the run). `auto` continues from OUT.ckpt.
    func testLostDeviceDuringReaderTrainingResumesOnTheCPU() throws {
        try XCTSkipUnless(try hasOpenCLDevice(), "no OpenCL device")
        try lettersFile(count: 78)
        let r = try run(["train-reader", "--data", path("letters.npz"), "--variant", "fast", "--batch-size", "2", "--eval-every", "2",
                         "--validation-strips", "4", "--seed", "3", "--steps", "4", "--device", "auto", "--out", path("r.lnet")],
                        environment: ["LETTERNET_OPENCL_FAULT": "launch:220"].merging(Self.autoTakesPoCL) { $1 })
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("CL_DEVICE_NOT_AVAILABLE (-2); continuing on the CPU"), r.stderr)
        XCTAssertTrue(r.stderr.contains("continuing from \(path("r.lnet.ckpt")) on the CPU"), r.stderr)
        XCTAssertTrue(r.stderr.contains("resuming at step 2 of 4"), r.stderr)
        XCTAssertTrue(r.stdout.contains("step 4: validation"), r.stdout)
        XCTAssertNoThrow(try Checkpoint.read(from: URL(fileURLWithPath: path("r.lnet"))))
    }

    func testLostBeforeTheFirstEpochEndsWritesNothing() throws {
        try XCTSkipUnless(try hasOpenCLDevice(), "no OpenCL device")
        let r = try train(device: "opencl", epochs: 2, environment: ["LETTERNET_OPENCL_FAULT": "launch:5"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("no epoch was completed, nothing was written"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("model.lnet")))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("model.lnet.ckpt")))
    }

    func testPredictOnALostDeviceWritesNoCSVOrFallsBack() throws {
        try XCTSkipUnless(try hasOpenCLDevice(), "no OpenCL device")
        let lost = ["LETTERNET_OPENCL_FAULT": "launch:10"].merging(Self.autoTakesPoCL) { $1 }
        let csv = path("prediction.csv")
        let failed = try run(["predict", "--font-demo", "--device", "opencl", "--out", csv, "--views", "1"], environment: lost)
        XCTAssertEqual(failed.status, 2, failed.stderr)
        XCTAssertTrue(failed.stderr.contains("CL_DEVICE_NOT_AVAILABLE"), failed.stderr)
        XCTAssertTrue(failed.stderr.contains("nothing was written after the failure"), failed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: csv))

        let auto = try run(["predict", "--font-demo", "--device", "auto", "--out", csv, "--views", "1"], environment: lost)
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertTrue(auto.stderr.contains("continuing on the CPU"), auto.stderr)
        let cpu = try run(["predict", "--font-demo", "--device", "cpu", "--out", path("cpu.csv"), "--views", "1"])
        XCTAssertEqual(cpu.status, 0, cpu.stderr)
        XCTAssertEqual(try String(contentsOfFile: csv, encoding: .utf8),
                       try String(contentsOfFile: path("cpu.csv"), encoding: .utf8), "the CPU's answers, every row")
    }

    func testFailedAllocationIsAClearErrorOrFallsBack() throws {
        try XCTSkipUnless(try hasOpenCLDevice(), "no OpenCL device")
        let r = try train(device: "opencl", environment: ["LETTERNET_OPENCL_FAULT": "alloc:3"])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("out of device memory"), r.stderr)
        XCTAssertTrue(r.stderr.contains("CL_MEM_OBJECT_ALLOCATION_FAILURE"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("model.lnet")))

        let auto = try train(device: "auto", environment: ["LETTERNET_OPENCL_FAULT": "alloc:3"].merging(Self.autoTakesPoCL) { $1 })
        XCTAssertEqual(auto.status, 0, auto.stderr)
        XCTAssertTrue(auto.stderr.contains("continuing on the CPU"), auto.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("model.lnet")))
    }
}
