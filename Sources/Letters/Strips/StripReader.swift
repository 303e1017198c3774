import Foundation
import NeuralNet

/// Reads letter strips with a fully convolutional network that slides a 28-px window along the strip
/// in steps of 4 px and, at every window position, scores 27 classes: the letter whose ink centre lies
/// at the window's centre (A…Z), or background (class 26). `KBestDecoder` then picks the best
/// placements of the given number of letters.
///
/// Geometry (``geometry``, derived from the layers): the 28 letter rows (1…28) of the strip,
/// zero-padded by `padding` columns each side, go through two 2×2 poolings (stride 4) and a 7×7 head,
/// so output position `j` is centred on padded column `4j + 13.5`, strip column `4j + 13.5 − padding`.
public final class StripReader {
    public static let background = 26
    public static let classes = 27
    /// Every variant's window geometry along the strip (they share it; a test checks).
    public static let geometry = ReceptiveField(of: Variant.standard.layers)!
    /// Strip columns between neighbouring window positions.
    public static let stride = geometry.jump
    /// Zero columns added each side, half a letter box, so a letter at either end is centred in a window.
    public static let padding = 14
    public static let rows = 1...28

    public let model: Sequential
    public let normalization: PixelNormalization
    /// What the reader was trained on (from its metadata), to warn about inputs outside it.
    public var trainingRange = StripTrainingRange()
    /// Strips per forward pass.
    public var batchSize = 64

    public init(model: Sequential, normalization: PixelNormalization = .init()) {
        self.model = model; self.normalization = normalization
    }

    /// Network variants. All see a 28-px window per position through two 2×2 poolings and a 7×7
    /// head (a dense layer per window); `fast` has a lighter trunk for quicker reading; `context` adds
    /// two 3-position convolutions over the head's features, so each position also sees its
    /// neighbours' windows (±8 px more), to tell two overlapping letters apart.
    public enum Variant: String, CaseIterable, Codable, Sendable {
        case standard, fast, context

        public var layers: [LayerSpec] {
            let out = LayerSpec.conv2d(inChannels: head, outChannels: StripReader.classes, kernelSize: 1, stride: 1, padding: 0)
            let classifier: [LayerSpec] = [.dropout(probability: 0.3), out]
            switch self {
            case .standard:
                return Self.standardTrunk + classifier
            case .fast:
                return Self.block(1, 32) + [Self.pool] + Self.block(32, 64) + [Self.pool] + Self.block(64, 64)
                    + Self.block(64, head, 7) + classifier
            case .context:
                return Self.standardTrunk + Self.contextLayers + classifier
            }
        }

        /// Convolution (3×3 padded, or `k`×`k` unpadded), batch norm, ReLU.
        static func block(_ i: Int, _ o: Int, _ k: Int = 3) -> [LayerSpec] {
            [.conv2d(inChannels: i, outChannels: o, kernelSize: k, stride: 1, padding: k == 3 ? 1 : 0),
             .batchNorm2d(channels: o), .relu]
        }

        static let pool = LayerSpec.maxPool2d(kernelSize: 2, stride: 2)

        /// The standard network up to its head's features (`[N, 192, 1, P]`, after a ReLU).
        static let standardTrunk = block(1, 32) + [pool] + block(32, 64) + block(64, 64) + [pool] + block(64, 192, 7)

        /// `context`'s additions: on a one-row feature map a padded 3×3 convolution mixes each
        /// position with its two neighbours.
        static let contextLayers: [LayerSpec] = (0..<2).flatMap { _ in
            [LayerSpec.conv2d(inChannels: 192, outChannels: 192, kernelSize: 3, stride: 1, padding: 1), .relu]
        }

        /// A `context` reader that reads exactly as the standard reader `c` does: its two new
        /// convolutions start as identities (the features they see are ReLU outputs, ≥ 0), so
        /// fine-tuning starts from the standard reader's accuracy. Nil when `c` is not standard.
        public static func context(growing c: Checkpoint) -> Checkpoint? {
            guard c.layers == Variant.standard.layers else { return nil }
            var grown = c.insertingIdentityLayers(contextLayers, at: standardTrunk.count)
            grown.metadata["variant"] = Variant.context.rawValue
            return grown
        }

        var head: Int { self == .fast ? 160 : 192 }
    }

    /// The standard network's layers.
    public static let layers = Variant.standard.layers

    /// A new, untrained reader for strips `width` px wide.
    public convenience init(width: Int, variant: Variant = .standard, backend: Backend, seed: UInt64) {
        self.init(model: Sequential(specs: variant.layers, inputShape: [1, 28, width + 2 * Self.padding],
                                    backend: backend, seed: seed))
    }

    public convenience init(checkpoint: Checkpoint, backend: Backend, source: String) throws {
        // The variant is recorded (`variant`); older readers are recognised by their layers.
        if let name = checkpoint.metadata["variant"] {
            guard let v = Variant(rawValue: name), v.layers == checkpoint.layers else {
                throw CheckpointError(source, "not a usable strip-reader model (its variant '\(name.prefix(40))' is unknown "
                                      + "or its layers are not that network's)")
            }
        } else if !Variant.allCases.contains(where: { $0.layers == checkpoint.layers }) {
            throw CheckpointError(source, "not a strip-reader model (its layers are not a known strip-reader network)")
        }
        let norm = try PixelNormalization(metadata: checkpoint.metadata, source: source)
        self.init(model: try checkpoint.makeModel(on: backend, source: source), normalization: norm)
        trainingRange = StripTrainingRange(metadata: checkpoint.metadata)
    }

