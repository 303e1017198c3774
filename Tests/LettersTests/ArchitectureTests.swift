import Letters
import NeuralNet
import XCTest

/// Every architecture the CLI offers is a valid network from 1×28×28 letters to 26 class scores.
final class ArchitectureTests: XCTestCase {
    func testEveryArchitectureMapsLettersToTwentySixScores() throws {
        for arch in Architecture.allCases {
            XCTAssertEqual(try LayerSpec.check(arch.layers, inputShape: Architecture.inputShape), [Architecture.classes],
                           arch.rawValue)
            let model = Sequential(specs: arch.layers, inputShape: Architecture.inputShape, backend: CPUBackend(threads: 1),
                                   seed: 1)
            XCTAssertEqual(model.outputShape(batch: 3), [3, Architecture.classes], arch.rawValue)
        }
    }
}
