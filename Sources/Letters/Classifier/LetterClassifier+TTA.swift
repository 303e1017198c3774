/// Test-time augmentation: average the softmax over the image and a few copies shifted by one pixel.
extension LetterClassifier {
    /// Shifts (dx, dy) used by `probabilitiesWithShifts`: the image itself and one pixel each way.
    public static let testTimeShifts = [(0, 0), (1, 0), (-1, 0), (0, 1), (0, -1)]

    /// Mean of the probabilities over `shifts` of every 28×28 image (zero fill at the borders).
    public func probabilitiesWithShifts(images: [Float], count: Int,
                                        shifts: [(Int, Int)] = testTimeShifts) -> [Float] {
        var sum = [Float](repeating: 0, count: count * classes)
        for (dx, dy) in shifts {
            let moved = Self.shift(images, count: count, dx: dx, dy: dy)
            let p = probabilities(images: moved, count: count)
            for i in sum.indices { sum[i] += p[i] }
        }
        let scale = 1 / Float(shifts.count)
        return sum.map { $0 * scale }
    }

    static func shift(_ images: [Float], count: Int, dx: Int, dy: Int) -> [Float] {
        if dx == 0 && dy == 0 { return images }
        var out = [Float](repeating: 0, count: images.count)
        for n in 0..<count {
            let base = n * 784
            for y in 0..<28 {
                let sy = y - dy
                guard sy >= 0 && sy < 28 else { continue }
                for x in 0..<28 {
                    let sx = x - dx
                    if sx >= 0 && sx < 28 { out[base + y * 28 + x] = images[base + sy * 28 + sx] }
                }
            }
        }
        return out
    }
}
