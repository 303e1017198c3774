import NeuralNet

extension OpCases {
    /// fill, copy, ReLU, multiply, add and dropout on `counts` elements.
    static var elementwise: [OpCase] {
        counts.enumerated().flatMap { i, n -> [OpCase] in
            let make = OperandMaker(seed: UInt64(100 + i)), shape = "n=\(n)"
            // fill and copy write a prefix only: the rest must stay as it was.
            let partial = max(1, n - 3)
            var cases = [
                OpCase(op: "fill", family: "fill", shape: "\(shape) prefix \(partial)", tolerance: 0,
                       operands: [make("x", n)], outputs: ["x"]) { b, t in
                    b.fill(t["x"], value: 2.5, count: partial)
                },
                OpCase(op: "copy", family: "copy", shape: "\(shape) prefix \(partial)", tolerance: 0,
                       operands: [make("src", n), make("dst", n)], outputs: ["dst"]) { b, t in
                    b.copy(t["src"], to: t["dst"], count: partial)
                },
                OpCase(op: "relu_forward", family: "relu", shape: shape, tolerance: 1e-10,
                       operands: [make("x", n), make("y", n)], outputs: ["y"]) { b, t in
                    b.reluForward(x: t["x"], y: t["y"], count: n)
                },
                OpCase(op: "relu_backward", family: "relu", shape: shape, tolerance: 1e-10,
                       operands: [make("x", n), make("y", n), make("dy", n), make("dx", n)], outputs: ["dx"],
                       derivative: .init(forwardOp: "relu_forward", input: "x", forwardOutput: "y",
                                         outputGradient: "dy", result: "dx")) { b, t in
                    b.reluForward(x: t["x"], y: t["y"], count: n)
                    b.reluBackward(y: t["y"], dy: t["dy"], dx: t["dx"], count: n)
                },
                OpCase(op: "multiply", family: "multiply", shape: shape, tolerance: 1e-10,
                       operands: [make("a", n), make("b", n), make("out", n)], outputs: ["out"]) { b, t in
                    b.multiply(t["a"], t["b"], out: t["out"], count: n)
                },
                OpCase(op: "add_forward", family: "add", shape: shape, tolerance: 1e-10,
                       operands: [make("a", n), make("b", n), make("out", n)], outputs: ["out"]) { b, t in
                    b.add(t["a"], t["b"], out: t["out"], count: n)
                },
                // In place, as a gradient sum may be: the output is one of the inputs.
                OpCase(op: "add_forward", family: "add", shape: "\(shape) in place", tolerance: 1e-10,
                       operands: [make("a", n), make("b", n)], outputs: ["a"]) { b, t in
                    b.add(t["a"], t["b"], out: t["a"], count: n)
                },
            ]
            for (p, seed) in [(Float(0.25), UInt32(1)), (0.5, 0xDEAD_BEEF), (0, 77), (0.9, UInt32(i))] {
                cases.append(OpCase(op: "dropout_forward", family: "dropout", shape: "\(shape) p=\(p) seed=\(seed)",
                                    tolerance: 0, operands: [make("x", n), make("mask", n), make("y", n)],
                                    outputs: ["mask", "y"]) { b, t in
                    b.dropoutForward(x: t["x"], mask: t["mask"], y: t["y"], probability: p, seed: seed, count: n)
                })
            }
            return cases
        }
    }

    /// Three Adam steps (the second without weight decay) and three SGD steps with momentum.
    static var optimizers: [OpCase] {
        counts.enumerated().flatMap { i, n -> [OpCase] in
            let make = OperandMaker(seed: UInt64(200 + i)), shape = "n=\(n) 3 steps"
            let grads = (1...3).map { make("grad\($0)", n, in: -0.1..<0.1) }
            return [
                OpCase(op: "adam_update", family: "adam", shape: shape, tolerance: 1e-10,
                       operands: [make("param", n), make.values("m", Array(repeating: 0, count: n)),
                                  make.values("v", Array(repeating: 0, count: n))] + grads,
                       outputs: ["param", "m", "v"]) { b, t in
                    for step in 1...3 {
                        let s = AdamStep(learningRate: 1e-2, weightDecay: step == 2 ? 0 : 0.05, step: step)
                        b.adamUpdate(param: t["param"], grad: t["grad\(step)"], m: t["m"], v: t["v"], count: n, step: s)
                    }
                },
                OpCase(op: "sgd_update", family: "sgd", shape: shape, tolerance: 1e-10,
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

    /// Softmax and softmax cross-entropy, from one class to a thousand.
    static var softmax: [OpCase] {
        [(1, 1), (5, 26), (130, 10), (3, 1000), (257, 62)].flatMap { batch, classes -> [OpCase] in
            let make = OperandMaker(seed: UInt64(300 + batch)), shape = "\(batch)x\(classes)"
            let logits = make("logits", batch * classes, in: -8..<8)
            let labels = make.values("labels", (0..<batch).map { Float(($0 * 7 + 3) % classes) })
            return [
                OpCase(op: "softmax_forward", family: "softmax", shape: shape, tolerance: 1e-10,
                       operands: [logits, make("probabilities", batch * classes)], outputs: ["probabilities"]) { b, t in
                    b.softmax(logits: t["logits"], probabilities: t["probabilities"], batch: batch, classes: classes)
                },
                OpCase(op: "softmax_cross_entropy", family: "softmax_cross_entropy", shape: shape, tolerance: 1e-10,
                       operands: [logits, labels, make("losses", batch), make("dLogits", batch * classes)],
                       outputs: ["losses", "dLogits"]) { b, t in
                    b.softmaxCrossEntropy(logits: t["logits"], labels: t["labels"], losses: t["losses"],
                                          dLogits: t["dLogits"], batch: batch, classes: classes)
                },
                OpCase(op: "softmax_cross_entropy", family: "softmax_cross_entropy", shape: shape + " ε=0.1",
                       tolerance: 1e-10,
                       operands: [logits, labels, make("losses", batch), make("dLogits", batch * classes)],
                       outputs: ["losses", "dLogits"]) { b, t in
                    b.softmaxCrossEntropy(logits: t["logits"], labels: t["labels"], losses: t["losses"],
                                          dLogits: t["dLogits"], batch: batch, classes: classes, smoothing: 0.1)
                },
            ]
        }
    }
}
