import Foundation
import NeuralNetOpenCL
import XCTest

/// The autotuner refuses a wrong candidate however fast in each size class, keeps its choices in a
/// JSON file that a corrupt or old-format copy of does not break, and classes products by their
/// work-groups per compute unit.
final class GEMMAutotunerTests: XCTestCase {
    func testAWrongCandidateIsRefusedInEachClass() throws {
        let device = try TestDevice.backend().device
        let planted = GEMMTile.candidates[1]
        for sizeClass in GEMMSizeClass.allCases {
            let trials = GEMMAutotuner.tune(on: device, sizeClass: sizeClass) { tile, y in
                if tile == planted { y[y.count / 2] += 1 }       // one wrong output
            }
            try assertRefused(planted, in: trials, "\(sizeClass)")
        }
    }

    /// A new kernel cache folder, removed after the test, and its `gemm-tile.json`.
    private func cacheFolder() throws -> (folder: URL, file: URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gemm-tile-\(UUID().uuidString)")
        addTeardownBlock { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return (folder, folder.appendingPathComponent(GEMMAutotuner.fileName))
    }

    func testTheChoiceIsCachedAndACorruptFileIgnored() throws {
        let device = try TestDevice.backend().device
        let (folder, file) = try cacheFolder()
        try Data("{ not json".utf8).write(to: file)
        let tiles = try GEMMAutotuner.tiles(for: device, environment: ["LETTERNET_KERNEL_CACHE": folder.path])
        XCTAssertTrue(GEMMTile.candidates.contains(tiles.small) && GEMMTile.candidates.contains(tiles.large))
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.contains(device.driverVersion), text)
        XCTAssertTrue(text.contains("\"version\" : \(GEMMAutotuner.formatVersion)"), text)
        XCTAssertTrue(text.contains("\"small\"") && text.contains("\"large\""), text)
        // Named by the environment: no tuning, one tile for both classes, and an unknown name is an error.
        XCTAssertEqual(try GEMMAutotuner.tiles(for: device, environment: ["LETTERNET_GEMM_TILE": "32x32x16/4x4"]),
                       GEMMTiles(try XCTUnwrap(GEMMTile.named("32x32x16/4x4"))))
        XCTAssertThrowsError(try GEMMAutotuner.tiles(for: device, environment: ["LETTERNET_GEMM_TILE": "7x7"]))
        // With the cache off, the standard tile.
        XCTAssertEqual(try GEMMAutotuner.tiles(for: device, environment: ["LETTERNET_KERNEL_CACHE": "off"]), .standard)
    }

    /// A file of the first format (one tile per device, no version) is ignored: tuned again, rewritten.
    func testAnOldFormatFileIsRetuned() throws {
        let device = try TestDevice.backend().device
        let (folder, file) = try cacheFolder()
        let key = "\(device.name) | driver \(device.driverVersion)"
        let old = ["\(key)": ["tile": ["rows": 32, "columns": 64, "depth": 16, "rowsPerItem": 4, "columnsPerItem": 8],
                              "trials": [[String: Int]]()]]
        try JSONSerialization.data(withJSONObject: old).write(to: file)
        _ = try GEMMAutotuner.tiles(for: device, environment: ["LETTERNET_KERNEL_CACHE": folder.path])
        let text = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(text.contains("\"version\" : \(GEMMAutotuner.formatVersion)"), text)
        XCTAssertTrue(text.contains("\"seconds\""), text)
    }

    /// Small below `groupsPerUnit` work-groups per unit under the reference tile (64×128 here), large from it.
    func testTheSizeClassRule() {
        XCTAssertEqual(GEMMSizeClass.reference, GEMMTile.named("64x128x8/8x8"))
        // Two units: large from 4 groups of 64×128.
        XCTAssertEqual(GEMMSizeClass(rows: 128, columns: 26, computeUnits: 2), .small)       // 2 groups
        XCTAssertEqual(GEMMSizeClass(rows: 192, columns: 128, computeUnits: 2), .small)      // 3 groups
        XCTAssertEqual(GEMMSizeClass(rows: 256, columns: 128, computeUnits: 2), .large)      // 4 groups
        XCTAssertEqual(GEMMSizeClass(rows: 128, columns: 129, computeUnits: 2), .large)      // 2×2 groups
        XCTAssertEqual(GEMMSizeClass(rows: 1, columns: 1, computeUnits: 1), .small)
        XCTAssertEqual(GEMMSizeClass(rows: 65, columns: 1, computeUnits: 1), .large)
        XCTAssertEqual(GEMMSizeClass(rows: 0, columns: 0, computeUnits: 0), .small)
        // Many units: the same layer is small.
        XCTAssertEqual(GEMMSizeClass(rows: 256, columns: 1568, computeUnits: 80), .small)
        XCTAssertEqual(GEMMSizeClass(rows: 256, columns: 1568, computeUnits: 2), .large)
        // Each class's timed size is of its class, on few units and many.
        for units in [1, 2, 16, 108] {
            for sizeClass in GEMMSizeClass.allCases {
                let p = GEMMAutotuner.problem(for: sizeClass, computeUnits: units)
                XCTAssertEqual(GEMMSizeClass(rows: p.batch, columns: p.outFeatures, computeUnits: units), sizeClass,
                               "\(sizeClass) on \(units) units: \(p)")
            }
        }
        XCTAssertEqual(GEMMAutotuner.problem(for: .large, computeUnits: 2),
                       GEMMAutotuner.Problem(batch: 256, inFeatures: 1568, outFeatures: 128))
    }
}

/// Only `planted` is refused among `trials`, and made the fastest by far it is still not chosen.
func assertRefused(_ planted: GEMMTile, in trials: [GEMMAutotuner.Trial], _ what: String,
                   file: StaticString = #filePath, line: UInt = #line) throws {
    XCTAssertGreaterThanOrEqual(trials.count, 2, what, file: file, line: line)
    for t in trials {
        XCTAssertEqual(t.accepted, t.tile != planted, "\(what) \(t.tile): error \(t.error) \(t.problem ?? "")",
                       file: file, line: line)
    }
    let fast = trials.map { t in
        var t = t
        if t.tile == planted { t.seconds = 0 }
        return t
    }
    XCTAssertNotEqual(try XCTUnwrap(GEMMAutotuner.choose(fast), file: file, line: line), planted, what, file: file, line: line)
    XCTAssertNil(GEMMAutotuner.choose(fast.filter { $0.tile == planted }), what, file: file, line: line)
}
