import Foundation

/// A line chart drawn as inline SVG: one or more series over shared x values, with axes, ticks,
/// a legend and a dot on every point (so a one-epoch run still shows).
public struct LineChart {
    public struct Series {
        public var name: String
        public var color: String
        public var values: [Double]
        public init(_ name: String, color: String, _ values: [Double]) {
            self.name = name; self.color = color; self.values = values
        }
    }

    public var title: String
    public var x: [Double]
    public var series: [Series]
    public var xLabel = "epoch"
    /// How y tick labels are written.
    public var format: (Double) -> String = { SVG.number($0) }
    /// Fixed y range (e.g. 0…1 for accuracy); nil fits the data.
    public var yRange: ClosedRange<Double>?
    public var width = 520.0, height = 280.0

    public init(title: String, x: [Double], series: [Series]) {
        self.title = title; self.x = x; self.series = series
    }

    public func svg() -> String {
        let left = 58.0, right = 16.0, top = 30.0, bottom = 40.0
        let plotW = width - left - right, plotH = height - top - bottom
        let all = series.flatMap(\.values).filter(\.isFinite)
        var lo = yRange?.lowerBound ?? (all.min() ?? 0), hi = yRange?.upperBound ?? (all.max() ?? 1)
        if yRange == nil { lo = min(lo, 0); if hi - lo < 1e-12 { hi = lo + 1 } }
        let yTicks = SVG.ticks(lo, hi, count: 5)
        lo = min(lo, yTicks.first ?? lo); hi = max(hi, yTicks.last ?? hi)
        let x0 = x.min() ?? 0, x1 = max(x.max() ?? 1, x0 + 1)
        let px = { (v: Double) in left + (v - x0) / (x1 - x0) * plotW }
        let py = { (v: Double) in top + (1 - (v - lo) / (hi - lo)) * plotH }
        var s = SVG.open(width: width, height: height, label: title)
        s += SVG.text(title, x: left, y: 18, size: 13, weight: "600")
        for t in yTicks {
            s += "<line x1=\"\(left)\" y1=\"\(py(t))\" x2=\"\(left + plotW)\" y2=\"\(py(t))\" stroke=\"#e6e8ee\"/>"
            s += SVG.text(format(t), x: left - 6, y: py(t) + 4, anchor: "end")
        }
        for t in SVG.ticks(x0, x1, count: 8, integers: true) where t >= x0 && t <= x1 {
            s += "<line x1=\"\(px(t))\" y1=\"\(top + plotH)\" x2=\"\(px(t))\" y2=\"\(top + plotH + 4)\" stroke=\"#8a92a3\"/>"
            s += SVG.text(SVG.number(t), x: px(t), y: top + plotH + 16, anchor: "middle")
        }
        s += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(plotW)\" height=\"\(plotH)\" fill=\"none\" stroke=\"#c5cad4\"/>"
        s += SVG.text(xLabel, x: left + plotW / 2, y: height - 6, anchor: "middle")
        var legendX = left + plotW
        for series in series.reversed() {
            legendX -= Double(series.name.count) * 6.5 + 24
            s += "<rect x=\"\(legendX)\" y=\"10\" width=\"10\" height=\"10\" fill=\"\(series.color)\"/>"
            s += SVG.text(series.name, x: legendX + 14, y: 19)
        }
        for series in series {
            let points = zip(x, series.values).filter { $0.1.isFinite }.map { (px($0.0), py($0.1)) }
            let path = points.map { "\(SVG.r($0.0)),\(SVG.r($0.1))" }.joined(separator: " ")
            s += "<polyline fill=\"none\" stroke=\"\(series.color)\" stroke-width=\"2\" points=\"\(path)\"/>"
            for (a, b) in points { s += "<circle cx=\"\(SVG.r(a))\" cy=\"\(SVG.r(b))\" r=\"3\" fill=\"\(series.color)\"/>" }
        }
        return s + "</svg>"
    }
}

