/// Weight averaging (Izmailov et al. 2018, "Averaging Weights Leads to Wider Optima and Better
/// Generalization", SWA): several trained copies of one network — snapshots of one run, or the last
/// epochs of a run continued at a constant learning rate — averaged parameter by parameter into one
/// network that costs one forward pass. The averaged weights feed every batch normalization other
/// activations than any copy's did, so its running statistics are then estimated afresh
/// (`recalibrateBatchNorm`), as `torch.optim.swa_utils.update_bn` does.
extension Sequential {
    /// Sets every tensor of this network to the element-wise mean of the same tensor in `models`
    /// (each of this network's architecture). Running statistics are averaged too; recalibrate them.
    public func loadAverage(of models: [Sequential]) {
        precondition(!models.isEmpty, "nothing to average")
        let mine = namedTensors
        var sums = mine.map { [Double](repeating: 0, count: $0.tensor.count) }
        for model in models {
            precondition(model.specs == specs, "averaged networks must share one architecture")
            for (k, (name, tensor)) in model.namedTensors.enumerated() {
                precondition(name == mine[k].name, "tensor \(name) where \(mine[k].name) was expected")
                for (i, v) in tensor.toArray().enumerated() { sums[k][i] += Double(v) }
            }
        }
        let n = Double(models.count)
        for (k, entry) in mine.enumerated() { entry.tensor.copy(from: sums[k].map { Float($0 / n) }) }
        weightsChanged()
    }

    /// Every batch normalization of the network, those inside residual blocks included, in order.
    public var batchNormLayers: [BatchNorm2d] { Self.batchNorms(in: layers) }

    static func batchNorms(in layers: [Layer]) -> [BatchNorm2d] {
        layers.flatMap { layer -> [BatchNorm2d] in
            if let bn = layer as? BatchNorm2d { return [bn] }
            if let block = layer as? Residual { return batchNorms(in: block.body) + batchNorms(in: block.shortcut) }
            return []
        }
    }

    /// Estimates every batch normalization's running mean and variance as the plain mean, over
    /// `batches`, of each batch's own statistics (the unbiased variance, as training records), from a
    /// training-mode forward pass of each batch; weights are left as they are. The batches should be
    /// drawn as the training batches were. Returns how many batches were read (none: nothing changes).
    @discardableResult
    public func recalibrateBatchNorm<Batches: Sequence>(batches: Batches) -> Int where Batches.Element == Tensor {
        let norms = batchNormLayers
        guard !norms.isEmpty else { return 0 }
        var meanSums = norms.map { [Double](repeating: 0, count: $0.channels) }
        var varSums = meanSums
        var count = 0
        for batch in batches {
            // With the running statistics at zero, one update leaves momentum × the batch's own.
            for bn in norms {
                bn.runningMean.copy(from: [Float](repeating: 0, count: bn.channels))
                bn.runningVar.copy(from: [Float](repeating: 0, count: bn.channels))
            }
            _ = forward(batch, training: true)
            for (k, bn) in norms.enumerated() {
                let m = bn.runningMean.toArray(), v = bn.runningVar.toArray()
                for c in 0..<bn.channels {
                    meanSums[k][c] += Double(m[c]) / Double(bn.momentum)
                    varSums[k][c] += Double(v[c]) / Double(bn.momentum)
                }
            }
            count += 1
        }
        guard count > 0 else { return 0 }  // no batch: the statistics were never touched
        for (k, bn) in norms.enumerated() {
            bn.runningMean.copy(from: meanSums[k].map { Float($0 / Double(count)) })
            bn.runningVar.copy(from: varSums[k].map { Float(max($0 / Double(count), 0)) })
        }
        weightsChanged()
        return count
    }
}
