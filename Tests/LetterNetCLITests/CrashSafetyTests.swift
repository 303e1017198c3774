import Foundation
import LetterFormats
import XCTest
import Letters
import NeuralNet

/// Crash safety of `letternet train`, for real, with a child process:
/// - SIGKILL at a random moment after the first checkpoint exists; `--resume` then finishes, and the
///   checkpoint was loadable every time it was looked at (never half-written);
/// - SIGINT (Ctrl-C) exits with status 130 and prints the command that resumes; that command finishes.
///
final class CrashSafetyTests: CLITestCase {
    /// A running child with stdout and stderr going to files (a pipe could fill up and stall it).
    struct Child {
        let process: Process
        let stdout: URL, stderr: URL
        var out: String { (try? String(contentsOf: stdout, encoding: .utf8)) ?? "" }
        var err: String { (try? String(contentsOf: stderr, encoding: .utf8)) ?? "" }
    }

    func start(_ arguments: [String], name: String, shell: String? = nil) throws -> Child {
        let exe = try XCTUnwrap(Self.binary, "letternet binary not found beside the test bundle")
        let process = Process()
        process.executableURL = shell == nil ? exe : URL(fileURLWithPath: "/bin/sh")
        process.arguments = shell.map { ["-c", $0] } ?? arguments
        let o = dir.appendingPathComponent("\(name).stdout"), e = dir.appendingPathComponent("\(name).stderr")
        _ = FileManager.default.createFile(atPath: o.path, contents: nil)
        _ = FileManager.default.createFile(atPath: e.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: o)
        process.standardError = try FileHandle(forWritingTo: e)
        try process.run()
        return Child(process: process, stdout: o, stderr: e)
    }

    /// Runs `letternet arguments…` to its end; with `shell`, runs that command line with `/bin/sh -c`
    /// instead (`arguments` are then ignored).
    func runToEnd(_ arguments: [String], name: String, shell: String? = nil) throws -> Child {
        let child = try start(arguments, name: name, shell: shell)
        child.process.waitUntilExit()
        return child
    }

    /// 600 demo letters (Hershey fonts), made once per test.
    func demoLetters() throws -> String {
        let r = try runToEnd(["demo-letters", "--count", "600", "--seed", "5", "--out", path("letters.npz")], name: "demo")
        XCTAssertEqual(r.process.terminationStatus, 0, r.err)
        return path("letters.npz")
    }

    /// A small MLP run: 570 training images in batches of `batch` (about 0.2–0.5 s per epoch in a debug
    /// build), no early stop. SGD, because the vectorized Adam update is slow without optimization
    /// (about 50 ms a step in a debug build).
    func trainArguments(_ data: String, epochs: Int, batch: Int = 8) -> [String] {
        ["train", "--data", data, "--arch", "mlp", "--optimizer", "sgd", "--epochs", "\(epochs)", "--batch-size", "\(batch)",
         "--patience", "0", "--seed", "3", "--out", path("model.lnet")]
    }

    /// Polls `ckpt` while `child` runs, decoding it whenever its bytes change; returns once `until` says
    /// so or the child has ended. Every decode must succeed: a reader never sees a half-written file.
    @discardableResult
    func watchCheckpoint(_ ckpt: URL, while child: Child, until: (Int) -> Bool) -> Int {
        var lastBytes = Data(), decoded = 0
        while child.process.isRunning && !until(decoded) {
            if let bytes = try? Data(contentsOf: ckpt), bytes != lastBytes {
                do {
                    _ = try Checkpoint.decode(bytes, source: ckpt.path)
                    decoded += 1
                } catch {
                    XCTFail("checkpoint seen half-written (\(bytes.count) bytes): \(error)")
                }
                lastBytes = bytes
            }
            usleep(2_000)
        }
        return decoded
    }

    func assertFinishedModel(_ data: String, line: UInt = #line) throws {
        let model = try Checkpoint.read(from: dir.appendingPathComponent("model.lnet"))
        XCTAssertNotNil(model.metadata["validation_accuracy"], line: line)
        let eval = try runToEnd(["evaluate", "--data", data, "--model", path("model.lnet"), "--json"], name: "evaluate")
        XCTAssertEqual(eval.process.terminationStatus, 0, eval.err, line: line)
        let json = try JSONSerialization.jsonObject(with: Data(eval.out.utf8)) as? [String: Any]
        XCTAssertNotNil(json?["accuracy"] as? Double, eval.out, line: line)
    }

