import Foundation
import NeuralNetOpenCL
import XCTest

/// The autotuner refuses a wrong candidate however fast, and keeps its choice in a JSON file that a
/// corrupt copy of does not break.
final class GEMMAutotunerTests: XCTestCase {
    func testAWrongCandidateIsRefused() throws {
        let device = try TestDevice.backend().device
        let planted = GEMMTile.candidates[1]
        let trials = GEMMAutotuner.tune(on: device) { tile, y in
            if tile == planted { y[y.count / 2] += 1 }       // one wrong output
        }
        XCTAssertGreaterThanOrEqual(trials.count, 2)
        for t in trials { XCTAssertEqual(t.accepted, t.tile != planted, "\(t.tile): error \(t.error) \(t.problem ?? "")") }
        // Planted as the fastest by far, it is still not chosen.
        let fast = trials.map { t in
            var t = t
            if t.tile == planted { t.seconds = 0 }
            return t
        }
        let chosen = try XCTUnwrap(GEMMAutotuner.choose(fast))
        XCTAssertNotEqual(chosen, planted)
        XCTAssertNil(GEMMAutotuner.choose(fast.filter { $0.tile == planted }))
    }

    func testTheChoiceIsCachedAndACorruptFileIgnored() throws {
        let device = try TestDevice.backend().device
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gemm-tile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent(GEMMAutotuner.fileName)
        try Data("{ not json".utf8).write(to: file)
        let tile = try GEMMAutotuner.tile(for: device, environment: ["LETTERNET_KERNEL_CACHE": folder.path])
        XCTAssertTrue(GEMMTile.candidates.contains(tile))
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.contains(device.driverVersion), text)
        XCTAssertTrue(text.contains("\"trials\""), text)
        // Named by the environment: no tuning, and an unknown name is an error.
        XCTAssertEqual(try GEMMAutotuner.tile(for: device, environment: ["LETTERNET_GEMM_TILE": "32x32x16/4x4"]),
                       GEMMTile.named("32x32x16/4x4"))
        XCTAssertThrowsError(try GEMMAutotuner.tile(for: device, environment: ["LETTERNET_GEMM_TILE": "7x7"]))
        // With the cache off, the standard tile.
        XCTAssertEqual(try GEMMAutotuner.tile(for: device, environment: ["LETTERNET_KERNEL_CACHE": "off"]), .standard)
    }
}
