import NeuralNet

/// What the shared loop asks of the classifier's trainer: each epoch's order, its batches, its metric.
extension Trainer {
    func beginPeriod() {
        order = options.balanced == true ? balancedOrder() : trainIndices.shuffled(using: &rng)
    }

    /// Images `index·b ..< (index+1)·b` of the epoch's order, clamped to 0…255, augmented, normalised.
    func nextBatch(index: Int) -> TrainingBatch {
        let b = batchSize, buffers = batch
        buffers.load(order[(index * b)..<((index + 1) * b)], from: images, classes: classes, augmentation: options.augmentation,
                     elastic: options.elastic, normalization: classifier.normalization, rng: &rng)
        return TrainingBatch(input: buffers.input, examples: b, loss: { [loss] logits, record, index in
            loss.gradient(logits: logits, labels: buffers.target, meanInto: record, at: index)
        }, hits: { logits, record, index in
            logits.backend.countHits(logits: logits.buffer, labels: buffers.target.buffer, batch: b,
                                     classes: logits.shape[1], record: record, index: index)
        })
    }

    func value(of score: (loss: Double, accuracy: Double)) -> Double { score.accuracy }
}


/// The buffers of one classifier batch of `size` images, on the host and the device, reused step after step.
final class ClassifierBatch {
    let input: Tensor, target: Tensor
    var hostInput: [Float], hostTarget: [Float]
    /// One image, clamped and scaled, before augmentation.
    var scratch = [Float](repeating: 0, count: 784)

    init(size: Int, backend: Backend) {
        input = Tensor(zeros: [size] + Architecture.inputShape, on: backend)
        target = Tensor(zeros: [size], on: backend)
        hostInput = [Float](repeating: 0, count: size * 784)
        hostTarget = [Float](repeating: 0, count: size)
    }

    /// Fills the batch with the letters `picked` of `images` (N × 784, 0…255) as training sees them:
    /// clamped to 0…255, scaled to 0…1, augmented (affine, then elastic when given), normalised; their
    /// classes (0-based) become the targets. Copies both to the device.
    func load<G: RandomNumberGenerator>(_ picked: ArraySlice<Int>, from images: [Float], classes: [Int],
                                        augmentation: AffineAugmentation, elastic: ElasticDistortion?,
                                        normalization norm: PixelNormalization, rng: inout G) {
        precondition(picked.count * 784 == hostInput.count, "a batch of \(hostInput.count / 784) letters")
        for (j, image) in picked.enumerated() {
            hostTarget[j] = Float(classes[image])
            for p in 0..<784 { scratch[p] = min(max(images[image * 784 + p], 0), 255) / 255 }
            scratch.withUnsafeBufferPointer { src in
                hostInput.withUnsafeMutableBufferPointer { dst in
                    augmentation.apply(src.baseAddress!, into: dst.baseAddress! + j * 784, rng: &rng)
                    elastic?.apply(dst.baseAddress! + j * 784, rng: &rng)
                }
            }
        }
        for i in 0..<hostInput.count { hostInput[i] = (hostInput[i] - norm.mean) / norm.std }
        input.copy(from: hostInput); target.copy(from: hostTarget)
    }
}
