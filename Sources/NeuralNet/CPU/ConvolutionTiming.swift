import Foundation

extension CPUBackend {
    /// Seconds per call of the forward convolution and of its input gradient of `g` with `algorithm`
    /// (random operands, best of `repeats` after one warm-up call): what `letternet bench
    /// --convolutions` prints to check `ConvolutionAlgorithm.winogradPays` on a machine.
    public func timeConvolution(_ g: Conv2dGeometry, algorithm: ConvolutionAlgorithm,
                                repeats: Int = 3) -> (forward: Double, inputGradient: Double) {
        let saved = convolutionAlgorithm
        convolutionAlgorithm = algorithm
        defer { convolutionAlgorithm = saved }
        var rng = SeededGenerator(seed: 1)
        func buffer(_ count: Int) -> DeviceBuffer {
            let b = makeBuffer(count: count)
            let p = ptr(b)
            for i in 0..<count { p[i] = rng.nextNormal() }
            return b
        }
        let x = buffer(g.inputCount), w = buffer(g.weightCount), bias = buffer(g.outChannels)
        let y = buffer(g.outputCount), dy = buffer(g.outputCount), dx = buffer(g.inputCount)
        return (fastestSeconds(repeats: repeats) { conv2dForwardReLU(x: x, weight: w, bias: bias, y: y, geometry: g) },
                fastestSeconds(repeats: repeats) { conv2dBackwardInput(dy: dy, weight: w, dx: dx, geometry: g) })
    }
}

/// Seconds of the fastest of `repeats` timed calls of `body`, after one untimed warm-up call.
public func fastestSeconds(repeats: Int, _ body: () -> Void) -> Double {
    body()
    var fastest = Double.infinity
    for _ in 0..<max(1, repeats) {
        let start = Date()
        body()
        fastest = min(fastest, Date().timeIntervalSince(start))
    }
    return fastest
}
