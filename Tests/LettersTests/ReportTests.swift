import Foundation
import XCTest
import LetterFormats
@testable import Letters

/// The HTML report builders: each page is well formed (tags nest and close), self-contained (no
/// scripts, links or outside URLs; images are `data:` PNGs) and holds its charts and images.
final class ReportTests: XCTestCase {
    static let voidElements: Set<String> = ["meta", "img", "br", "hr", "input", "link", "col", "source", "wbr"]

    /// Checks nesting and closing of every tag, and that nothing is loaded from outside the page.
    func assertWellFormedSelfContained(_ html: String, line: UInt = #line) throws {
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"), line: line)
        XCTAssertTrue(html.hasSuffix("</html>\n"), line: line)
        for banned in ["<script", "<link", "@import", "url(", "<iframe", "<object"] {
            XCTAssertFalse(html.contains(banned), "page contains \(banned)", line: line)
        }
        let refs = try NSRegularExpression(pattern: #"(?:src|href)\s*=\s*"([^"]*)""#)
        for m in refs.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let value = String(html[Range(m.range(at: 1), in: html)!])
            XCTAssertTrue(value.hasPrefix("data:image/png;base64,"), "outside reference: \(value.prefix(60))", line: line)
        }
        let tags = try NSRegularExpression(pattern: #"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>"#)
        var stack: [String] = []
        for m in tags.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let closing = m.range(at: 1).length > 0, selfClosing = m.range(at: 3).length > 0
            let name = String(html[Range(m.range(at: 2), in: html)!]).lowercased()
            if Self.voidElements.contains(name) || selfClosing { continue }
            if closing {
                guard stack.last == name else {
                    return XCTFail("</\(name)> closes <\(stack.last ?? "nothing")>", line: line)
                }
                stack.removeLast()
            } else {
                stack.append(name)
            }
        }
        XCTAssertEqual(stack, [], "unclosed tags", line: line)
    }

