import BackendChecks
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// The op-case table (`OpCases.all`) on the OpenCL device against CPUBackend, one test per op family,
/// and one training step of a small network. A failure names the op and the shape.
final class OpParityTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    /// The families each test below checks; every family of the table is in one of them.
    static let groups: [String: Set<String>] = [
        "elementwise": ["fill", "copy", "relu", "multiply", "add", "dropout"],
        "optimizers": ["adam", "adam_tensors", "sgd"], "metrics": ["mean_loss", "count_hits"],
        "softmax": ["softmax", "softmax_cross_entropy"], "masked_loss": ["masked_softmax_cross_entropy"],
        "linear": ["linear"], "conv2d": ["conv2d"], "maxpool2d": ["maxpool2d"], "batchnorm": ["batchnorm"],
    ]

    func check(_ group: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let backend = try TestDevice.backend()
        let families = try XCTUnwrap(Self.groups[group])
        let cases = OpCases.all.filter { families.contains($0.family) }
        XCTAssertEqual(Set(cases.map(\.family)), families, "a family of \(group) has no cases", file: file, line: line)
        let results = OpParity.check(cases, on: backend, against: cpu)
        for r in results where !r.passed {
            XCTFail("\(r.name): nmse \(r.error) > \(r.tolerance)\(r.worstOutput.map { " in \($0)" } ?? "")"
                    + (r.problem.map { "; \($0)" } ?? ""), file: file, line: line)
        }
    }

    func testElementwise() throws { try check("elementwise") }
    func testOptimizers() throws { try check("optimizers") }
    func testSoftmax() throws { try check("softmax") }
    func testMaskedLoss() throws { try check("masked_loss") }
    func testMetrics() throws { try check("metrics") }
    func testLinear() throws { try check("linear") }
    func testConv2d() throws { try check("conv2d") }
    func testMaxPool2d() throws { try check("maxpool2d") }
    func testBatchNorm() throws { try check("batchnorm") }

    func testEveryFamilyIsChecked() {
        let grouped = Self.groups.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        XCTAssertEqual(Set(OpCases.all.map(\.family)), grouped)
    }

    func testAdamStepMatchesCPU() throws {
        try checkTrainingStep(TrainingStepParity.plain)
    }

    /// The same through identity and projection residual blocks.
    func testResidualAdamStepMatchesCPU() throws {
        try checkTrainingStep(TrainingStepParity.residual)
    }

    func testOneLabelSmoothedTrainingStepMatchesCPU() throws {
        try checkTrainingStep(TrainingStepParity.smoothed)
    }

    func checkTrainingStep(_ network: TrainingStepParity.Network, file: StaticString = #filePath, line: UInt = #line) throws {
        let cl = try TestDevice.backend()
        let results = TrainingStepParity.check(network, on: cl, against: cpu)
        XCTAssertGreaterThan(results.count, 10, file: file, line: line)
        for r in results where !r.passed {
            XCTFail("\(r.name): error \(r.error) > \(r.tolerance)" + (r.problem.map { "; \($0)" } ?? ""), file: file, line: line)
        }
    }
}
