import NeuralNet

extension OpCases {
    static let poolingGeometries = [
        Pool2dGeometry(batch: 3, channels: 5, inHeight: 9, inWidth: 9, kernelSize: 2, stride: 2),
        Pool2dGeometry(batch: 2, channels: 3, inHeight: 7, inWidth: 8, kernelSize: 3, stride: 2),
        Pool2dGeometry(batch: 1, channels: 4, inHeight: 6, inWidth: 5, kernelSize: 3, stride: 1),
        Pool2dGeometry(batch: 33, channels: 8, inHeight: 28, inWidth: 28, kernelSize: 2, stride: 2),
        // 17 windows a row: two groups of 8 (the second overlapping), an odd column left over.
        Pool2dGeometry(batch: 2, channels: 3, inHeight: 17, inWidth: 35, kernelSize: 2, stride: 2),
    ]

    /// Max pooling on `poolingGeometries`, with distinct values and with ties (values from {0, 1, 2}:
    /// the first maximum in window order must win).
    static var pooling: [OpCase] {
        poolingGeometries.enumerated().flatMap { i, g in
            [false, true].flatMap { ties -> [OpCase] in
                let make = OperandMaker(seed: UInt64(600 + i))
                let shape = "N\(g.batch) C\(g.channels) \(g.inHeight)x\(g.inWidth) k\(g.kernelSize) s\(g.stride)"
                    + (ties ? " ties" : "")
                let random = make("x", g.inputCount)
                let x = ties ? make.values("x", random.values.map { Float(Int(($0 + 1) * 1.5)) }) : random
                let y = make("y", g.outputCount), indices = make("indices", g.outputCount)
                let forward: (Backend, OpCase.Buffers) -> Void = { b, t in
                    b.maxPool2dForward(x: t["x"], y: t["y"], indices: t["indices"], geometry: g)
                }
                return [
                    OpCase(op: "maxpool2d_forward", group: "maxpool2d", shape: shape, tolerance: 1e-10,
                           operands: [x, y, indices], outputs: ["y"], body: forward),
                    OpCase(op: "maxpool2d_argmax", group: "maxpool2d", shape: shape, tolerance: 0,
                           operands: [x, y, indices], outputs: ["indices"], body: forward),
                    // Inference keeps no indices and must give the same outputs.
                    OpCase(op: "maxpool2d_forward_inference", group: "maxpool2d", shape: shape, tolerance: 1e-10,
                           operands: [x, y, indices, make("y2", g.outputCount)], outputs: ["y2"],
                           property: { values in values("y2") == values("y") ? nil : "differs from training mode" }
                    ) { b, t in
                        forward(b, t)
                        b.maxPool2dForward(x: t["x"], y: t["y2"], indices: nil, geometry: g)
                    },
                    OpCase(op: "maxpool2d_backward", group: "maxpool2d", shape: shape, tolerance: 1e-10,
                           operands: [x, y, indices, make("dy", g.outputCount), make("dx", g.inputCount)],
                           outputs: ["dx"],
                           derivative: .init(forwardOp: "maxpool2d_forward", input: "x", forwardOutput: "y",
                                             outputGradient: "dy", result: "dx")) { b, t in
                        forward(b, t)
                        b.maxPool2dBackward(dy: t["dy"], indices: t["indices"], dx: t["dx"], geometry: g)
                    },
                ]
            }
        }
    }
}