    public func checkpoint(extra: [String: String] = [:]) -> Checkpoint {
        var meta = normalization.recorded(in: extra.merging(trainingRange.metadata) { old, _ in old })
        meta["kind"] = "strip-reader"
        meta["variant"] = Variant.allCases.first { $0.layers == model.specs }?.rawValue
        return Checkpoint(model: model, metadata: meta)
    }

    /// Number of window positions for a strip `width` px wide.
    public static func positions(width: Int) -> Int {
        (try? LayerSpec.check(Variant.standard.layers, inputShape: [1, 28, width + 2 * padding]).last) ?? 0
    }

    /// Window positions between neighbouring letters, at least (2 positions: 8 px at stride 4).
    public static let minimumSpacing = 2

    /// The most letters a reading of a strip `width` px wide can place.
    public static func maxLetters(width: Int) -> Int {
        KBestDecoder(letters: 1, minimumSpacing: minimumSpacing).maxLetters(positions: positions(width: width))
    }

    /// The narrowest strip in which `letters` letters can be placed.
    public static func minimumWidth(letters: Int) -> Int { (1...).first { maxLetters(width: $0) >= letters }! }

    /// Strip column at the centre of output position `j`.
    public static func center(ofPosition j: Int) -> Float { geometry.centre(ofOutput: j) - Float(padding) }

    /// Writes the network input for strip `pixels` (`height`×`width`) into `out` (28 × (width + 2·padding)).
    /// `shift` (0 ≤ shift < `padding`) moves the strip that many columns right inside the padding, so
    /// output position `j` is centred on strip column `center(ofPosition: j) − shift`.
    func fillInput(_ pixels: ArraySlice<Float>, width: Int, shift: Int = 0, into out: UnsafeMutablePointer<Float>) {
        precondition((0..<Self.padding).contains(shift), "shift must lie in 0..<\(Self.padding)")
        let w = width + 2 * Self.padding, zero = normalization.apply(0)
        let base = pixels.startIndex
        for r in 0..<28 {
            let row = out + r * w
            for x in 0..<w { row[x] = zero }
            let src = base + (Self.rows.lowerBound + r) * width
            for x in 0..<width { row[Self.padding + shift + x] = normalization.apply(pixels[src + x]) }
        }
    }

    /// Per strip, `[positions, 27]` log-probabilities, as one array per strip; the strips are moved
    /// `shift` columns right first (see ``fillInput(_:width:shift:into:)``).
    public func logProbabilities(_ strips: StripSet, shift: Int = 0, progress: ((Int) -> Void)? = nil) -> [[Float]] {
        precondition(strips.height >= 29, "strips must be at least 29 rows tall")
        let w = strips.width + 2 * Self.padding, per = 28 * w
        var result: [[Float]] = []
        result.reserveCapacity(strips.count)
        var input: Tensor?
        var host = [Float]()
        var start = 0
        let network = model.foldedForInference()  // batch norm folded into the convolutions
        while start < strips.count {
            let n = min(batchSize, strips.count - start)
            if host.count != n * per { host = [Float](repeating: 0, count: n * per) }
            host.withUnsafeMutableBufferPointer { buf in
                for i in 0..<n {
                    fillInput(strips.strip(at: start + i), width: strips.width, shift: shift, into: buf.baseAddress! + i * per)
                }
            }
            if input?.shape.first != n { input = Tensor(zeros: [n, 1, 28, w], on: model.backend) }
            input!.copy(from: host)
            let out = network.forward(input!, training: false)
            let p = out.shape[3], logits = out.toArray()
            for i in 0..<n { result.append(Self.logSoftmaxPositions(logits, strip: i, positions: p)) }
            start += n
            progress?(start)
        }
        return result
    }

    /// Converts strip `i`'s logits (`[27, 1, P]` in the NCHW output) to `[P, 27]` log-probabilities.
    static func logSoftmaxPositions(_ logits: [Float], strip i: Int, positions p: Int) -> [Float] {
        var out = [Float](repeating: 0, count: p * classes)
        let base = i * classes * p
        for j in 0..<p {
            var m = -Float.infinity
            for c in 0..<classes { m = max(m, logits[base + c * p + j]) }
            var s: Float = 0
            for c in 0..<classes { s += expf(logits[base + c * p + j] - m) }
            let lse = m + logf(s)
            for c in 0..<classes { out[j * classes + c] = logits[base + c * p + j] - lse }
        }
        return out
    }

    /// Letter scores for the decoder: log P(letter) − log P(background), `[P, 26]`.
    public static func letterScores(_ logProbs: [Float], positions p: Int) -> [Float] {
        var out = [Float](repeating: 0, count: p * 26)
        for j in 0..<p {
            let bg = logProbs[j * classes + background]
            for c in 0..<26 { out[j * 26 + c] = logProbs[j * classes + c] - bg }
        }
        return out
    }
}
