/// The background brightness of a photographed page, pixel by pixel, for light ink on a darker
/// (inverted) page whose lighting is uneven: each tile of about a quarter of the image's smaller side
/// gets a low percentile of its pixels (ink covers less than most of any tile), and tiles are
/// interpolated bilinearly between their centres.
struct PaperBackground {
    /// Share of a tile's pixels at or below its background level.
    static let percentile = 0.3

    let width: Int, height: Int
    let tile: Int
    let tilesX: Int, tilesY: Int
    /// Background level per tile, row-major.
    let levels: [Float]

    /// `pixels`: 0…255 integers stored as floats, `width`×`height`, row-major.
    init(_ pixels: [Float], width: Int, height: Int) {
        self.width = width; self.height = height
        tile = max(8, min(width, height) / 4)
        tilesX = (width + tile - 1) / tile; tilesY = (height + tile - 1) / tile
        var levels = [Float](repeating: 0, count: tilesX * tilesY)
        var histogram = [Int](repeating: 0, count: 256)
        for ty in 0..<tilesY {
            for tx in 0..<tilesX {
                for i in 0..<256 { histogram[i] = 0 }
                let ys = (ty * tile)..<min(height, (ty + 1) * tile), xs = (tx * tile)..<min(width, (tx + 1) * tile)
                for y in ys { for x in xs { histogram[Int(min(255, max(0, pixels[y * width + x])))] += 1 } }
                levels[ty * tilesX + tx] = Float(Self.quantile(histogram, Self.percentile))
            }
        }
        self.levels = levels
    }

    /// The value below which `share` of a histogram's counts lie.
    static func quantile(_ histogram: [Int], _ share: Double) -> Int {
        let total = histogram.reduce(0, +)
        let target = Int((share * Double(total)).rounded(.up))
        var seen = 0
        for (v, n) in histogram.enumerated() {
            seen += n
            if seen >= max(1, target) { return v }
        }
        return histogram.count - 1
    }

    /// The background at pixel (x, y).
    func level(x: Int, y: Int) -> Float {
        func axis(_ p: Int, _ tiles: Int) -> (Int, Int, Float) {
            let c = (Float(p) + 0.5) / Float(tile) - 0.5
            let i = max(0, min(tiles - 1, Int(c.rounded(.down))))
            let j = min(tiles - 1, i + 1)
            return (i, j, max(0, min(1, c - Float(i))))
        }
        let (x0, x1, tx) = axis(x, tilesX), (y0, y1, ty) = axis(y, tilesY)
        let top = levels[y0 * tilesX + x0] * (1 - tx) + levels[y0 * tilesX + x1] * tx
        let bottom = levels[y1 * tilesX + x0] * (1 - tx) + levels[y1 * tilesX + x1] * tx
        return top * (1 - ty) + bottom * ty
    }

    /// `pixels` less their background, at least 0.
    func flattened(_ pixels: [Float]) -> [Float] {
        var out = pixels
        for y in 0..<height { for x in 0..<width { out[y * width + x] = max(0, pixels[y * width + x] - level(x: x, y: y)) } }
        return out
    }
}
