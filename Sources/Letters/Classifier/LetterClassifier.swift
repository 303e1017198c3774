import Foundation
import NeuralNet

/// A trained letter network with its input normalization: 28×28 images (0…255) in, 26 scores out.
public final class LetterClassifier {
    public let model: Sequential
    public let normalization: PixelNormalization
    public let metadata: [String: String]
    /// Images per forward pass at inference.
    public var batchSize = 500

    /// `model` folded for inference (batch norm folded into the convolutions), once while its weights stay.
    public let inference: FoldedNetwork

    public init(model: Sequential, normalization: PixelNormalization = .init(), metadata: [String: String] = [:]) {
        self.model = model; self.normalization = normalization; self.metadata = metadata
        inference = FoldedNetwork(model)
    }

    /// Loads a checkpoint onto `backend`.
    public convenience init(checkpoint: Checkpoint, backend: Backend, source: String) throws {
        let norm = try PixelNormalization(metadata: checkpoint.metadata, source: source)
        let model = try checkpoint.makeModel(on: backend, source: source)
        let output = Array(model.outputShape(batch: 1).dropFirst())
        guard model.inputShape == Architecture.inputShape, output == [26] else {
            throw CheckpointError(source, "not a letter classifier (it maps \(model.inputShape) to \(output); "
                                  + "a letter classifier maps \(Architecture.inputShape) to [26])")
        }
        self.init(model: model, normalization: norm, metadata: checkpoint.metadata)
    }

    public convenience init(contentsOf url: URL, backend: Backend) throws {
        try self.init(checkpoint: Checkpoint.read(from: url), backend: backend, source: url.path)
    }

    public var classes: Int { model.outputShape(batch: 1).last ?? 0 }

    /// Checkpoint of the model with its normalization.
    public func checkpoint(extra: [String: String] = [:]) -> Checkpoint {
        Checkpoint(model: model, metadata: normalization.recorded(in: metadata.merging(extra) { $1 }))
    }

    /// Row-major `[count, classes]` softmax probabilities for `count` images of `pixelsPerImage` values.
    public func probabilities(images: [Float], count: Int, progress: ((Int) -> Void)? = nil) -> [Float] {
        let shape = model.inputShape, per = shape.reduce(1, *)
        precondition(images.count == count * per, "expected \(count)×\(per) pixels, got \(images.count)")
        var out = [Float](); out.reserveCapacity(count * classes)
        var input: Tensor?
        var start = 0
        let network = inference.network
        while start < count {
            let n = min(batchSize, count - start)
            let batch = [Float](unsafeUninitializedCapacity: n * per) { buf, done in
                for i in 0..<(n * per) { buf[i] = normalization.apply(images[start * per + i]) }
                done = n * per
            }
            if input?.shape.first != n { input = Tensor(zeros: [n] + shape, on: model.backend) }
            input!.copy(from: batch)
            out += softmaxProbabilities(network.forward(input!, training: false))
            start += n
            progress?(start)
        }
        return out
    }
}
