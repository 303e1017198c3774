import Foundation

/// Turning a stored array into pixels on the 0…255 scale the models expect.
extension NpyArray {
    /// The values as `Float` pixels of `file`; `place` names where element `i` is (for messages).
    ///
    /// Float arrays are checked before they are narrowed to float32: NaN or infinity is refused as
    /// such, and a finite float64 beyond the float32 range (±3.4e38) is refused as out of range
    /// rather than turning into infinity. A float array whose values all lie in 0…`unitScaleMax`
    /// (and are not all 0) holds pixels on numpy's common 0…1 scale: it is multiplied by 255, and the
    /// returned note says so.
    public func pixels(file: String, unitScaleMax: Float, place: (Int) -> String) throws -> (pixels: [Float], note: String?) {
        // The floats, and for float64 a float64 copy to check first, must fit beside the file's bytes.
        let needed = Double(count) * (dtype.kind == .float && dtype.size == 8 ? 12 : 4)
        let available = Double(ProcessInfo.processInfo.physicalMemory) * 0.75
        guard needed <= available else {
            throw LettersError.tooLarge(file: file, detail: String(format: "%d values need %.1f GB as floats, more than this machine can give (%.1f GB)",
                                                                   count, needed / 1e9, available / 1e9))
        }
        var scan = PixelScan()
        var values = scan.floats(of: self, first: 0)
        try scan.check(file: file, place: place)
        let note = scan.unitScaleNote(file: file, unitScaleMax: unitScaleMax)
        if note != nil { PixelScan.toByteScale(&values) }
        return (values, note)
    }
}

/// What the values of a float array hold, gathered part by part, so that an array read in chunks
/// (``ChunkedStrips``) is judged as a whole exactly as one read at once: its NaN and infinite values,
/// float64 values beyond the float32 range, and its range (for the 0…1 scale).
public struct PixelScan {
    public init() {}

    private(set) var isFloat = false
    private(set) var nonFinite = 0
    private(set) var firstNonFinite: Int?
    private(set) var beyondFloat32: (index: Int, value: Double)?
    private(set) var lowest = Float.infinity, highest = -Float.infinity

    /// The values of `part` as `Float`, noting what they hold; `part`'s element 0 is element `first` of the whole.
    /// Non-float arrays are only converted (their values are always finite and never on the 0…1 scale).
    public mutating func floats(of part: NpyArray, first: Int) -> [Float] {
        guard part.dtype.kind == .float else { return part.floats() }
        isFloat = true
        if part.dtype.size == 8 {  // float64: checked before narrowing
            let values = part.doubles()
            for (i, v) in values.enumerated() {
                if !v.isFinite {
                    nonFinite += 1
                    if firstNonFinite == nil { firstNonFinite = first + i }
                } else if beyondFloat32 == nil, abs(v) > Double(Float.greatestFiniteMagnitude) {
                    beyondFloat32 = (first + i, v)
                }
            }
        }
        let values = part.floats()
        for (i, v) in values.enumerated() {
            if v.isFinite {
                lowest = min(lowest, v); highest = max(highest, v)
            } else if part.dtype.size == 4 {  // float64's were counted above
                nonFinite += 1
                if firstNonFinite == nil { firstNonFinite = first + i }
            }
        }
        return values
    }

    /// Refuses NaN or infinite values (all of them counted, the first one placed) and then float64
    /// values beyond float32.
    public func check(file: String, place: (Int) -> String) throws {
        if let i = firstNonFinite {
            throw LettersError.nonFinite(file: file, detail: "\(nonFinite) NaN or infinite pixel(s), the first in \(place(i))")
        }
        if let beyond = beyondFloat32 {
            throw LettersError.outOfRange(file: file, detail:
                "\(beyond.value) in \(place(beyond.index)) is beyond the float32 range (±3.4e38) that letternet computes in")
        }
    }

    /// Whether the values are floats on the 0…1 scale (all in 0…`unitScaleMax`, not all 0), and then the note to tell the user.
    public func unitScaleNote(file: String, unitScaleMax: Float) -> String? {
        guard isFloat, lowest >= 0, highest > 0, highest <= unitScaleMax else { return nil }
        return "\(file): pixels are floats in \(lowest)…\(highest), read as the 0…1 scale and multiplied by 255 (the models expect 0…255)"
    }

    /// 0…1 pixels made 0…255.
    public static func toByteScale(_ values: inout [Float]) {
        for i in values.indices { values[i] *= 255 }
    }
}
