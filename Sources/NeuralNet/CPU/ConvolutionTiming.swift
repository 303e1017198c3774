import Foundation

extension CPUBackend {
    /// Seconds per call of the forward convolution of `g`, its input gradient and its weight gradient
    /// with `algorithm` (random operands, best of `repeats` after one warm-up call): what `letternet
    /// bench --convolutions` prints to check `ConvolutionAlgorithm.winogradPays` on a machine.
    public func timeConvolution(_ g: Conv2dGeometry, algorithm: ConvolutionAlgorithm,
                                repeats: Int = 3) -> ConvolutionTimes {
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
        let dw = buffer(g.weightCount), db = buffer(g.outChannels)
        return ConvolutionTimes(
            forward: fastestSeconds(repeats: repeats) { conv2dForwardReLU(x: x, weight: w, bias: bias, y: y, geometry: g) },
            inputGradient: fastestSeconds(repeats: repeats) { conv2dBackwardInput(dy: dy, weight: w, dx: dx, geometry: g) },
            weightGradient: fastestSeconds(repeats: repeats) {
                conv2dBackwardWeight(x: x, dy: dy, dWeight: dw, dBias: db, geometry: g)
            })
    }
}

/// Seconds per call of each pass of one convolution (`CPUBackend.timeConvolution`).
public struct ConvolutionTimes: Sendable {
    public var forward, inputGradient, weightGradient: Double

    public subscript(pass: ConvolutionPass) -> Double {
        switch pass {
        case .forward: forward
        case .inputGradient: inputGradient
        case .weightGradient: weightGradient
        }
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
