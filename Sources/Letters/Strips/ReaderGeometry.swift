import NeuralNet

/// Where a strip reader's windows lie along a strip, all derived from its layers (their
/// ``ReceptiveField`` and output width), so that changing the network changes nothing else.
///
/// The reader sees rows `rows` of a strip, zero-padded by `padding` columns each side; output position
/// `j` is the window centred on padded column `field.centre(ofOutput: j)`, strip column
/// ``centre(ofPosition:)``, and positions lie ``stride`` columns apart.
public struct ReaderGeometry: Equatable, Sendable {
    /// The strip rows the network reads (a letter box's height).
    public let rows: ClosedRange<Int>
    /// The network's receptive field along the strip (in padded columns).
    public let field: ReceptiveField
    /// Zero columns added each side: half a letter box, so a letter at either end is centred in a window.
    public let padding: Int
    /// Window positions between neighbouring letters, at least: the closest letter centres a reading
    /// places (``closestLetters`` px) in positions.
    public let minimumSpacing: Int
    let layers: [LayerSpec]

    /// The closest two letters' centres (px) that a reading places; the decoder keeps letters at least
    /// this far apart, rounded up to whole window positions.
    public static let closestLetters = 8

    /// The geometry of the network `layers` reading rows `rows`; nil when its layers do not keep
    /// columns in place (a flatten or linear layer).
    public init?(layers: [LayerSpec], rows: ClosedRange<Int>) {
        guard let field = ReceptiveField(of: layers) else { return nil }
        self.layers = layers; self.rows = rows; self.field = field
        padding = rows.count / 2
        minimumSpacing = max(1, (Self.closestLetters + field.jump - 1) / field.jump)
    }

    /// Strip columns between neighbouring window positions.
    public var stride: Int { field.jump }

    /// The network's input width for a strip `width` px wide.
    public func paddedWidth(_ width: Int) -> Int { width + 2 * padding }

    /// The network's input shape (`[1, rows, padded width]`) for a strip `width` px wide.
    public func inputShape(width: Int) -> [Int] { [1, rows.count, paddedWidth(width)] }

    /// Number of window positions for a strip `width` px wide (0 when the strip is too narrow).
    public func positions(width: Int) -> Int {
        (try? LayerSpec.check(layers, inputShape: inputShape(width: width)).last) ?? 0
    }

    /// Strip column at the centre of output position `j`.
    public func centre(ofPosition j: Int) -> Float { field.centre(ofOutput: j) - Float(padding) }

    /// `c` in "P = ⌊W/stride⌋ − c": the positions of a padded width W (a test checks it for many widths).
    public var positionsBelowWidth: Int {
        let w = 64 * stride
        return paddedWidth(w) / stride - positions(width: w)
    }

    /// The most letters a reading of a strip `width` px wide can place.
    public func maxLetters(width: Int) -> Int {
        KBestDecoder(letters: 1, minimumSpacing: minimumSpacing).maxLetters(positions: positions(width: width))
    }

    /// The narrowest strip in which `letters` letters can be placed.
    public func minimumWidth(letters: Int) -> Int { (1...).first { maxLetters(width: $0) >= letters }! }

    /// The network's input and output in words, for model documentation (ONNX export, help).
    public var inputDescription: String {
        "rows \(rows.lowerBound)…\(rows.upperBound) of a strip, with \(padding) zero columns added on each side "
            + "(W = strip width + \(2 * padding))"
    }

    /// Where the output positions lie, in words.
    public var positionsDescription: String {
        let c = centre(ofPosition: 0)
        let offset = c == 0 ? "" : (c < 0 ? " − \(-c)" : " + \(c)")
        return "P = ⌊W/\(stride)⌋ − \(positionsBelowWidth) window positions, position j centred on strip column \(stride)j\(offset)"
    }
}
