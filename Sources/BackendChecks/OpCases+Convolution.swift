import NeuralNet

extension OpCases {
    /// Kernel 1/3/5, stride 1/2, padding 0/1/2, odd batches, channel counts on both sides of the
    /// direct/GEMM switch, chunked im2col, and sizes that are not multiples of the tiles.
    public static let convolutionGeometries: [Conv2dGeometry] = [
        Conv2dGeometry(batch: 3, inChannels: 1, inHeight: 13, inWidth: 13, outChannels: 5, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 2, inChannels: 3, inHeight: 9, inWidth: 11, outChannels: 7, kernelSize: 5, stride: 2, padding: 2),
        Conv2dGeometry(batch: 5, inChannels: 10, inHeight: 8, inWidth: 8, outChannels: 33, kernelSize: 1, stride: 1, padding: 0),
        Conv2dGeometry(batch: 1, inChannels: 9, inHeight: 7, inWidth: 6, outChannels: 3, kernelSize: 3, stride: 2, padding: 0),
        Conv2dGeometry(batch: 2, inChannels: 12, inHeight: 10, inWidth: 10, outChannels: 20, kernelSize: 5, stride: 1, padding: 2),
        Conv2dGeometry(batch: 3, inChannels: 16, inHeight: 9, inWidth: 9, outChannels: 8, kernelSize: 3, stride: 2, padding: 1),
        Conv2dGeometry(batch: 4, inChannels: 16, inHeight: 14, inWidth: 14, outChannels: 32, kernelSize: 3, stride: 1, padding: 1),
        Conv2dGeometry(batch: 17, inChannels: 8, inHeight: 28, inWidth: 28, outChannels: 16, kernelSize: 3, stride: 1, padding: 1),
        // Rows of at least 16 (padded), with 25 taps, one tap, no padding, and an odd number of output
        // channels.
        Conv2dGeometry(batch: 3, inChannels: 4, inHeight: 16, inWidth: 17, outChannels: 5, kernelSize: 5, stride: 1, padding: 1),
        Conv2dGeometry(batch: 2, inChannels: 5, inHeight: 16, inWidth: 16, outChannels: 7, kernelSize: 1, stride: 1, padding: 0),
        Conv2dGeometry(batch: 9, inChannels: 3, inHeight: 18, inWidth: 20, outChannels: 6, kernelSize: 3, stride: 1, padding: 0),
        // The context strip reader's convolutions over positions: one row, padded above and below.
        Conv2dGeometry(batch: 3, inChannels: 24, inHeight: 1, inWidth: 37, outChannels: 24, kernelSize: 3, stride: 1, padding: 1),
        // A large batch: many work-groups, many Winograd tile groups on the CPU.
        Conv2dGeometry(batch: 40, inChannels: 32, inHeight: 28, inWidth: 28, outChannels: 16, kernelSize: 3, stride: 1, padding: 1),
        // CPUBackend's Winograd F(2×2, 3×3) path (ConvolutionAlgorithm.winogradPays; the rows above with
        // 16+ channels each side take it too, padded): no padding, odd sizes (half-filled edge tiles), batch 1.
        Conv2dGeometry(batch: 1, inChannels: 17, inHeight: 9, inWidth: 13, outChannels: 19, kernelSize: 3, stride: 1, padding: 0),
        // Its weight gradient (CPUBackend+WinogradWeights.swift) over several tile groups per worker, summed
        // across workers: padding 2 and odd outputs (31×33, half-filled edge tiles of the output gradient).
        Conv2dGeometry(batch: 5, inChannels: 16, inHeight: 29, inWidth: 31, outChannels: 20, kernelSize: 3, stride: 1, padding: 2),
        // One output channel over 5,400 positions: the bias gradient in two stages (ReductionPlan) even
        // on a 2-unit device.
        Conv2dGeometry(batch: 6, inChannels: 2, inHeight: 30, inWidth: 30, outChannels: 1, kernelSize: 3, stride: 1, padding: 1),
    ]

    static var convolution: [OpCase] {
        convolutionGeometries.enumerated().flatMap { i, g -> [OpCase] in
            let make = OperandMaker(seed: UInt64(500 + i))
            let shape = "N\(g.batch) C\(g.inChannels) \(g.inHeight)x\(g.inWidth) O\(g.outChannels) k\(g.kernelSize) "
                + "s\(g.stride) p\(g.padding)"
            let x = make("x", g.inputCount), w = make("weight", g.weightCount), bias = make("bias", g.outChannels)
            let y = make("y", g.outputCount), dy = make("dy", g.outputCount)
            return [
                OpCase(op: "conv2d_forward", group: "conv2d", shape: shape, tolerance: 1e-8,
                       operands: [x, w, bias, y], outputs: ["y"]) { b, t in
                    b.conv2dForward(x: t["x"], weight: t["weight"], bias: t["bias"], y: t["y"], geometry: g)
                },
                // Both backends fuse the ReLU: CPUBackend into its bias pass, OpenCL into the GEMM store.
                OpCase(op: "conv2d_forward_relu", group: "conv2d", shape: shape, tolerance: 1e-8,
                       operands: [x, w, bias, y], outputs: ["y"],
                       property: { values in values("y").allSatisfy { $0 >= 0 } ? nil : "negative output after ReLU" }
                ) { b, t in
                    b.conv2dForwardReLU(x: t["x"], weight: t["weight"], bias: t["bias"], y: t["y"], geometry: g)
                },
                OpCase(op: "conv2d_backward_input", group: "conv2d", shape: shape, tolerance: 1e-8,
                       operands: [dy, w, make("dx", g.inputCount)], outputs: ["dx"],
                       derivative: .init(forwardOp: "conv2d_forward", input: "x", forwardOutput: "y",
                                         outputGradient: "dy", result: "dx")) { b, t in
                    b.conv2dBackwardInput(dy: t["dy"], weight: t["weight"], dx: t["dx"], geometry: g)
                },
                OpCase(op: "conv2d_backward_weight", group: "conv2d", shape: shape, tolerance: 1e-8,
                       operands: [x, dy, make("dWeight", g.weightCount), make("dBias", g.outChannels)],
                       outputs: ["dWeight", "dBias"],
                       derivative: .init(forwardOp: "conv2d_forward", input: "weight", forwardOutput: "y",
                                         outputGradient: "dy", result: "dWeight")) { b, t in
                    b.conv2dBackwardWeight(x: t["x"], dy: t["dy"], dWeight: t["dWeight"], dBias: t["dBias"], geometry: g)
                },
            ]
        }
    }
}
