import Foundation

/// What a strips file looks like, measured from its pixels, so that `predict` can say what it reads and
/// warn when it lies outside what the reader was trained on.
///
/// Letters sit in rows 1…28 (`StripReader.rows`); the two rows outside them hold noise only, so the
/// noise share is the share of non-zero pixels there (replacement values are almost never exactly 0)
/// and the salt share the part of those that are exactly 255 (about half in the real files, 1/256 for
/// uniform pepper noise). Deep overlaps show as a brightest pixel above 255: two strokes summed.
public struct StripSurvey: Sendable, Equatable {
    public let count: Int, height: Int, width: Int
    /// Estimated share of pixels replaced by noise.
    public let noiseShare: Double
    /// Estimated share of noise values that are exactly 255.
    public let saltShare: Double
    /// Share of strips whose brightest pixel is above 255 (letters summed where they overlap).
    public let overlapShare: Double
    /// The brightest and the darkest pixel.
    public let maximum: Float, minimum: Float

    public init(_ strips: StripSet) {
        count = strips.count; height = strips.height; width = strips.width
        var noisy = 0, salt = 0, border = 0, overlapping = 0
        var top: Float = 0, bottom: Float = 0
        let outside = (0..<strips.height).filter { !StripReader.rows.contains($0) }
        for i in 0..<strips.count {
            let s = strips.strip(at: i)
            var m: Float = 0
            for v in s { m = max(m, v); bottom = min(bottom, v) }
            top = max(top, m)
            if m > 255.5 { overlapping += 1 }
            for r in outside {
                for v in s[(s.startIndex + r * strips.width)..<(s.startIndex + (r + 1) * strips.width)] {
                    border += 1
                    if v != 0 { noisy += 1 }
                    if v == 255 { salt += 1 }
                }
            }
        }
        noiseShare = border > 0 ? Double(noisy) / Double(border) : 0
        saltShare = noisy > 0 ? Double(salt) / Double(noisy) : 0
        overlapShare = count > 0 ? Double(overlapping) / Double(count) : 0
        maximum = top; minimum = bottom
    }

    /// The most a pixel of the real files reaches: two letters' strokes summed.
    public static let summedMaximum: Float = 510

    /// One line for the user.
    public var summary: String { summary(ofFileOf: count) }

    /// One line for the user about a file of `total` strips whose first `count` were measured.
    public func summary(ofFileOf total: Int) -> String {
        let measured = total > count ? "; measured on the first \(count):" : ";"
        return String(format: "%d strips of %d×%d%@ noise ≈ %.1f%% of pixels (%.0f%% of it at 255); %.0f%% of strips have overlapping strokes summed above 255 (max %.0f)",
                      total, height, width, measured, 100 * noiseShare, 100 * saltShare, 100 * overlapShare, maximum)
    }

    /// Whether the strips show no sum of overlapping letters where the real files would: no pixel above 255
    /// in 50 strips or more (a third of the real files' strips have one; a uint8 file has none).
    public var holdsNoSums: Bool { count >= 50 && maximum <= 255 }

