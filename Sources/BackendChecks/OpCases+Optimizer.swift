import NeuralNet

extension OpCases {
    /// Adam and SGD, on one tensor and on several at once.
    static var optimizer: [OpCase] { optimizerSteps + adamTensors }

    /// Three Adam steps (the second without weight decay) and three SGD steps with momentum, one tensor.
    static var optimizerSteps: [OpCase] {
        counts.enumerated().flatMap { i, n -> [OpCase] in
            let make = OperandMaker(seed: UInt64(200 + i)), shape = "n=\(n) 3 steps"
            let grads = (1...3).map { make("grad\($0)", n, in: -0.1..<0.1) }
            return [
                OpCase(op: "adam_update", group: "adam", shape: shape, tolerance: 1e-10,
                       operands: [make("param", n), make.values("m", Array(repeating: 0, count: n)),
                                  make.values("v", Array(repeating: 0, count: n))] + grads,
                       outputs: ["param", "m", "v"]) { b, t in
                    for step in 1...3 {
                        let s = AdamStep(learningRate: 1e-2, weightDecay: step == 2 ? 0 : 0.05, step: step)
                        b.adamUpdate(param: t["param"], grad: t["grad\(step)"], m: t["m"], v: t["v"], count: n, step: s)
                    }
                },
                OpCase(op: "sgd_update", group: "sgd", shape: shape, tolerance: 1e-10,
                       operands: [make("param", n), make.values("velocity", Array(repeating: 0, count: n))]
                           + (1...3).map { make("grad\($0)", n) },
                       outputs: ["param", "velocity"]) { b, t in
                    for step in 1...3 {
                        b.sgdUpdate(param: t["param"], grad: t["grad\(step)"], velocity: t["velocity"], count: n,
                                    learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3)
                    }
                },
            ]
        }
    }

    /// Adam over several tensors at once (more than one launch's worth on OpenCL, an empty one among
    /// them, weight decay on every other tensor), three steps.
    static var adamTensors: [OpCase] {
        let sizes = [1, 7, 0, 255, 256, 257, 1000, 4099, 3, 12]
        let make = OperandMaker(seed: 990)
        var operands: [OpCase.Operand] = []
        for (k, n) in sizes.enumerated() {
            operands += [make("param\(k)", n), make.values("m\(k)", Array(repeating: 0, count: n)),
                         make.values("v\(k)", Array(repeating: 0, count: n))]
            operands += (1...3).map { make("grad\(k).\($0)", n, in: -0.1..<0.1) }
        }
        let outputs = sizes.indices.flatMap { ["param\($0)", "m\($0)", "v\($0)"] }
        return [OpCase(op: "adam_update_tensors", group: "adam_tensors", shape: "\(sizes.count) tensors 3 steps",
                       tolerance: 1e-10, operands: operands, outputs: outputs) { b, t in
            for step in 1...3 {
                let tensors = sizes.enumerated().map { k, n in
                    AdamTensor(param: t["param\(k)"], grad: t["grad\(k).\(step)"], m: t["m\(k)"], v: t["v\(k)"], count: n,
                               weightDecay: k % 2 == 0 ? 0.05 : 0)
                }
                b.adamUpdateTensors(tensors, step: AdamStep(learningRate: 1e-2, weightDecay: 0.3, step: step))
            }
        }]
    }
}
