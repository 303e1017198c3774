import NeuralNetOpenCL
import XCTest

/// The order `--device auto` takes devices in: discrete GPUs, integrated GPUs, accelerators, CPUs;
/// the larger device first within a class; unavailable devices never.
final class DeviceRankingTests: XCTestCase {
    func testClassesFromTypeAndMemory() {
        typealias C = DeviceRanking.DeviceClass
        XCTAssertEqual(C(type: "GPU", unifiedMemory: false), .discreteGPU)
        XCTAssertEqual(C(type: "GPU", unifiedMemory: true), .integratedGPU)
        XCTAssertEqual(C(type: "CPU", unifiedMemory: true), .cpu)
        XCTAssertEqual(C(type: "CPU+GPU", unifiedMemory: true), .integratedGPU)
        XCTAssertEqual(C(type: "Accelerator", unifiedMemory: false), .accelerator)
        XCTAssertEqual(C(type: "Custom", unifiedMemory: false), .other)
    }

    func testDiscreteBeforeIntegratedBeforeCPUSkippingUnavailable() {
        func entry(_ i: Int, _ c: DeviceRanking.DeviceClass, available: Bool = true, units: Int = 8) -> DeviceRanking.Entry {
            .init(index: i, deviceClass: c, available: available, computeUnits: units, clockMHz: 1000)
        }
        let devices = [entry(0, .cpu, units: 64), entry(1, .integratedGPU), entry(2, .discreteGPU, available: false, units: 200),
                       entry(3, .discreteGPU, units: 80), entry(4, .accelerator), entry(5, .integratedGPU, units: 24),
                       entry(6, .discreteGPU, units: 80)]
        XCTAssertEqual(DeviceRanking.ranked(devices).map(\.index), [3, 6, 5, 1, 4, 0])
        XCTAssertEqual(DeviceRanking.ranked([entry(0, .discreteGPU, available: false)]).count, 0)
    }

    /// On this machine: every available device is ranked once, unavailable ones not at all.
    func testRanksTheDevicesOfThisMachine() throws {
        let devices = try OpenCLDevice.list()
        let ranked = DeviceRanking.ranked(devices)
        XCTAssertEqual(Set(ranked.map(\.index)), Set(devices.filter(\.available).map(\.index)))
        XCTAssertEqual(ranked.map(\.deviceClass), ranked.map(\.deviceClass).sorted())
    }
}

