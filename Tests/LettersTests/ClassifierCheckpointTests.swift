import Foundation
import XCTest
import Letters
import NeuralNet

/// A model that is not a letter classifier (a strip reader, another input size or class count) is
/// refused with a message when loaded as one; `letternet evaluate --model strip-reader.lnet`
/// used to stop on a precondition failure (SIGILL) in the first forward pass.
final class ClassifierCheckpointTests: XCTestCase {
    func assertRefused(_ checkpoint: Checkpoint, _ phrase: String, line: UInt = #line) {
        XCTAssertThrowsError(try LetterClassifier(checkpoint: checkpoint, backend: CPUBackend(threads: 1), source: "m.lnet"),
                             line: line) { error in
            XCTAssertTrue(error is CheckpointError, "\(error)", line: line)
            XCTAssertTrue("\(error)".hasPrefix("m.lnet: not a letter classifier"), "\(error)", line: line)
            XCTAssertTrue("\(error)".contains(phrase), "\(error)", line: line)
        }
    }

    func testStripReaderIsNotALetterClassifier() throws {
        let reader = StripReader(width: 150, backend: CPUBackend(threads: 1), seed: 2).checkpoint()
        assertRefused(reader, "maps [1, 28, 178]")
    }

    func testOtherInputOrClassCountIsRefused() {
        let ten = Sequential(specs: [.flatten, .linear(inFeatures: 784, outFeatures: 10)], inputShape: [1, 28, 28],
                             backend: CPUBackend(threads: 1), seed: 1)
        assertRefused(Checkpoint(model: ten), "to [10]")
        let small = Sequential(specs: [.flatten, .linear(inFeatures: 64, outFeatures: 26)], inputShape: [1, 8, 8],
                               backend: CPUBackend(threads: 1), seed: 1)
        assertRefused(Checkpoint(model: small), "maps [1, 8, 8]")
        let good = Sequential(specs: [.flatten, .linear(inFeatures: 784, outFeatures: 26)], inputShape: [1, 28, 28],
                              backend: CPUBackend(threads: 1), seed: 1)
        XCTAssertNoThrow(try LetterClassifier(checkpoint: Checkpoint(model: good), backend: CPUBackend(threads: 1), source: "m.lnet"))
    }
}
