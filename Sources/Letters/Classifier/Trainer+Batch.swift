import NeuralNet

/// What the shared loop asks of the classifier's trainer: each epoch's order, its batches, its metric.
extension Trainer {
    func beginPeriod() {
        order = options.balanced == true ? balancedOrder() : trainIndices.shuffled(using: &rng)
    }

    /// Images `index·b ..< (index+1)·b` of the epoch's order, clamped to 0…255, augmented, normalised.
    func nextBatch(index: Int) -> TrainingBatch {
        let b = batchSize, buffers = batch
        for j in 0..<b {
            let image = order[index * b + j]
            buffers.hostTarget[j] = Float(classes[image])
            for p in 0..<784 { buffers.scratch[p] = min(max(images[image * 784 + p], 0), 255) / 255 }
            buffers.scratch.withUnsafeBufferPointer { src in
                buffers.hostInput.withUnsafeMutableBufferPointer { dst in
                    options.augmentation.apply(src.baseAddress!, into: dst.baseAddress! + j * 784, rng: &rng)
                    options.elastic?.apply(dst.baseAddress! + j * 784, rng: &rng)
                }
            }
        }
        let norm = classifier.normalization
        for i in 0..<(b * 784) { buffers.hostInput[i] = (buffers.hostInput[i] - norm.mean) / norm.std }
        buffers.input.copy(from: buffers.hostInput); buffers.target.copy(from: buffers.hostTarget)
        return TrainingBatch(input: buffers.input, examples: b, loss: { [loss] logits in
            let (value, gradient) = loss(logits: logits, labels: buffers.target)
            return (Double(value), gradient)
        }, hits: { logits in Self.hits(logits.toArray(), buffers.hostTarget) })
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
}
