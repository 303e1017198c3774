import Foundation
import LetterFormats

/// The `predict --report` page: a sample of strips drawn as images beside their guesses and
/// probabilities; close calls (the runner-up nearly as likely as the winner) are flagged.
public struct PredictionReport {
    public typealias Reading = (labels: [Int], probability: Double)

    public var strips: StripSet
    public var readings: [[Reading]]
    /// True labels (1…26) when known (demo strips, `--labels`).
    public var truth: [[Int]]?
    public var model: String
    /// Strips shown in the sample, evenly spread over the set.
    public var sampleSize = 40
    /// A strip is a close call when P(second guess) / P(first guess) is at least this.
    public var closeRatio = 0.5

    public init(strips: StripSet, readings: [[Reading]], truth: [[Int]]?, model: String) {
        precondition(readings.count == strips.count && (truth?.count ?? strips.count) == strips.count, "one reading per strip")
        self.strips = strips; self.readings = readings; self.truth = truth; self.model = model
    }

    /// P(second) / P(first) of strip `i` (0 with fewer than two guesses).
    public func ratio(_ i: Int) -> Double {
        let r = readings[i]
        return r.count >= 2 && r[0].probability > 0 ? r[1].probability / r[0].probability : 0
    }

    public func isCloseCall(_ i: Int) -> Bool { ratio(i) >= closeRatio }

    /// The strips shown: `sampleSize` indices spread evenly, in input order.
    public var sample: [Int] {
        let n = min(sampleSize, strips.count)
        return Array(Set((0..<n).map { $0 * strips.count / max(n, 1) })).sorted()
    }

    public func page() -> HTMLPage {
        var page = HTMLPage(title: "LetterNet prediction report", subtitle: "\(model) reading \(strips.name)")
        let close = (0..<strips.count).filter(isCloseCall)
        var cards: [(String, String)] = [("strips", "\(strips.count)"), ("strip size", "\(strips.height)×\(strips.width)"),
                                         ("close calls", "\(close.count) (\(String(format: "%.0f%%", 100 * Double(close.count) / Double(max(strips.count, 1)))))")]
        if let truth {
            let score = StripScore(guesses: readings.map { $0.map(\.labels) }, truth: truth)
            cards += [("top-1 (exact first guess)", String(format: "%.1f%%", 100 * score.top1)),
                      ("top-5 (right among five)", String(format: "%.1f%%", 100 * score.top5)),
                      ("letters right (first guess)", String(format: "%.1f%%", 100 * score.letters))]
        }
        page.section("Summary", HTMLPage.cards(cards))
        let header = ["#", "strip"] + (truth == nil ? [] : ["truth"]) + ["guesses (probability among the five)", ""]
        page.section("Sample", HTMLPage.table(header: header, rows: sample.map(row)),
                     note: "\(sample.count) of \(strips.count) strips, evenly spread. A close call (flagged) is a strip whose second guess has at least \(Int(100 * closeRatio))% of the first guess's probability."
                        + (truth == nil ? "" : " The right reading is green; a wrong first guess is red."))
        let closest = (0..<strips.count).sorted { ratio($0) != ratio($1) ? ratio($0) > ratio($1) : $0 < $1 }.prefix(10)
        page.section("Closest calls", HTMLPage.table(header: header, rows: closest.map(row)),
                     note: "The ten strips whose two best guesses are nearest in probability.")
        return page
    }

    func row(_ i: Int) -> [String] {
        let image = HTMLPage.image(strips.strip(at: i), width: strips.width, height: strips.height, zoom: 2, alt: "strip \(i)")
        let right = truth?[i]
        let guesses = readings[i].enumerated().map { k, g -> String in
            let text = "\(LetterLabel.letters(g.labels)) " + String(format: "%.0f%%", 100 * g.probability)
            let cls = right == nil ? "mono" : g.labels == right! ? "mono good" : k == 0 ? "mono bad" : "mono"
            return "<span class=\"\(cls)\">\(k == 0 ? "<b>\(HTMLPage.escape(text))</b>" : HTMLPage.escape(text))</span>"
        }.joined(separator: " · ")
        let flag = isCloseCall(i) ? "<span class=\"flag\">close call \(String(format: "%.2f", ratio(i)))</span>" : ""
        return ["\(i)", image] + (right.map { ["<span class=\"mono\">\(LetterLabel.letters($0))</span>"] } ?? []) + [guesses, flag]
    }

    public func write(to url: URL) throws { try page().write(to: url) }
}
