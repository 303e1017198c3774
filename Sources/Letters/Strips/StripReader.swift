import Foundation
import NeuralNet

/// Reads letter strips with a fully convolutional network that slides a 28-px window along the strip
/// in steps of 4 px and, at every window position, scores 27 classes: the letter whose ink centre lies
/// at the window's centre (A…Z), or background (class 26). `KBestDecoder` then picks the best
/// placements of the given number of letters.
///
/// Geometry (``geometry``, derived from the layers of ``Variant``): the 28 letter rows (1…28) of the
/// strip, zero-padded by `padding` columns each side, go through two 2×2 poolings (stride 4) and a 7×7
/// head, so output position `j` is centred on padded column `4j + 13.5`, strip column `4j − 0.5`.
public final class StripReader {
    public static let background = 26
    public static let classes = 27
    /// Every variant's window geometry (they share it; a test checks).
    public static let geometry = Variant.standard.geometry
    /// Strip columns between neighbouring window positions.
    public static var stride: Int { geometry.stride }
    /// Zero columns added each side, half a letter box, so a letter at either end is centred in a window.
    public static var padding: Int { geometry.padding }
    public static var rows: ClosedRange<Int> { geometry.rows }

    public let model: Sequential
    /// Which network `model` is.
    public let variant: Variant
    public let normalization: PixelNormalization
    /// What the reader was trained on (from its metadata), to warn about inputs outside it.
    public var trainingRange = StripTrainingRange()
    /// How its windows were trained (metadata `targets`; readers without it are `.tolerant`): how close
    /// two letters its readings may place.
    public var targets = StripTargets.tolerant
    /// Strips per forward pass.
    public var batchSize = 64
    /// `model` folded for inference (batch norm folded into the convolutions), once while its weights stay.
    public let inference: FoldedNetwork

    public init(model: Sequential, variant: Variant, normalization: PixelNormalization = .init()) {
        precondition(model.specs == variant.layers, "the model is not the \(variant) reader network")
        self.model = model; self.variant = variant; self.normalization = normalization
        inference = FoldedNetwork(model)
    }

    /// A new, untrained reader for strips `width` px wide.
    public convenience init(width: Int, variant: Variant = .standard, backend: Backend, seed: UInt64,
                            normalization: PixelNormalization = .init()) {
        self.init(model: Sequential(specs: variant.layers, inputShape: Self.geometry.inputShape(width: width),
                                    backend: backend, seed: seed), variant: variant, normalization: normalization)
    }

    public convenience init(checkpoint: Checkpoint, backend: Backend, source: String) throws {
        // The variant is recorded (`kind`, `variant`); older readers are recognised by their layers.
        guard let variant = Variant(recognising: checkpoint) else {
            if let name = checkpoint.metadata["variant"] {
                throw CheckpointError(source, "not a usable strip-reader model (its variant '\(name.prefix(40))' is unknown "
                                      + "or its layers are not that network's)")
            }
            throw CheckpointError(source, "not a strip-reader model (its layers are not a known strip-reader network)")
        }
        guard let strip = StripGeometry(metadata: checkpoint.metadata) else {
            throw CheckpointError(source, "its strip geometry (\(StripGeometry.heightKey), \(StripGeometry.boxRowsKey)) is malformed")
        }
        guard strip == .standard else {
            throw CheckpointError(source, "made for \(strip.description); this build reads \(StripGeometry.standard.description)")
        }
        let norm = try PixelNormalization(metadata: checkpoint.metadata, source: source)
        self.init(model: try checkpoint.makeModel(on: backend, source: source), variant: variant, normalization: norm)
        trainingRange = StripTrainingRange(metadata: checkpoint.metadata)
        if let rule = checkpoint.metadata[StripTargets.metadataKey] {
            guard let known = StripTargets(rawValue: rule) else {
                throw CheckpointError(source, "its window targets '\(rule.prefix(40))' are unknown to this build")
            }
            targets = known
        }
    }

