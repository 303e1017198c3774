import NeuralNet

/// What the shared loop asks of the classifier's trainer: each epoch's order, its batches, its metric.
extension Trainer {
    func beginPeriod() {
        order = options.balanced == true ? balancedOrder() : trainIndices.shuffled(using: &rng)
    }

    /// Images `index·b ..< (index+1)·b` of the epoch's order, clamped to 0…255, augmented, normalised (host only).
    func prepareBatch(index: Int, step: Int) -> ClassifierHostBatch {
        let b = batchSize
        return ClassifierHostBatch(order[(index * b)..<((index + 1) * b)], from: images, classes: classes, augmentation: options.augmentation,
                                   elastic: options.elastic, normalization: classifier.normalization, rng: &rng)
    }

    /// The prepared images and their classes, copied into the next set of the reused device buffers.
    func deviceBatch(_ host: ClassifierHostBatch) -> TrainingBatch {
        let b = batchSize, (input, target) = batch.upload(host)
        return TrainingBatch(input: input, examples: b, loss: { [loss] logits, record, index in
            loss.gradient(logits: logits, labels: target, meanInto: record, at: index)
        }, hits: { logits, record, index in
            logits.backend.countHits(logits: logits.buffer, labels: target.buffer, batch: b,
                                     classes: logits.shape[1], record: record, index: index)
        })
    }

    func value(of score: (loss: Double, accuracy: Double)) -> Double { score.accuracy }
}


/// One classifier batch on the host: its images as training sees them and their classes (0-based).
struct ClassifierHostBatch {
    var input: [Float], target: [Float]

    /// The letters `picked` of `images` (N × 784, 0…255): clamped to 0…255, scaled to 0…1, augmented
    /// (affine, then elastic when given), normalised.
    init<G: RandomNumberGenerator>(_ picked: ArraySlice<Int>, from images: [Float], classes: [Int],
                                   augmentation: AffineAugmentation, elastic: ElasticDistortion?,
                                   normalization norm: PixelNormalization, rng: inout G) {
        input = [Float](repeating: 0, count: picked.count * 784)
        target = picked.map { Float(classes[$0]) }
        var scratch = [Float](repeating: 0, count: 784)
        for (j, image) in picked.enumerated() {
            for p in 0..<784 { scratch[p] = min(max(images[image * 784 + p], 0), 255) / 255 }
            scratch.withUnsafeBufferPointer { src in
                input.withUnsafeMutableBufferPointer { dst in
                    augmentation.apply(src.baseAddress!, into: dst.baseAddress! + j * 784, rng: &rng)
                    elastic?.apply(dst.baseAddress! + j * 784, rng: &rng)
                }
            }
        }
        for i in 0..<input.count { input[i] = (input[i] - norm.mean) / norm.std }
    }
}

/// The device buffers of classifier batches of `size` images, reused step after step: two sets taken in
/// turn (`AlternatingInputs`), so that on a device with a transfer queue the next batch is copied while
/// the step before computes.
final class ClassifierBatch {
    let size: Int
    let sets: AlternatingInputs

    init(size: Int, backend: Backend) {
        self.size = size
        sets = AlternatingInputs(counts: [size * Architecture.inputShape.reduce(1, *), size], backend: backend)
    }

    /// Queues the copies of a prepared batch (they do not wait) into the next set; returns its images
    /// and classes on the device.
    func upload(_ host: ClassifierHostBatch) -> (input: Tensor, target: Tensor) {
        precondition(host.input.count == sets.counts[0], "a batch of \(sets.counts[0] / 784) letters")
        let buffers = sets.upload([host.input, host.target])
        return (Tensor(buffer: buffers[0], shape: [size] + Architecture.inputShape, backend: sets.backend),
                Tensor(buffer: buffers[1], shape: [size], backend: sets.backend))
    }
}