    /// Warnings about what lies outside `range` (what the reader was trained on), about strips without
    /// sums for a reader that learnt from them (`inputCeiling` above 255), and about a width that suggests
    /// another number of letters than `letters`.
    /// `letters` nil: the count is read from each strip (`--letters auto`), so only size and noise are checked.
    public func warnings(letters: Int?, trainedOn range: StripTrainingRange, inputCeiling: Float = 255) -> [String] {
        var out: [String] = []
        // The real files sum overlapping letters (a third of their strips go above 255); a reader that
        // learnt from those sums reads clipped overlaps (a uint8 file) less well.
        if inputCeiling > 255, holdsNoSums, letters.map({ $0 > 1 }) ?? true {
            out.append("no pixel of \(count) strips is above 255, so overlapping letters are not summed (a uint8 file?); the reader "
                       + "learnt from sums up to \(Int(inputCeiling)) and reads clipped overlaps less well "
                       + "(--model Models/clipped/strip-reader.lnet learnt from clipped ones)")
        }
        // Pixels no strip of letters holds on the 0…255 scale: the file is likely on another one.
        if maximum > Self.summedMaximum + 0.5 {
            out.append(String(format: "pixels reach %.0f, above the %.0f that two summed letters reach on the 0…255 scale; the reader reads "
                              + "every value above %.0f as %.0f: is the file on another scale (16-bit: 0…65535)?",
                              maximum, Self.summedMaximum, inputCeiling, inputCeiling))
        }
        if minimum < -0.5 {
            out.append(String(format: "pixels go down to %.0f; the reader reads every value below 0 as 0", minimum))
        }
        if !range.widths.contains(width) {
            out.append("strips are \(width) px wide; the reader was trained on \(range.widths.lowerBound)–\(range.widths.upperBound) px")
        }
        if let letters, !range.letters.contains(letters) {
            out.append("the reader was trained on \(range.letters.map(String.init).joined(separator: " or ")) letters per strip, not \(letters)")
        }
        if noiseShare > range.noiseShare.upperBound + 0.01 {
            out.append(String(format: "noise ≈ %.1f%% of pixels is more than the reader was trained on (up to %.0f%%)",
                              100 * noiseShare, 100 * range.noiseShare.upperBound))
        }
        if height != StripGeometry.standard.height { out.append("strips are \(height) rows tall, not \(StripGeometry.standard.height)") }
        guard let letters else { return out }
        // The course's sizes (``StripGeometry/isCourseWidth(_:letters:)``: 5 letters in 150 or 168 px, 4 in 120
        // or 140). A width that fits another count only deserves a word.
        func fits(_ n: Int) -> Bool { StripGeometry.standard.isCourseWidth(width, letters: n) }
        if !fits(letters), let other = (1...12).first(where: fits) {
            out.append("\(width) px is the width of strips of \(other) letters in the course's files; if these hold \(other), pass --letters \(other)")
        } else if Double(width) / Double(letters) < 20 || Double(width) / Double(letters) > 48 {
            let box = "a letter's \(StripGeometry.standard.boxSize)-px box"
            let narrow = width / letters < 20 ? ", far narrower than \(box)" : ", far wider than \(box)"
            out.append("\(letters) letters in \(width) px is \(width / letters) px a letter\(narrow); is --letters \(letters) right?")
        }
        return out
    }
}

/// What a strip reader was trained on, as recorded in its checkpoint's metadata (readers trained before
/// it was recorded get the ranges of the shipped reader of that time).
public struct StripTrainingRange: Sendable, Equatable {
    public var widths: ClosedRange<Int> = 112...184
    public var letters: ClosedRange<Int> = 4...5
    public var noiseShare: ClosedRange<Double> = 0...0.17

    public init() {}

    public init(metadata: [String: String]) {
        func ints(_ key: String) -> ClosedRange<Int>? {
            let parts = metadata[key]?.split(separator: "-").compactMap { Int($0) } ?? []
            return parts.count == 2 && parts[0] <= parts[1] ? parts[0]...parts[1] : nil
        }
        if let w = ints("strip_widths") { widths = w }
        if let l = ints("strip_letters") { letters = l }
        if let n = metadata["noise_share_max"].flatMap(Double.init), n.isFinite, n >= 0 { noiseShare = 0...n }
        if metadata["strip_widths"] == nil { widths = 140...168; noiseShare = 0...0.04 }  // the reader of 2026-11
    }

    public var metadata: [String: String] {
        ["strip_widths": "\(widths.lowerBound)-\(widths.upperBound)",
         "strip_letters": "\(letters.lowerBound)-\(letters.upperBound)",
         "noise_share_max": "\(noiseShare.upperBound)"]
    }
}