    /// Leftover temporary files of atomic writes (`.NAME.tmp-PID-N`) in the run's folder.
    func temporaryFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.contains(".tmp-") }
    }

    func testSIGKILLAtARandomMomentThenResumeFinishes() throws {
        let data = try demoLetters()
        let ckpt = dir.appendingPathComponent("model.lnet.ckpt")
        // Long enough to outlast the first checkpoint by the 1.2 s the kill may wait: 10 epochs ended
        // inside it on a 2-core AVX-512 machine, leaving the resumed run nothing to train.
        let epochs = 40
        let child = try start(trainArguments(data, epochs: epochs, batch: 4), name: "killed")
        // Wait for the first complete checkpoint, then go on watching for a random 0–1.2 s before the kill.
        var seen = watchCheckpoint(ckpt, while: child) { $0 >= 1 }
        XCTAssertTrue(child.process.isRunning, "the run ended before it could be killed; make it longer. \(child.err)")
        let delay = Double.random(in: 0..<1.2)
        let deadline = Date().addingTimeInterval(delay)
        seen += watchCheckpoint(ckpt, while: child) { _ in Date() >= deadline }
        let killedWhileRunning = child.process.isRunning
        kill(child.process.processIdentifier, SIGKILL)
        child.process.waitUntilExit()
        if killedWhileRunning {
            XCTAssertEqual(child.process.terminationReason, .uncaughtSignal, "killed \(delay) s after the first checkpoint")
            XCTAssertEqual(child.process.terminationStatus, SIGKILL)
        }
        let saved = try Checkpoint.read(from: ckpt)
        let history = try JSONDecoder().decode([EpochRecord].self, from: Data((saved.metadata["training_history"] ?? "").utf8))
        let savedEpochs = history.count
        XCTAssertGreaterThanOrEqual(savedEpochs, 1, "the checkpoint holds at least one complete epoch")
        print("SIGKILL \(String(format: "%.2f", delay)) s after the first checkpoint (running: \(killedWhileRunning)); "
              + "\(seen) checkpoint version(s) decoded while it ran; it holds \(savedEpochs) epoch(s)")

        let resumed = try runToEnd(trainArguments(data, epochs: epochs, batch: 4) + ["--resume"], name: "resumed")
        XCTAssertEqual(resumed.process.terminationStatus, 0, "killed \(delay) s after the first checkpoint: \(resumed.err)")
        XCTAssertTrue(resumed.err.contains("resuming after epoch \(savedEpochs)"), resumed.err)
        XCTAssertTrue(resumed.out.contains("epoch \(epochs):"), resumed.out)
        XCTAssertFalse(resumed.out.contains("epoch \(savedEpochs):"), "a resumed run does not redo saved epochs: \(resumed.out)")
        try assertFinishedModel(data)
        // A SIGKILL can leave the temporary file of a write it cut short; nothing else is left behind.
        XCTAssertLessThanOrEqual(temporaryFiles().count, killedWhileRunning ? 1 : 0, "\(temporaryFiles())")
    }

    /// Runs `letternet arguments…` with regular-file writes capped at `kib` KiB (bash `ulimit -f`;
    /// SIGXFSZ ignored, so an oversized write fails with EFBIG instead of killing the process).
    func runWithFileSizeLimit(kib: Int, _ arguments: [String], name: String) throws -> Child {
        let exe = try XCTUnwrap(Self.binary)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "trap '' XFSZ; ulimit -f \(kib); exec \"$@\"", "bash", exe.path] + arguments
        // Pipes, not files: the limit would apply to the child's output files too.
        let outPipe = Pipe(), errPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        let outData = outPipe.fileHandleForReading.readDataToEndOfFile()
        let errData = errPipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let o = dir.appendingPathComponent("\(name).stdout"), e = dir.appendingPathComponent("\(name).stderr")
        try outData.write(to: o)
        try errData.write(to: e)
        return Child(process: process, stdout: o, stderr: e)
    }

    /// Writes that fail part-way (the file-size limit) keep the old checkpoint, model, prediction.csv
    /// and report, leave no temporary file, and exit 2 with one line naming the file.
    func testFailedWritesKeepTheOldFiles() throws {
        let data = try demoLetters()
        let old = Data("old contents\n".utf8)
        for name in ["model.lnet", "model.lnet.ckpt", "prediction.csv", "predict.html"] {
            try old.write(to: dir.appendingPathComponent(name))
        }
        let before = temporaryFiles()

        // train: the checkpoint after epoch 1 (~830 KB) does not fit in 64 KiB.
        let train = try runWithFileSizeLimit(kib: 64, trainArguments(data, epochs: 2, batch: 64), name: "train")
        XCTAssertEqual(train.process.terminationStatus, 2, train.err)
        XCTAssertTrue(train.err.contains("error: \(path("model.lnet.ckpt")): cannot write (File too large)"), train.err)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("model.lnet.ckpt")), old)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("model.lnet")), old)

        // predict: prediction.csv (3 rows) fits in 2 KiB, the report does not; then nothing fits.
        let synth = try runToEnd(["synth", "--data", data, "--count", "3", "--seed", "1", "--out", path("strips.npy")], name: "synth")
        XCTAssertEqual(synth.process.terminationStatus, 0, synth.err)
        try StripReader(width: 150, backend: CPUBackend(threads: 1), seed: 2).checkpoint().write(to: dir.appendingPathComponent("reader.lnet"))
        let predict = ["predict", "--strips", path("strips.npy"), "--model", path("reader.lnet"), "--out", path("prediction.csv")]
        let withReport = try runWithFileSizeLimit(kib: 2, predict + ["--report", path("predict.html")], name: "predict-report")
        XCTAssertEqual(withReport.process.terminationStatus, 2, withReport.err)
        XCTAssertTrue(withReport.err.contains("error: \(path("predict.html")): cannot write (File too large)"), withReport.err)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("predict.html")), old)
        XCTAssertEqual(try PredictionCSV.read(url: dir.appendingPathComponent("prediction.csv")).count, 3)
        let written = try Data(contentsOf: dir.appendingPathComponent("prediction.csv"))

        let nothing = try runWithFileSizeLimit(kib: 0, predict, name: "predict-nothing")
        XCTAssertEqual(nothing.process.terminationStatus, 2, nothing.err)
        XCTAssertTrue(nothing.err.contains("error: \(path("prediction.csv")): cannot write (File too large)"), nothing.err)
        XCTAssertEqual(try Data(contentsOf: dir.appendingPathComponent("prediction.csv")), written)
        XCTAssertEqual(temporaryFiles(), before, "no temporary file is left behind")
    }

    func testCtrlCExits130WithResumeCommandThatFinishes() throws {
        // A data path with a space and a quote: the printed command must be quoted for the shell.
        let data = path("my letters'.npz")
        try FileManager.default.moveItem(atPath: try demoLetters(), toPath: data)
        let ckpt = dir.appendingPathComponent("model.lnet.ckpt")
        let child = try start(trainArguments(data, epochs: 10, batch: 4), name: "interrupted")
        watchCheckpoint(ckpt, while: child) { $0 >= 1 }
        XCTAssertTrue(child.process.isRunning, "the run ended before it could be interrupted. \(child.err)")
        kill(child.process.processIdentifier, SIGINT)
        child.process.waitUntilExit()
        XCTAssertEqual(child.process.terminationReason, .exit, child.err)
        XCTAssertEqual(child.process.terminationStatus, 130, child.err)
        XCTAssertTrue(child.err.contains("interrupted: \(ckpt.path) holds the run after epoch"), child.err)
        XCTAssertNoThrow(try Checkpoint.read(from: ckpt))
        XCTAssertEqual(temporaryFiles(), [], "an interrupted run leaves no temporary files")

        // The message ends with the command that continues the run: a shell runs exactly that line.
        let lines = child.err.split(separator: "\n").map(String.init)
        let hint = try XCTUnwrap(lines.firstIndex { $0.hasSuffix("continue with:") }, child.err)
        let command = lines[hint + 1].trimmingCharacters(in: .whitespaces)
        XCTAssertTrue(command.hasSuffix(" --resume"), child.err)
        XCTAssertTrue(command.contains(#"'\#(dir.path)/my letters'\''.npz'"#), command)
        let resumed = try runToEnd(["--resume"], name: "resumed", shell: command)
        XCTAssertEqual(resumed.process.terminationStatus, 0, resumed.err)
        XCTAssertTrue(resumed.out.contains("epoch 10:"), resumed.out)
        try assertFinishedModel(data)
        XCTAssertEqual(temporaryFiles(), [])
    }
}
