import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// The strip reader's geometry comes from its layers alone, and a reader's checkpoint says what it is.
final class ReaderGeometryTests: XCTestCase {
    let cpu = CPUBackend(threads: 1)

    func testEveryVariantSharesTheStandardGeometry() {
        let g = StripReader.geometry
        XCTAssertEqual([g.stride, g.padding, g.minimumSpacing, g.rows.count], [4, 14, 2, 28])
        for v in StripReader.Variant.allCases {
            let h = v.geometry
            XCTAssertEqual(h.rows, g.rows, "\(v)")
            XCTAssertEqual([h.stride, h.padding, h.minimumSpacing], [g.stride, g.padding, g.minimumSpacing], "\(v)")
            XCTAssertEqual(h.field.firstCentre, g.field.firstCentre, "\(v)")
            for width in [28, 150, 333] { XCTAssertEqual(h.positions(width: width), g.positions(width: width), "\(v), \(width)") }
        }
    }

    /// The formula the ONNX documentation states holds for every width the network reads.
    func testPositionsFormulaInTheDocumentation() {
        let g = StripReader.geometry
        XCTAssertEqual(g.positionsBelowWidth, 6)
        for width in 1...400 {
            XCTAssertEqual(g.positions(width: width), max(0, g.paddedWidth(width) / g.stride - g.positionsBelowWidth), "width \(width)")
        }
        XCTAssertEqual(g.inputDescription, "rows 1…28 of a strip, with 14 zero columns added on each side (W = strip width + 28)")
        XCTAssertEqual(g.positionsDescription, "P = ⌊W/4⌋ − 6 window positions, position j centred on strip column 4j − 0.5")
        XCTAssertEqual(g.inputShape(width: 150), [1, 28, 178])
    }

    func testLetterCapacityFollowsTheSpacing() {
        let g = StripReader.geometry
        for letters in 1...12 {
            let w = g.minimumWidth(letters: letters)
            XCTAssertGreaterThanOrEqual(g.maxLetters(width: w), letters)
            if w > 1 { XCTAssertLessThan(g.maxLetters(width: w - 1), letters, "\(letters) letters") }
            // Letters at least `minimumSpacing` positions apart: the first at 0, the last at (n − 1)·spacing.
            XCTAssertEqual(g.positions(width: w), (letters - 1) * g.minimumSpacing + 1)
        }
    }

    /// Another network gives another geometry, with nothing else to change.
    func testAnotherNetworkDerivesItsOwnGeometry() throws {
        let layers: [LayerSpec] = [.conv2d(inChannels: 1, outChannels: 4, kernelSize: 3, stride: 1, padding: 1), .relu,
                                   .maxPool2d(kernelSize: 2, stride: 2),
                                   .conv2d(inChannels: 4, outChannels: 27, kernelSize: 14, stride: 1, padding: 0)]
        let g = try XCTUnwrap(ReaderGeometry(layers: layers, rows: 1...28))
        XCTAssertEqual([g.stride, g.padding, g.minimumSpacing], [2, 14, 4])
        XCTAssertEqual(g.field.size, 30)
        XCTAssertEqual(g.centre(ofPosition: 0), -0.5)  // padded column 13.5
        XCTAssertEqual(g.centre(ofPosition: 3), 5.5)
        XCTAssertEqual(g.positions(width: 10), 6)  // 38 columns, pooled to 19, less 13 for the 14-wide head
        XCTAssertNil(ReaderGeometry(layers: Architecture.mlp.layers, rows: 1...28))
    }

    func testCheckpointRecordsKindAndVariant() throws {
        for v in StripReader.Variant.allCases {
            let c = StripReader(width: 60, variant: v, backend: cpu, seed: 1).checkpoint()
            XCTAssertEqual(c.metadata["kind"], "strip-reader")
            XCTAssertEqual(c.metadata["variant"], v.rawValue)
            XCTAssertEqual(StripReader.Variant(recognising: c), v)
            XCTAssertEqual(try StripReader(checkpoint: c, backend: cpu, source: "r.lnet").variant, v)
            // A reader written before readers recorded what they are: recognised by its layers.
            var old = c
            old.metadata["kind"] = nil; old.metadata["variant"] = nil
            XCTAssertEqual(StripReader.Variant(recognising: old), v)
            // Recorded as something else: not a reader.
            var other = c
            other.metadata["kind"] = "letter-classifier"; other.metadata["variant"] = nil
            XCTAssertNil(StripReader.Variant(recognising: other))
        }
        var wrong = StripReader(width: 60, variant: .fast, backend: cpu, seed: 1).checkpoint()
        wrong.metadata["variant"] = "standard"
        XCTAssertNil(StripReader.Variant(recognising: wrong))
        let classifier = Checkpoint(model: Sequential(specs: Architecture.mlp.layers, inputShape: Architecture.inputShape,
                                                      backend: cpu, seed: 1))
        XCTAssertNil(StripReader.Variant(recognising: classifier))
    }

    /// The shipped readers are recognised, whether or not they record their variant.
    func testShippedReadersAreRecognised() throws {
        let models = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: models.path)) ?? [])
            .filter { $0.hasPrefix("strip-reader") && $0.hasSuffix(".lnet") }
        try XCTSkipIf(names.isEmpty, "no shipped strip reader")
        for name in names {
            var c = try Checkpoint.read(from: models.appendingPathComponent(name))
            let v = try XCTUnwrap(StripReader.Variant(recognising: c), name)
            c.metadata["kind"] = nil; c.metadata["variant"] = nil
            XCTAssertEqual(StripReader.Variant(recognising: c), v, name)
        }
    }
}
