import NeuralNet

extension OpCases {
    /// Batch norm (momentum 0.1, ε 1e-5): training forward with its running statistics, inference
    /// forward, backward; one sample, one pixel, and many pixels per channel; two channels of 7,200
    /// values (two-stage statistics, `ReductionPlan`, even on a 2-unit device).
    static var normalization: [OpCase] {
        [(3, 5, 49), (1, 2, 1000), (7, 3, 1), (2, 4, 300), (16, 8, 196), (8, 2, 900)].enumerated().flatMap { i, s -> [OpCase] in
            let (batch, channels, spatial) = s
            let make = OperandMaker(seed: UInt64(700 + i)), shape = "N\(batch) C\(channels) spatial \(spatial)"
            let n = batch * channels * spatial
            let common = [make("x", n, in: -2..<3), make("gamma", channels, in: 0.5..<1.5), make("beta", channels),
                          make("y", n), make("mean", channels), make("invStd", channels),
                          make("runningMean", channels), make("runningVar", channels, in: 0.5..<2)]
            let training: (Backend, OpCase.Buffers) -> Void = { b, t in
                b.batchNormForwardTraining(x: t["x"], gamma: t["gamma"], beta: t["beta"], y: t["y"], mean: t["mean"],
                                           invStd: t["invStd"], runningMean: t["runningMean"],
                                           runningVar: t["runningVar"], momentum: 0.1, epsilon: 1e-5,
                                           batch: batch, channels: channels, spatial: spatial)
            }
            return [
                OpCase(op: "batchnorm_forward_training", group: "batchnorm", shape: shape, tolerance: 1e-8,
                       operands: common, outputs: ["y", "mean", "invStd", "runningMean", "runningVar"], body: training),
                OpCase(op: "batchnorm_forward_inference", group: "batchnorm", shape: shape, tolerance: 1e-10,
                       operands: common, outputs: ["y"]) { b, t in
                    b.batchNormForwardInference(x: t["x"], gamma: t["gamma"], beta: t["beta"], y: t["y"],
                                                runningMean: t["runningMean"], runningVar: t["runningVar"],
                                                epsilon: 1e-5, batch: batch, channels: channels, spatial: spatial)
                },
                OpCase(op: "batchnorm_backward", group: "batchnorm", shape: shape, tolerance: 1e-8,
                       operands: common + [make("dy", n), make("dx", n), make("dGamma", channels), make("dBeta", channels)],
                       outputs: ["dx", "dGamma", "dBeta"],
                       derivative: .init(forwardOp: "batchnorm_forward_training", input: "x", forwardOutput: "y",
                                         outputGradient: "dy", result: "dx")) { b, t in
                    training(b, t)
                    b.batchNormBackward(x: t["x"], dy: t["dy"], gamma: t["gamma"], mean: t["mean"], invStd: t["invStd"],
                                        dx: t["dx"], dGamma: t["dGamma"], dBeta: t["dBeta"],
                                        batch: batch, channels: channels, spatial: spatial)
                },
            ]
        }
    }
}
