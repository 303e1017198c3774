import BackendChecks
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// The op-case table (`OpCases.all`) on the OpenCL device against CPUBackend, family by family (`OpCases.families`),
/// and one training step of a small network. A failure names the op and the shape.
final class OpParityTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    /// Every family of the table (`OpCases.families`, so a new family is checked with no edit here)
    /// on the device against the CPU; a failure names the family, the op and the shape.
    func testEveryFamilyMatchesCPU() throws {
        let backend = try TestDevice.backend()
        for family in OpCases.families {
            let cases = OpCases.cases(of: family)
            XCTAssertFalse(cases.isEmpty, "family \(family) has no cases")
            for r in OpParity.check(cases, on: backend, against: cpu) where !r.passed {
                XCTFail("\(family): \(r.name): nmse \(r.error) > \(r.tolerance)"
                        + (r.worstOutput.map { " in \($0)" } ?? "") + (r.problem.map { "; \($0)" } ?? ""))
            }
        }
        XCTAssertEqual(OpCases.all.count, OpCases.families.map { OpCases.cases(of: $0).count }.reduce(0, +))
    }

    /// The dense cases on every GEMM tile the autotuner may pick, not only the one it picked here.
    func testDenseOnEveryTile() throws {
        let device = try TestDevice.backend().device
        for tile in GEMMTile.candidates where tile.fits(maxWorkGroupSize: device.maxWorkGroupSize,
                                                          localMemory: device.localMemory) {
            let backend = try OpenCLBackend(device: device, denseTile: tile)
            for r in OpParity.check(OpCases.cases(of: "dense"), on: backend, against: cpu) where !r.passed {
                XCTFail("tile \(tile): \(r.name): nmse \(r.error) > \(r.tolerance)" + (r.problem.map { "; \($0)" } ?? ""))
            }
        }
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
