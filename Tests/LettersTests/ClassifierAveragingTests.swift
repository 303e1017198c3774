import Foundation
import NeuralNet
import XCTest
@testable import Letters

/// `ClassifierAveraging`: a network without batch norm averages without letters (two copies of one
/// model read exactly as it does); one with batch norm asks for letters; the metadata names the
/// members by file name and drops what belonged to one run.
final class ClassifierAveragingTests: XCTestCase {
    let cpu = CPUBackend(threads: 2)

    func checkpoint(_ arch: Architecture, seed: UInt64, metadata: [String: String] = [:]) -> Checkpoint {
        LetterClassifier(model: Sequential(specs: arch.layers, inputShape: Architecture.inputShape, backend: cpu, seed: seed),
                         metadata: metadata).checkpoint()
    }

    func testCopiesOfOneModelReadAsIt() throws {
        let c = checkpoint(.mlp, seed: 3, metadata: ["architecture": "mlp", "epoch": "7", "trained_on": "a.npz"])
        let averaged = try ClassifierAveraging(members: [("/some/where/e1.lnet", c), ("/else/e2.lnet", c)])
            .average(letters: nil, backend: cpu)
        XCTAssertEqual(averaged.metadata["averaged_from"], "e1.lnet, e2.lnet")
        XCTAssertEqual(averaged.metadata["trained_on"], "a.npz")
        XCTAssertNil(averaged.metadata["epoch"])
        XCTAssertNil(averaged.metadata["batch_norm_from"])
        var rng = SeededGenerator(seed: 1)
        let images = (0..<(4 * 784)).map { _ in Float.random(in: 0...255, using: &rng) }
        let original = try LetterClassifier(checkpoint: c, backend: cpu, source: "c")
        XCTAssertEqual(averaged.probabilities(images: images, count: 4), original.probabilities(images: images, count: 4))
    }

    func testBatchNormNeedsLetters() throws {
        let members = [("a.lnet", checkpoint(.cnn, seed: 1)), ("b.lnet", checkpoint(.cnn, seed: 2))]
        XCTAssertThrowsError(try ClassifierAveraging(members: members).average(letters: nil, backend: cpu)) {
            XCTAssertTrue("\($0)".contains("batch normalization"), "\($0)")
        }
        let letters = try LetterDataset(name: "few", images: (0..<(30 * 784)).map { Float($0 % 251) }, labels: (0..<30).map { $0 % 26 + 1 })
        var r = ClassifierAveraging.Recalibration(); r.batches = 2; r.batchSize = 8
        let averaged = try ClassifierAveraging(members: members).average(letters: letters, recalibration: r, backend: cpu)
        XCTAssertEqual(averaged.metadata["batch_norm_from"], "2 batches of 8 from few")
    }
}
