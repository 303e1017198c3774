import Foundation
import XCTest
@testable import Letters
import NeuralNet

/// The classifier's orientation hint is right on every file in `../shared/data` and on its transpose,
/// with and without labels (the ink-shape rule calls the a–r file transposed). Skipped where the
/// shared data is absent.
final class OrientationByClassifierTests: XCTestCase {
    static let files = [
        "emnist-letters/emnist-letters-train-sample8879-upright.npz",
        "emnist-letters/emnist-letters-train-sample3161-upright.npz",
        "emnist-letters/emnist-letters-test-dev-upright.npz",
        "emnist-other-splits/emnist-other-splits-letters-a-r-upright.npz",
        "femnist-leaf-letters/femnist-leaf-letters.npz",
        "az-handwritten-sample/az-handwritten-sample.npz",
    ]

    func testEverySharedFileAndItsTransposeIsRecognised() throws {
        let modelURL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Models/letters-cnn.lnet")
        let classifier = try LetterClassifier(contentsOf: modelURL, backend: CPUBackend(threads: 2))
        var checked = 0
        for path in Self.files {
            let url = SharedDataTests.dataRoot.appendingPathComponent(path)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            let data = try LetterDataset.load(url: url)
            for (images, expected) in [(data.images, ClassifierOrientation.Verdict.upright),
                                       (data.transposed().images, .transposed)] {
                let read = ClassifierOrientation(images: images, labels: data.labels, count: data.count,
                                                 classifier: classifier, limit: 200)
                XCTAssertEqual(read.verdict, expected, "\(path) with labels: \(read)")
                XCTAssertEqual(read.confidenceVerdict, expected, "\(path) without labels: \(read)")
            }
            checked += 1
        }
        try XCTSkipIf(checked == 0, "no shared data")
    }

    func testTooFewImagesIsUnclear() throws {
        let classifier = LetterClassifier(model: Sequential(specs: Architecture.mlp.layers, inputShape: Architecture.inputShape,
                                                            backend: CPUBackend(threads: 1), seed: 1))
        let read = ClassifierOrientation(images: [Float](repeating: 0, count: 5 * 784), count: 5, classifier: classifier)
        XCTAssertEqual(read.verdict, .unclear)
    }
}