    /// Every embedded image, decoded from base64; each must be a PNG.
    func embeddedImages(_ html: String, line: UInt = #line) throws -> [[UInt8]] {
        let regex = try NSRegularExpression(pattern: #"data:image/png;base64,([A-Za-z0-9+/=]+)"#)
        return try regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map { m in
            let data = try XCTUnwrap(Data(base64Encoded: String(html[Range(m.range(at: 1), in: html)!])), line: line)
            XCTAssertEqual(Array(data.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "a PNG", line: line)
            return Array(data)
        }
    }

    /// The reports' images are libpng's PNGs of the pixels clamped to 0…maximum and scaled to 0…255.
    func testEmbeddedImagesDecodeToTheScaledPixels() throws {
        func decoded(_ uri: String) throws -> [UInt8] {
            XCTAssertTrue(uri.hasPrefix("data:image/png;base64,iVBORw0KGgo"), uri)
            let data = try XCTUnwrap(Data(base64Encoded: String(uri.dropFirst("data:image/png;base64,".count))))
            return try GrayImage.decode(Array(data), file: "report image").pixels
        }
        XCTAssertEqual(try decoded(HTMLPage.pngDataURI([-5, 0, 127.6, 255, 900] as [Float], width: 5, height: 1)), [0, 0, 128, 255, 255])
        XCTAssertEqual(try decoded(HTMLPage.pngDataURI([0, 255, 510] as [Float], width: 3, height: 1, maximum: 510)), [0, 128, 255])
    }

    func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    func testTrainingReport() throws {
        var options = TrainingOptions()
        options.architecture = .mlp; options.epochs = 4; options.maxSteps = 50
        let history = (1...3).map { (e: Int) -> EpochRecord in
            let d = Double(e)
            return EpochRecord(epoch: e, trainLoss: 3.0 / d, trainAccuracy: 0.2 * d, validationLoss: 2.5 / d,
                               validationAccuracy: 0.25 * d, learningRate: Float(1e-3 / d), imagesPerSecond: 4000, seconds: 0.5)
        }
        let report = TrainingReport(options: options, history: history, device: "cpu", parameters: 1234,
                                    data: ["a<b>&c.npz"], trainImages: 90, validationImages: 10)
        let html = report.page().render()
        try assertWellFormedSelfContained(html)
        XCTAssertEqual(count("<svg", in: html), 4, "loss, accuracy, learning rate, speed")
        XCTAssertEqual(count("<polyline", in: html), 6, "train+val loss, train+val accuracy, lr, speed")
        XCTAssertTrue(html.contains("a&lt;b&gt;&amp;c.npz") && !html.contains("a<b>"), "text is escaped")
        XCTAssertTrue(html.contains("learningRate") && html.contains("maxSteps"), "the settings are listed")
        XCTAssertTrue(html.contains("75.00% (epoch 3)"), "best validation accuracy")
        // A run with no epoch finished still makes a page.
        let empty = TrainingReport(options: options, history: [], device: "cpu", parameters: 1, data: [], trainImages: 1, validationImages: 0)
        try assertWellFormedSelfContained(empty.page().render())
    }

    func testEvaluationReport() throws {
        let set = DemoLetters.make(count: 52, seed: 3)
        // Right on every image except image i ≡ 0 (mod 5), which is taken for the next letter.
        var probs = [Float](repeating: 0.01, count: 52 * 26)
        var wrong = 0
        for i in 0..<52 {
            let truth = set.labels[i] - 1
            let answer = i % 5 == 0 ? (truth + 1) % 26 : truth
            if answer != truth { wrong += 1 }
            probs[i * 26 + answer] = 0.5 + Float(i) / 200
        }
        let e = Evaluation(probabilities: probs, classes: set.classIndices)
        let report = EvaluationReport(evaluation: e, probabilities: probs, set: set, model: "m.lnet", limit: 8)
        XCTAssertEqual(report.mistakeCount, wrong)
        XCTAssertEqual(report.mistakes.count, 8)
        XCTAssertEqual(report.mistakes.map(\.confidence), report.mistakes.map(\.confidence).sorted(by: >), "most confident first")
        XCTAssertTrue(report.mistakes.allSatisfy { $0.truth != $0.predicted && $0.pixels.count == 784 })
        let html = report.page().render()
        try assertWellFormedSelfContained(html)
        XCTAssertEqual(count("<title>true ", in: html), 26 * 26, "one heat-map cell per (true, predicted)")
        XCTAssertEqual(try embeddedImages(html).count, 8, "one image per shown mistake")
        XCTAssertTrue(html.contains("Accuracy per class") && html.contains("Misclassified letters"))
    }

    func testPredictionReportFlagsCloseCalls() throws {
        let (strips, truth) = DemoStrips.make(count: 12, seed: 5)
        let readings: [[PredictionReport.Reading]] = (0..<12).map { i in
            let close = i == 3
            return [(truth[i], close ? 0.45 : 0.9), ([1, 2, 3, 4, 5], close ? 0.40 : 0.05), ([2, 2, 3, 4, 5], 0.03),
                    ([3, 2, 3, 4, 5], 0.01), ([4, 2, 3, 4, 5], close ? 0.11 : 0.01)]
        }
        var report = PredictionReport(strips: strips, readings: readings, truth: truth, model: "reader.lnet")
        report.sampleSize = 6
        XCTAssertEqual(report.sample, [0, 2, 4, 6, 8, 10])
        XCTAssertEqual((0..<12).filter(report.isCloseCall), [3])
        let html = report.page().render()
        try assertWellFormedSelfContained(html)
        XCTAssertEqual(try embeddedImages(html).count, 6 + 10, "the sample and the ten closest calls")
        XCTAssertEqual(count("<span class=\"flag\">close call", in: html), 1, "strip 3 is flagged among the closest calls")
        XCTAssertTrue(html.contains("100.0%"), "top-5 shown when the truth is known")
        XCTAssertTrue(html.contains("mono good"), "right readings are marked")
        let unknown = PredictionReport(strips: strips, readings: readings, truth: nil, model: "reader.lnet")
        try assertWellFormedSelfContained(unknown.page().render())
    }

    func testPageIsWrittenAtomically() throws {
        let url = try temporaryDirectory(self).appendingPathComponent("report.html")
        var page = HTMLPage(title: "T & t", subtitle: "s")
        page.section("One", "<p>x</p>", note: "n < m")
        try page.write(to: url)
        let text = try String(contentsOf: url, encoding: .utf8)
        try assertWellFormedSelfContained(text)
        XCTAssertTrue(text.contains("<title>T &amp; t</title>") && text.contains("n &lt; m"))
    }

    func testChartsScaleTheirTicks() {
        XCTAssertEqual(SVG.ticks(0, 1, count: 5), [0, 0.25, 0.5, 0.75, 1])
        XCTAssertEqual(SVG.ticks(1, 3, count: 8, integers: true), [1, 2, 3])
        XCTAssertEqual(SVG.number(0.0015), "0.0015")
        XCTAssertEqual(SVG.number(12), "12")
        let chart = LineChart(title: "one point", x: [1], series: [.init("s", color: "#000", [0.5])]).svg()
        XCTAssertTrue(chart.contains("<circle"), "a single epoch still shows a dot")
        XCTAssertFalse(chart.contains("nan") || chart.contains("inf"))
    }
}