/// A bar chart as inline SVG: one bar per label, values 0…1 (drawn as percentages).
public struct BarChart {
    public var title: String
    public var labels: [String]
    /// nil draws no bar (e.g. a class without images).
    public var values: [Double?]
    public var width = 620.0, height = 220.0

    public init(title: String, labels: [String], values: [Double?]) {
        self.title = title; self.labels = labels; self.values = values
    }

    public func svg() -> String {
        let left = 44.0, top = 28.0, bottom = 26.0, plotW = width - left - 8, plotH = height - top - bottom
        let slot = plotW / Double(max(labels.count, 1))
        var s = SVG.open(width: width, height: height, label: title)
        s += SVG.text(title, x: left, y: 18, size: 13, weight: "600")
        for t in stride(from: 0.0, through: 1.0, by: 0.25) {
            let y = top + (1 - t) * plotH
            s += "<line x1=\"\(left)\" y1=\"\(y)\" x2=\"\(left + plotW)\" y2=\"\(y)\" stroke=\"#e6e8ee\"/>"
            s += SVG.text(String(format: "%.0f%%", 100 * t), x: left - 6, y: y + 4, anchor: "end")
        }
        for (i, label) in labels.enumerated() {
            let x = left + Double(i) * slot
            if let v = values[i] {
                let h = max(v, 0) * plotH
                let color = v >= 0.9 ? "#2f7d4f" : v >= 0.7 ? "#d08a1e" : "#c0392b"
                s += "<rect x=\"\(SVG.r(x + slot * 0.15))\" y=\"\(SVG.r(top + plotH - h))\" width=\"\(SVG.r(slot * 0.7))\" height=\"\(SVG.r(h))\" fill=\"\(color)\">"
                s += "<title>\(HTMLPage.escape(label)): \(String(format: "%.1f%%", 100 * v))</title></rect>"
            }
            s += SVG.text(label, x: x + slot / 2, y: top + plotH + 15, anchor: "middle")
        }
        return s + "</svg>"
    }
}

/// Small SVG helpers shared by the charts.
public enum SVG {
    static func open(width: Double, height: Double, label: String) -> String {
        "<svg width=\"\(r(width))\" height=\"\(r(height))\" viewBox=\"0 0 \(r(width)) \(r(height))\" role=\"img\" aria-label=\"\(HTMLPage.escape(label))\">"
    }

    static func text(_ t: String, x: Double, y: Double, size: Double = 11, anchor: String = "start",
                     weight: String = "400", fill: String = "#4a5263") -> String {
        "<text x=\"\(r(x))\" y=\"\(r(y))\" font-size=\"\(size)\" text-anchor=\"\(anchor)\" font-weight=\"\(weight)\" fill=\"\(fill)\">\(HTMLPage.escape(t))</text>"
    }

    /// Rounded to 0.1 for compact SVG.
    static func r(_ v: Double) -> String { String(format: "%.1f", v) }

    /// A short label for a tick value: 0.25, 12, 0.0015, 5e-05.
    public static func number(_ v: Double) -> String {
        if v == 0 { return "0" }
        if abs(v) < 0.01 || abs(v) >= 1e5 { return String(format: "%.3g", v) }
        return String(format: "%g", (v * 1000).rounded() / 1000)
    }

    /// About `count` round tick values covering lo…hi.
    static func ticks(_ lo: Double, _ hi: Double, count: Int, integers: Bool = false) -> [Double] {
        let span = max(hi - lo, 1e-12)
        let raw = span / Double(max(count - 1, 1))
        let mag = pow(10, floor(log10(raw)))
        var step = [1, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        if integers { step = max(1, step.rounded(.up)) }
        let first = floor(lo / step) * step
        return stride(from: first, through: hi + step * 0.999, by: step).map { ($0 / step).rounded() * step }
    }
}
