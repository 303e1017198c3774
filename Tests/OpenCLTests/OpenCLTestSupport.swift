import Foundation
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// The OpenCL backend under test, shared by all tests (device `LETTERNET_OPENCL_DEVICE`, default 0).
/// Without a device the tests skip, unless `CI` is set (and not `false`/`0`): then they fail.
enum TestDevice {
    struct Unavailable: Error, CustomStringConvertible { let description: String }

    static let shared: Result<OpenCLBackend, Error> = Result {
        let index = Int(ProcessInfo.processInfo.environment["LETTERNET_OPENCL_DEVICE"] ?? "") ?? 0
        return try OpenCLBackend(deviceIndex: index)
    }

    static var isCI: Bool {
        guard let v = ProcessInfo.processInfo.environment["CI"]?.lowercased(), !v.isEmpty else { return false }
        return v != "false" && v != "0"
    }

    static func backend() throws -> OpenCLBackend {
        switch shared {
        case .success(let b): return b
        case .failure(let error):
            let devices = (try? OpenCLDevice.list()) ?? []
            let message = devices.isEmpty ? "no OpenCL device available" : "OpenCL backend unavailable: \(error)"
            if isCI || !devices.isEmpty {
                // A device that exists but does not work is always a failure; no device fails on CI.
                throw Unavailable(description: "\(message) (CI=\(ProcessInfo.processInfo.environment["CI"] ?? ""))")
            }
            throw XCTSkip("\(message); skipping OpenCL tests (set CI=true to turn this into a failure)")
        }
    }
}

/// Seeded uniform values in [lo, hi).
func randomValues(_ count: Int, seed: UInt64, in range: Range<Float> = -1..<1) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * rng.nextUniform() }
}

/// Normalised squared error Σ(a−b)²/Σb² (b is the CPU reference; plain Σ(a−b)² when b is all zero).
func nmse(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count, "length \(a.count) vs \(b.count)")
    var num = 0.0, den = 0.0
    for (x, y) in zip(a, b) {
        let d = Double(x) - Double(y)
        if d.isNaN || (x.isNaN != y.isNaN) { return .infinity }
        num += d * d; den += Double(y) * Double(y)
    }
    return den > 0 ? num / den : num
}

/// Worst nmse seen per op, printed by `ParityReport`.
final class ParityLog: @unchecked Sendable {
    static let shared = ParityLog()
    private let lock = NSLock()
    private var worst: [String: (nmse: Double, tolerance: Double)] = [:]

    func record(_ op: String, _ value: Double, tolerance: Double) {
        lock.lock(); defer { lock.unlock() }
        if let w = worst[op], w.nmse >= value { return }
        worst[op] = (value, tolerance)
    }

    var summary: String {
        lock.lock(); defer { lock.unlock() }
        return worst.keys.sorted().map { k in
            String(format: "  %-34@ max nmse %.3e  (tolerance %.0e)", k as NSString, worst[k]!.nmse, worst[k]!.tolerance)
        }.joined(separator: "\n")
    }
}

/// Asserts nmse(openCL, cpu) ≤ tolerance and records it under `op`.
func assertParity(_ op: String, _ openCL: [Float], _ cpu: [Float], tolerance: Double, _ context: String,
                  file: StaticString = #filePath, line: UInt = #line) {
    let e = nmse(openCL, cpu)
    ParityLog.shared.record(op, e, tolerance: tolerance)
    XCTAssertLessThanOrEqual(e, tolerance, "\(op) \(context): nmse \(e) > \(tolerance)", file: file, line: line)
}

/// The same tensors on both backends.
struct Pair {
    let cpu: DeviceBuffer, cl: DeviceBuffer
    let cpuBackend: CPUBackend, clBackend: OpenCLBackend

    init(_ values: [Float], cpu: CPUBackend, cl: OpenCLBackend) {
        cpuBackend = cpu; clBackend = cl
        self.cpu = cpu.makeBuffer(count: values.count)
        self.cl = cl.makeBuffer(count: values.count)
        values.withUnsafeBufferPointer { cpu.upload($0, to: self.cpu); cl.upload($0, to: self.cl) }
    }

    init(zeros count: Int, cpu: CPUBackend, cl: OpenCLBackend) {
        self.init([Float](repeating: 0, count: count), cpu: cpu, cl: cl)
    }

    var cpuValues: [Float] { cpuBackend.download(cpu) }
    var clValues: [Float] { clBackend.download(cl) }
}
