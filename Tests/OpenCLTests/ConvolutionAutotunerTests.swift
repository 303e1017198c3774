import Foundation
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// The convolution's autotuner refuses a wrong candidate however fast, keeps its choice per device in
/// `convolution-tile.json`, and a backend built on any candidate convolves as the CPU does.
final class ConvolutionAutotunerTests: XCTestCase {
    func testTheCandidatesAreTheTilesConvolutionBuildsWith() {
        let candidates = GEMMTile.convolutionCandidates
        XCTAssertTrue(candidates.contains(.standard) && candidates.contains(.standardContiguous))
        XCTAssertFalse(candidates.contains(GEMMTile.named("32x32x16/4x4")!), "64 work-items for 32 columns")
        XCTAssertGreaterThanOrEqual(candidates.count, 4)
    }

    func testAWrongCandidateIsRefused() throws {
        let device = try TestDevice.backend().device
        let planted = GEMMTile.standard
        let trials = ConvolutionAutotuner.tune(on: device) { tile, y in
            if tile == planted { y[y.count / 3] += 1 }       // one wrong output
        }
        try assertRefused(planted, in: trials, "convolution")
    }

    func testTheChoiceIsCachedAndTheEnvironmentObeyed() throws {
        let device = try TestDevice.backend().device
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("conv-tile-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(ConvolutionAutotuner.fileName)
        try Data("[corrupt".utf8).write(to: file)
        let tile = try ConvolutionAutotuner.tile(for: device, environment: ["LETTERNET_KERNEL_CACHE": folder.path])
        XCTAssertTrue(GEMMTile.convolutionCandidates.contains(tile))
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.contains(device.driverVersion) && text.contains("\"seconds\""), text)
        XCTAssertTrue(text.contains("\"version\" : \(ConvolutionAutotuner.formatVersion)"), text)
        XCTAssertEqual(try ConvolutionAutotuner.tile(for: device, environment: ["LETTERNET_CONVOLUTION_TILE": "64x64x16/8x8"]),
                       GEMMTile.named("64x64x16/8x8"))
        XCTAssertThrowsError(try ConvolutionAutotuner.tile(for: device, environment: ["LETTERNET_CONVOLUTION_TILE": "32x32x16/4x4"]))
        XCTAssertEqual(try ConvolutionAutotuner.tile(for: device, environment: ["LETTERNET_KERNEL_CACHE": "off"]),
                       .convolution(onCPU: device.isCPU))
    }

    /// Each timed layer gives the largest candidate two work-groups per compute unit.
    func testTheTimedLayersFillTheDevice() {
        for units in [1, 2, 16, 132] {
            for g in ConvolutionAutotuner.problems(computeUnits: units) {
                XCTAssertGreaterThanOrEqual(g.batch * g.outHeight * g.outWidth, 2 * 128 * units, "\(units) units")
                XCTAssertGreaterThanOrEqual(g.batch, 4)
            }
        }
    }
}