    public func checkpoint(extra: [String: String] = [:]) -> Checkpoint {
        var meta = normalization.recorded(in: extra.merging(trainingRange.metadata) { old, _ in old })
            .merging(StripGeometry.standard.metadata) { old, _ in old }
        meta["kind"] = Variant.kind
        meta["variant"] = variant.rawValue
        if targets != .tolerant { meta[StripTargets.metadataKey] = targets.rawValue }
        return Checkpoint(model: model, metadata: meta)
    }

    /// Number of window positions for a strip `width` px wide.
    public static func positions(width: Int) -> Int { geometry.positions(width: width) }

    /// Window positions between neighbouring letters, at least.
    public static var minimumSpacing: Int { geometry.minimumSpacing }

    /// The most letters a reading of a strip `width` px wide can place.
    public static func maxLetters(width: Int) -> Int { geometry.maxLetters(width: width) }

    /// The narrowest strip in which `letters` letters can be placed.
    public static func minimumWidth(letters: Int) -> Int { geometry.minimumWidth(letters: letters) }

    /// Strip column at the centre of output position `j`.
    public static func center(ofPosition j: Int) -> Float { geometry.centre(ofPosition: j) }

    /// Writes the network input for strip `pixels` (`height`×`width`) into `out` (28 × (width + 2·padding)).
    /// `shift` (0 ≤ shift < `padding`) moves the strip that many columns right inside the padding, so
    /// output position `j` is centred on strip column `center(ofPosition: j) − shift`.
    func fillInput(_ pixels: ArraySlice<Float>, width: Int, shift: Int = 0, into out: UnsafeMutablePointer<Float>) {
        precondition((0..<Self.padding).contains(shift), "shift must lie in 0..<\(Self.padding)")
        let w = Self.geometry.paddedWidth(width), zero = normalization.apply(0)
        let base = pixels.startIndex
        for r in 0..<Self.rows.count {
            let row = out + r * w
            for x in 0..<w { row[x] = zero }
            let src = base + (Self.rows.lowerBound + r) * width
            for x in 0..<width { row[Self.padding + shift + x] = normalization.apply(pixels[src + x]) }
        }
    }

    /// Per strip of `range` (all by default), `[positions, 27]` log-probabilities, as one array per strip,
    /// `batchSize` strips a forward pass from the range's start; the strips are moved `shift` columns
    /// right first (see ``fillInput(_:width:shift:into:)``). `progress` gets the strips read so far.
    public func logProbabilities(_ strips: StripSet, range: Range<Int>? = nil, shift: Int = 0,
                                 progress: ((Int) -> Void)? = nil) -> [[Float]] {
        precondition(strips.height > Self.rows.upperBound, "strips must be at least \(Self.rows.upperBound + 1) rows tall")
        let range = range ?? 0..<strips.count
        let w = Self.geometry.paddedWidth(strips.width), per = Self.rows.count * w
        var result: [[Float]] = []
        result.reserveCapacity(range.count)
        var input: Tensor?, scores: Tensor?
        var host = [Float]()
        var start = range.lowerBound
        let network = inference.network
        while start < range.upperBound {
            let n = min(batchSize, range.upperBound - start)
            if host.count != n * per { host = [Float](repeating: 0, count: n * per) }
            host.withUnsafeMutableBufferPointer { buf in
                for i in 0..<n {
                    fillInput(strips.strip(at: start + i), width: strips.width, shift: shift, into: buf.baseAddress! + i * per)
                }
            }
            if input?.shape.first != n { input = Tensor(zeros: [n] + Self.geometry.inputShape(width: strips.width), on: model.backend) }
            input!.copy(from: host)
            let out = network.forward(input!, training: false)
            // Log-probabilities where the network ran, one position per row: only they come back.
            let p = out.shape[3], perStrip = p * Self.classes
            if scores?.shape != [n, p, Self.classes] { scores = Tensor(zeros: [n, p, Self.classes], on: model.backend) }
            model.backend.logSoftmaxPositions(logits: out.buffer, out: scores!.buffer, batch: n, classes: Self.classes, positions: p)
            let all = scores!.toArray()
            for i in 0..<n { result.append(Array(all[(i * perStrip)..<((i + 1) * perStrip)])) }
            start += n
            progress?(start - range.lowerBound)
        }
        return result
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
