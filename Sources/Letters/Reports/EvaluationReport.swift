import Foundation

/// The `evaluate --report` page: headline accuracy, the 26×26 confusion heat map, per-class accuracy
/// and a grid of misclassified letters (most confident mistakes first).
public struct EvaluationReport {
    public struct Mistake {
        public var index: Int
        public var pixels: [Float]
        /// 0-based classes.
        public var truth: Int, predicted: Int
        /// The probability the classifier gave its (wrong) answer.
        public var confidence: Double
    }

    public var evaluation: Evaluation
    public var model: String
    public var data: String
    public var mistakes: [Mistake]
    public var mistakeCount: Int

    /// `probabilities` are `[N, 26]` for `set`'s images, in order; the `limit` most confident mistakes are kept.
    public init(evaluation: Evaluation, probabilities: [Float], set: LetterDataset, model: String, limit: Int = 120) {
        self.evaluation = evaluation; self.model = model; self.data = set.name
        var all: [Mistake] = []
        let classes = set.classIndices
        for i in 0..<set.count {
            let row = probabilities[(i * 26)..<((i + 1) * 26)]
            let best = row.indices.max { row[$0] < row[$1] }! - i * 26
            if best != classes[i] {
                all.append(Mistake(index: i, pixels: [], truth: classes[i], predicted: best, confidence: Double(row[i * 26 + best])))
            }
        }
        mistakeCount = all.count
        mistakes = all.sorted { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.index < $1.index }
            .prefix(limit).map { m in var m = m; m.pixels = Array(set.image(at: m.index)); return m }
    }

    static func letter(_ c: Int) -> String { String(UnicodeScalar(UInt8(65 + c))) }

    public func page() -> HTMLPage {
        let e = evaluation
        var page = HTMLPage(title: "LetterNet evaluation report", subtitle: "\(model) on \(data)")
        page.section("Summary", HTMLPage.cards([
            ("images", "\(e.count)"),
            ("top-1 accuracy", String(format: "%.2f%%", 100 * e.top1)),
            ("top-5 accuracy", String(format: "%.2f%%", 100 * e.top5)),
            ("mistakes", "\(mistakeCount)"),
            ("worst class", worstClass()),
        ]))
        let labels = (0..<26).map(Self.letter)
        let heat = HeatMap(title: "Confusion matrix (colour: share of the true class)", labels: labels, counts: e.confusion)
        var bars = BarChart(title: "Accuracy per class", labels: labels, values: e.perClass)
        bars.width = 500
        page.section("Confusions", "<div class=\"charts\">" + heat.svg() + "<div>" + bars.svg() + "<h2>Most confused pairs</h2>"
                     + HTMLPage.table(header: ["true", "predicted", "count", "share of true class"], rows: e.confusedPairs(limit: 10).map { p in
                         let total = max(e.confusion[p.truth].reduce(0, +), 1)
                         return [Self.letter(p.truth), Self.letter(p.predicted), "\(p.count)", String(format: "%.1f%%", 100 * Double(p.count) / Double(total))]
                     }, numeric: true) + "</div></div>")
        let tiles = mistakes.map { m in
            "<div class=\"tile\">" + HTMLPage.image(m.pixels, width: 28, height: 28, zoom: 2,
                                                    alt: "\(Self.letter(m.truth)) read as \(Self.letter(m.predicted))")
                + "<b>\(Self.letter(m.truth))</b> → <span class=\"bad\">\(Self.letter(m.predicted))</span> "
                + String(format: "%.0f%%", 100 * m.confidence) + "<br><span class=\"note\">#\(m.index)</span></div>"
        }
        page.section("Misclassified letters", tiles.isEmpty ? "<p>None.</p>" : "<div class=\"grid\">" + tiles.joined() + "</div>",
                     note: "true → predicted, with the probability of the prediction; \(mistakes.count) of \(mistakeCount) mistakes, most confident first; #n is the image's index.")
        let rows = (0..<26).map { c -> [String] in
            let row = e.confusion[c], total = row.reduce(0, +)
            let wrong = row.indices.filter { $0 != c && row[$0] > 0 }.max { row[$0] < row[$1] }
            return [Self.letter(c), "\(total)", e.perClass[c].map { String(format: "%.1f%%", 100 * $0) } ?? "—",
                    wrong.map { "\(Self.letter($0)) (\(row[$0]))" } ?? "—"]
        }
        page.section("Per class", HTMLPage.table(header: ["class", "images", "accuracy", "most often taken for"], rows: rows, numeric: true))
        return page
    }

    func worstClass() -> String {
        let scored = evaluation.perClass.enumerated().compactMap { c, a in a.map { (c, $0) } }
        guard let worst = scored.min(by: { $0.1 < $1.1 }) else { return "—" }
        return "\(Self.letter(worst.0)) " + String(format: "%.1f%%", 100 * worst.1)
    }

    public func write(to url: URL) throws { try page().write(to: url) }
}
