import XCTest
import NeuralNet
@testable import Letters

final class ElasticDistortionTests: XCTestCase {
    /// A 28×28 image with a vertical bar (columns 12…15, rows 4…23).
    func bar() -> [Float] {
        var img = [Float](repeating: 0, count: 784)
        for y in 4..<24 { for x in 12..<16 { img[y * 28 + x] = 255 } }
        return img
    }

    func distorted(_ e: ElasticDistortion, seed: UInt64) -> [Float] {
        var img = bar(), rng = SeededGenerator(seed: seed)
        img.withUnsafeMutableBufferPointer { e.apply($0.baseAddress!, rng: &rng) }
        return img
    }

    func testKernelIsANormalizedGaussian() {
        let k = ElasticDistortion(alpha: 34, sigma: 4).kernel
        XCTAssertEqual(k.count, 25)
        XCTAssertEqual(k.reduce(0, +), 1, accuracy: 1e-5)
        XCTAssertEqual(k[12], k.max())
        XCTAssertEqual(k[0], k[24])
    }

    func testZeroAlphaIsTheIdentity() {
        XCTAssertEqual(distorted(ElasticDistortion(alpha: 0, sigma: 4), seed: 1), bar())
    }

    func testBendsTheStrokeSmoothlyAndRepeatsBySeed() {
        let e = ElasticDistortion()
        let a = distorted(e, seed: 7)
        XCTAssertEqual(a, distorted(e, seed: 7), "same seed, same distortion")
        XCTAssertNotEqual(a, distorted(e, seed: 8))
        XCTAssertNotEqual(a, bar())
        // A smooth field of a few pixels: the ink moves but stays about as much ink, near where it was.
        let ink = a.reduce(0, +), original = bar().reduce(0, +)
        XCTAssertEqual(ink / original, 1, accuracy: 0.25)
        let centre = a.enumerated().reduce(0.0) { $0 + Double($1.element) * Double($1.offset % 28) } / Double(ink)
        XCTAssertEqual(centre, 13.5, accuracy: 3)
        XCTAssertTrue(a.allSatisfy { $0 >= 0 && $0 <= 255 })
    }
}
