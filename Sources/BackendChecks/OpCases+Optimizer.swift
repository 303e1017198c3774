import NeuralNet

extension OpCases {
    /// Three Adam steps, the elements below `decaying` with weight decay (half of them, none, all: the
    /// flat buffer of a model with its decaying tensors first), and three SGD steps with momentum.
    static var optimizer: [OpCase] {
        counts.enumerated().flatMap { i, n -> [OpCase] in
            let make = OperandMaker(seed: UInt64(200 + i)), shape = "n=\(n) 3 steps"
            let grads = (1...3).map { make("grad\($0)", n, in: -0.1..<0.1) }
            return [
                OpCase(op: "adam_update", group: "adam", shape: shape, tolerance: 1e-10,
                       operands: [make("param", n), make.values("m", Array(repeating: 0, count: n)),
                                  make.values("v", Array(repeating: 0, count: n))] + grads,
                       outputs: ["param", "m", "v"]) { b, t in
                    for step in 1...3 {
                        let s = AdamStep(learningRate: 1e-2, weightDecay: 0.05, step: step)
                        b.adamUpdate(param: t["param"], grad: t["grad\(step)"], m: t["m"], v: t["v"], count: n,
                                     decaying: [n / 2, 0, n][step - 1], step: s)
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
}
