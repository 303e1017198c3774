import Foundation

/// A confusion matrix as an inline-SVG heat map: rows are true classes, columns predicted ones.
/// Each cell's colour is its share of the row (the true class's images), so rare classes show as
/// clearly as common ones; the count is written in every non-empty cell and the share shows on hover.
public struct HeatMap {
    public var title: String
    public var labels: [String]
    /// `counts[true][predicted]`.
    public var counts: [[Int]]
    public var cell = 20.0

    public init(title: String, labels: [String], counts: [[Int]]) {
        precondition(counts.count == labels.count && counts.allSatisfy { $0.count == labels.count }, "a square matrix per label")
        self.title = title; self.labels = labels; self.counts = counts
    }

    /// White → blue for the diagonal, white → red off it.
    static func color(share: Double, diagonal: Bool) -> String {
        let t = min(max(share, 0), 1).squareRoot()
        let (r, g, b) = diagonal ? (37.0, 99.0, 178.0) : (192.0, 57.0, 43.0)
        let mix = { (c: Double) in Int((255 - (255 - c) * t).rounded()) }
        return "rgb(\(mix(r)),\(mix(g)),\(mix(b)))"
    }

    public func svg() -> String {
        let n = labels.count, left = 40.0, top = 52.0
        let width = left + Double(n) * cell + 10, height = top + Double(n) * cell + 10
        var s = SVG.open(width: width, height: height, label: title)
        s += SVG.text(title, x: 0, y: 14, size: 13, weight: "600")
        s += SVG.text("predicted →", x: left + Double(n) * cell / 2, y: 30, anchor: "middle")
        s += "<text x=\"12\" y=\"\(SVG.r(top + Double(n) * cell / 2))\" font-size=\"11\" fill=\"#4a5263\" text-anchor=\"middle\" transform=\"rotate(-90 12 \(SVG.r(top + Double(n) * cell / 2)))\">true →</text>"
        for (i, label) in labels.enumerated() {
            s += SVG.text(label, x: left + (Double(i) + 0.5) * cell, y: top - 6, anchor: "middle", weight: "600")
            s += SVG.text(label, x: left - 6, y: top + (Double(i) + 0.5) * cell + 4, anchor: "end", weight: "600")
        }
        for (t, row) in counts.enumerated() {
            let total = max(row.reduce(0, +), 1)
            for (p, count) in row.enumerated() {
                let share = Double(count) / Double(total)
                let x = left + Double(p) * cell, y = top + Double(t) * cell
                s += "<rect x=\"\(SVG.r(x))\" y=\"\(SVG.r(y))\" width=\"\(SVG.r(cell))\" height=\"\(SVG.r(cell))\" fill=\"\(Self.color(share: share, diagonal: t == p))\" stroke=\"#eef0f4\">"
                s += "<title>true \(HTMLPage.escape(labels[t])) → predicted \(HTMLPage.escape(labels[p])): \(count) (\(String(format: "%.1f%%", 100 * share)))</title></rect>"
                if count > 0 {
                    s += SVG.text("\(count)", x: x + cell / 2, y: y + cell / 2 + 3.5, size: count >= 100 ? 8 : 9, anchor: "middle",
                                  fill: share > 0.45 ? "#fff" : "#1d2330")
                }
            }
        }
        return s + "</svg>"
    }
}
