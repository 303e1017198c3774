import Foundation
import NeuralNet
import XCTest

/// Checkpoints that crashed `Checkpoint.makeModel` (Fixtures/fuzz/*.lnet, also seeds of the fuzz
/// corpus Fuzz/corpus/checkpoint): each is now refused with a `CheckpointError` naming the file.
///
/// - flatten-overflow.lnet: input [65536]×5 then flatten — the element count overflowed Int (trap).
/// - huge-linear.lnet: linear(2^26 → 2^20) with no tensors — building it allocated 2^46 floats.
/// - huge-conv.lnet: conv2d(2^16 → 2^20, 64×64) with no tensors — building it allocated 2^48 floats.
final class CheckpointFuzzRegressionTests: XCTestCase {
    func fixture(_ name: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "lnet", subdirectory: "Fixtures/fuzz")
                      ?? Bundle.module.url(forResource: "Fixtures/fuzz/\(name)", withExtension: "lnet"))
    }

    func assertRefused(_ name: String, _ phrase: String, line: UInt = #line) throws {
        let url = try fixture(name)
        let checkpoint = try Checkpoint.read(from: url)  // the bytes are a well-formed checkpoint
        XCTAssertThrowsError(try checkpoint.makeModel(on: CPUBackend(threads: 1), source: url.path), line: line) { error in
            let message = String(describing: error)
            XCTAssertTrue(error is CheckpointError, "\(type(of: error)): \(message)", line: line)
            XCTAssertTrue(message.hasPrefix(url.path), message, line: line)
            XCTAssertTrue(message.contains(phrase), message, line: line)
        }
    }

    func testFlattenOfTooManyElementsIsRefused() throws {
        try assertRefused("flatten-overflow", "impossible architecture")
    }

    func testHugeLayersWithoutTensorsAreRefusedBeforeAllocating() throws {
        try assertRefused("huge-linear", "tensor '1.weight' is missing")
        try assertRefused("huge-conv", "tensor '0.weight' is missing")
    }

    func testTensorsOfTheWrongShapeAreRefusedBeforeAllocating() throws {
        // A huge linear layer whose file holds a small weight: refused on the shape, nothing built.
        let c = Checkpoint(inputShape: [1 << 16, 1 << 10], layers: [.flatten, .linear(inFeatures: 1 << 26, outFeatures: 1 << 20)],
                           tensors: [("1.weight", [2, 2], [1, 2, 3, 4])])
        let decoded = try Checkpoint.decode(try c.encoded(), source: "wrong.lnet")
        XCTAssertThrowsError(try decoded.makeModel(on: CPUBackend(threads: 1), source: "wrong.lnet")) { error in
            XCTAssertEqual(String(describing: error),
                           "wrong.lnet: tensor '1.weight' has shape [2, 2], the architecture needs [1048576, 67108864]")
        }
    }
}
