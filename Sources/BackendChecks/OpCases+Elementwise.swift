import NeuralNet

extension OpCases {
    /// fill, copy, ReLU, multiply, add and dropout on `counts` elements.
    static var elementwise: [OpCase] {
        counts.enumerated().flatMap { i, n -> [OpCase] in
            let make = OperandMaker(seed: UInt64(100 + i)), shape = "n=\(n)"
            // fill and copy write a prefix only: the rest must stay as it was.
            let partial = max(1, n - 3)
            var cases = [
                OpCase(op: "fill", group: "fill", shape: "\(shape) prefix \(partial)", tolerance: 0,
                       operands: [make("x", n)], outputs: ["x"]) { b, t in
                    b.fill(t["x"], value: 2.5, count: partial)
                },
                OpCase(op: "copy", group: "copy", shape: "\(shape) prefix \(partial)", tolerance: 0,
                       operands: [make("src", n), make("dst", n)], outputs: ["dst"]) { b, t in
                    b.copy(t["src"], to: t["dst"], count: partial)
                },
                OpCase(op: "relu_forward", group: "relu", shape: shape, tolerance: 1e-10,
                       operands: [make("x", n), make("y", n)], outputs: ["y"]) { b, t in
                    b.reluForward(x: t["x"], y: t["y"], count: n)
                },
                OpCase(op: "relu_backward", group: "relu", shape: shape, tolerance: 1e-10,
                       operands: [make("x", n), make("y", n), make("dy", n), make("dx", n)], outputs: ["dx"],
                       derivative: .init(forwardOp: "relu_forward", input: "x", forwardOutput: "y",
                                         outputGradient: "dy", result: "dx")) { b, t in
                    b.reluForward(x: t["x"], y: t["y"], count: n)
                    b.reluBackward(y: t["y"], dy: t["dy"], dx: t["dx"], count: n)
                },
                OpCase(op: "multiply", group: "multiply", shape: shape, tolerance: 1e-10,
                       operands: [make("a", n), make("b", n), make("out", n)], outputs: ["out"]) { b, t in
                    b.multiply(t["a"], t["b"], out: t["out"], count: n)
                },
                OpCase(op: "add_forward", group: "add", shape: shape, tolerance: 1e-10,
                       operands: [make("a", n), make("b", n), make("out", n)], outputs: ["out"]) { b, t in
                    b.add(t["a"], t["b"], out: t["out"], count: n)
                },
                // In place, as a gradient sum may be: the output is one of the inputs.
                OpCase(op: "add_forward", group: "add", shape: "\(shape) in place", tolerance: 1e-10,
                       operands: [make("a", n), make("b", n)], outputs: ["a"]) { b, t in
                    b.add(t["a"], t["b"], out: t["a"], count: n)
                },
            ]
            for (p, seed) in [(Float(0.25), UInt32(1)), (0.5, 0xDEAD_BEEF), (0, 77), (0.9, UInt32(i))] {
                cases.append(OpCase(op: "dropout_forward", group: "dropout", shape: "\(shape) p=\(p) seed=\(seed)",
                                    tolerance: 0, operands: [make("x", n), make("mask", n), make("y", n)],
                                    outputs: ["mask", "y"]) { b, t in
                    b.dropoutForward(x: t["x"], mask: t["mask"], y: t["y"], probability: p, seed: seed, count: n)
                })
            }
            return cases
        }
    }
}
