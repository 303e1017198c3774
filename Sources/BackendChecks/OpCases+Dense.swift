import NeuralNet

extension OpCases {
    /// Linear layers: a single feature, odd sizes, sizes off the tiles, a wide input, an empty batch,
    /// interior tiles with edges, and whole tiles of every `GEMMTile` candidate (unchecked loads only).
    static let linearShapes = [(1, 3, 5), (7, 33, 65), (128, 300, 26), (3, 1568, 128), (65, 17, 1), (0, 4, 3),
                               (130, 260, 140), (64, 128, 128)]

    static var dense: [OpCase] {
        linearShapes.enumerated().flatMap { i, s -> [OpCase] in
            let (batch, inF, outF) = s
            let make = OperandMaker(seed: UInt64(400 + i)), shape = "batch \(batch) in \(inF) out \(outF)"
            let x = make("x", batch * inF), w = make("weight", outF * inF), bias = make("bias", outF)
            let dy = make("dy", batch * outF)
            return [
                OpCase(op: "linear_forward", group: "linear", shape: shape, tolerance: 1e-8,
                       operands: [x, w, bias, make("y", batch * outF)], outputs: ["y"]) { b, t in
                    b.linearForward(x: t["x"], weight: t["weight"], bias: t["bias"], y: t["y"],
                                    batch: batch, inFeatures: inF, outFeatures: outF)
                },
                // OpenCL fuses the bias and ReLU into the GEMM store; the CPU runs the two ops.
                OpCase(op: "linear_forward_relu", group: "linear", shape: shape, tolerance: 1e-8,
                       operands: [x, w, bias, make("y", batch * outF)], outputs: ["y"],
                       property: { values in values("y").allSatisfy { $0 >= 0 } ? nil : "negative output after ReLU" }
                ) { b, t in
                    b.linearForwardReLU(x: t["x"], weight: t["weight"], bias: t["bias"], y: t["y"],
                                        batch: batch, inFeatures: inF, outFeatures: outF)
                },
                OpCase(op: "linear_backward_input", group: "linear", shape: shape, tolerance: 1e-8,
                       operands: [dy, w, make("dx", batch * inF)], outputs: ["dx"],
                       derivative: .init(forwardOp: "linear_forward", input: "x", forwardOutput: "y",
                                         outputGradient: "dy", result: "dx")) { b, t in
                    b.linearBackwardInput(dy: t["dy"], weight: t["weight"], dx: t["dx"],
                                          batch: batch, inFeatures: inF, outFeatures: outF)
                },
                OpCase(op: "linear_backward_weight", group: "linear", shape: shape, tolerance: 1e-8,
                      
                       operands: [x, dy, make("dWeight", outF * inF), make("dBias", outF)], outputs: ["dWeight", "dBias"],
                       derivative: .init(forwardOp: "linear_forward", input: "weight", forwardOutput: "y",
                                         outputGradient: "dy", result: "dWeight")) { b, t in
                    b.linearBackwardWeight(x: t["x"], dy: t["dy"], dWeight: t["dWeight"], dBias: t["dBias"],
                                           batch: batch, inFeatures: inF, outFeatures: outF)
                },
            ]
        }
    }
}
