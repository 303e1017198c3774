import NeuralNetOpenCL
import XCTest

/// The work-groups per channel of the two-stage reduction, on a 2-unit CPU (PoCL here) and a
/// 132-unit GPU (an H100).
final class ReductionPlanTests: XCTestCase {
    func plan(_ values: Int, _ channels: Int, units: Int) -> Int {
        ReductionPlan(values: values, channels: channels, local: 256, computeUnits: units).groups
    }

    func testTwoComputeUnits() {
        XCTAssertEqual(plan(128 * 28 * 28, 32, units: 2), 1)       // the channels fill 2 units
        XCTAssertEqual(plan(128 * 28 * 28, 8, units: 2), 1)
        XCTAssertEqual(plan(128 * 28 * 28, 1, units: 2), 8)        // 4 groups per unit
        XCTAssertEqual(plan(1500, 1, units: 2), 1)                 // too few values to split
        XCTAssertEqual(plan(0, 0, units: 2), 1)
    }

    func testHundredThirtyTwoComputeUnits() {
        XCTAssertEqual(plan(128 * 28 * 28, 32, units: 132), 17)    // ⌈528 / 32⌉
        XCTAssertEqual(plan(128 * 28 * 28, 1, units: 132), 98)     // capped: 4 values per work-item
        XCTAssertEqual(plan(128 * 7 * 7, 128, units: 132), 5)
        XCTAssertEqual(plan(4096, 600, units: 132), 1)
        XCTAssertFalse(ReductionPlan(values: 10, channels: 1, local: 256, computeUnits: 132).twoStage)
    }
}
