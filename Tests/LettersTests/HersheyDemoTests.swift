import Foundation
import XCTest
import NeuralNet
@testable import Letters

/// The Hershey demo: the glyph tables parse, the rasterizer draws 26 distinct EMNIST-style letters per
/// font and case, and demo letters and strips repeat exactly from their seed.
final class HersheyDemoTests: XCTestCase {
    /// Rows and columns holding ink (> 20) of a 28×28 image, as closed ranges (nil when empty).
    func inkBox(_ img: [Float]) -> (rows: ClosedRange<Int>, cols: ClosedRange<Int>)? {
        let on = (0..<784).filter { img[$0] > 20 }
        guard let r0 = on.map({ $0 / 28 }).min(), let r1 = on.map({ $0 / 28 }).max(),
              let c0 = on.map({ $0 % 28 }).min(), let c1 = on.map({ $0 % 28 }).max() else { return nil }
        return (r0...r1, c0...c1)
    }

    func testGlyphParsing() {
        // Futura light "I": bearings "NV", one stroke from (0, -12) to (0, 9).
        let i = HersheyFont.futura.glyph(label: 9, lowercase: false)
        XCTAssertEqual(i.strokes.count, 1)
        XCTAssertEqual(i.strokes[0].map(\.x), [0, 0])
        XCTAssertEqual(i.strokes[0].map(\.y), [-12, 9])
        // "A": three strokes (two legs and the bar).
        XCTAssertEqual(HersheyFont.futura.glyph(label: 1, lowercase: false).strokes.count, 3)
    }

    func testRasterizerDraws26DistinctLettersPerFontAndCase() {
        for font in HersheyFont.demoFonts {
            for lowercase in [false, true] {
                let images = (1...26).map { HersheyRasterizer.render(font.glyph(label: $0, lowercase: lowercase)) }
                let what = "\(font.name) \(lowercase ? "lower" : "upper") case"
                for (k, img) in images.enumerated() {
                    XCTAssertEqual(img.count, 784)
                    XCTAssertTrue(img.allSatisfy { (0...255).contains($0) }, "\(what) \(k + 1): values in 0…255")
                    XCTAssertGreaterThan(img.filter { $0 > 128 }.count, 25, "\(what) \(k + 1) has ink")
                    guard let box = inkBox(img) else { XCTFail("\(what) \(k + 1) is empty"); continue }
                    let side = max(box.rows.count, box.cols.count)
                    XCTAssertTrue((22...26).contains(side), "\(what) \(k + 1): ink spans \(side) px, expected ~24")
                    XCTAssertTrue(box.rows.lowerBound >= 1 && box.rows.upperBound <= 26 && box.cols.lowerBound >= 1
                                  && box.cols.upperBound <= 26, "\(what) \(k + 1): a border around the ink")
                }
                XCTAssertEqual(Set(images.map { $0.map { Int($0) } }).count, 26, "\(what): 26 distinct images")
            }
        }
    }

    func testRandomStylesVaryButStayInTheFrame() {
        var rng = SeededGenerator(seed: 11)
        let glyph = HersheyFont.script.glyph(label: 7, lowercase: true)
        var seen = Set<[Int]>()
        for _ in 0..<20 {
            let style = HersheyRasterizer.Style.random(using: &rng)
            let img = HersheyRasterizer.render(glyph, style: style, rng: &rng)
            XCTAssertNotNil(inkBox(img))
            XCTAssertTrue(img.allSatisfy { (0...255).contains($0) })
            seen.insert(img.map { Int($0) })
        }
        XCTAssertEqual(seen.count, 20, "every style draws a different letter")
    }

    func testDemoLettersAreBalancedAndRepeat() {
        let a = DemoLetters.make(count: 60, seed: 4), b = DemoLetters.make(count: 60, seed: 4)
        XCTAssertEqual(a.images, b.images)
        XCTAssertEqual(a.labels, (0..<60).map { $0 % 26 + 1 })
        XCTAssertNotEqual(a.images, DemoLetters.make(count: 60, seed: 5).images)
    }

    func testDemoStripsAreDeterministic() {
        let a = DemoStrips.make(count: 6, seed: 9), b = DemoStrips.make(count: 6, seed: 9)
        XCTAssertEqual(a.strips.pixels, b.strips.pixels)
        XCTAssertEqual(a.labels, b.labels)
        XCTAssertEqual([a.strips.count, a.strips.height, a.strips.width], [6, 30, 150])
        XCTAssertTrue(a.labels.allSatisfy { $0.count == 5 && $0.allSatisfy { (1...26).contains($0) } })
        XCTAssertTrue(a.strips.pixels.allSatisfy { $0.isFinite && $0 >= 0 })
        let c = DemoStrips.make(count: 6, seed: 10)
        XCTAssertNotEqual(a.strips.pixels, c.strips.pixels)
        let four = DemoStrips.make(count: 2, letters: 4, seed: 9)
        XCTAssertEqual(four.strips.width, 120)
        XCTAssertTrue(four.labels.allSatisfy { $0.count == 4 })
        // The default demo set is what `predict` reads without --strips.
        XCTAssertEqual(DemoStrips.make(count: 3).labels, DemoStrips.make(count: 3, seed: DemoStrips.defaultSeed).labels)
    }
}
