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
    func pixels(file: String, unitScaleMax: Float, place: (Int) -> String) throws -> (pixels: [Float], note: String?) {
        // The floats, and for float64 a float64 copy to check first, must fit beside the file's bytes.
        let needed = Double(count) * (dtype.kind == .float && dtype.size == 8 ? 12 : 4)
        let available = Double(ProcessInfo.processInfo.physicalMemory) * 0.75
        guard needed <= available else {
            throw LettersError.tooLarge(file: file, detail: String(format: "%d values need %.1f GB as floats, more than this machine can give (%.1f GB)",
                                                                   count, needed / 1e9, available / 1e9))
        }
        guard dtype.kind == .float else { return (floats(), nil) }
        func nonFinite(_ i: Int, _ n: Int) -> LettersError {
            .nonFinite(file: file, detail: "\(n) NaN or infinite pixel(s), the first in \(place(i))")
        }
        if dtype.size == 8 {  // float64: check before narrowing
            let values = doubles()
            if let i = values.firstIndex(where: { !$0.isFinite }) { throw nonFinite(i, values.lazy.filter { !$0.isFinite }.count) }
            if let i = values.firstIndex(where: { abs($0) > Double(Float.greatestFiniteMagnitude) }) {
                throw LettersError.outOfRange(file: file, detail:
                    "\(values[i]) in \(place(i)) is beyond the float32 range (±3.4e38) that letternet computes in")
            }
        }
        var values = floats()
        if let i = values.firstIndex(where: { !$0.isFinite }) { throw nonFinite(i, values.lazy.filter { !$0.isFinite }.count) }
        guard let lo = values.min(), let hi = values.max(), lo >= 0, hi > 0, hi <= unitScaleMax else { return (values, nil) }
        for i in values.indices { values[i] *= 255 }
        return (values, "\(file): pixels are floats in \(lo)…\(hi), read as the 0…1 scale and multiplied by 255 (the models expect 0…255)")
    }
}
