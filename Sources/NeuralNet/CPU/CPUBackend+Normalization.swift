import Foundation

/// Batch normalization over (N, H, W) per channel, channels split across workers.
/// Sums are accumulated in `Double`.
extension CPUBackend {
    public func batchNormForwardTraining(x: DeviceBuffer, gamma: DeviceBuffer, beta: DeviceBuffer, y: DeviceBuffer,
                                         mean: DeviceBuffer, invStd: DeviceBuffer,
                                         runningMean: DeviceBuffer, runningVar: DeviceBuffer,
                                         momentum: Float, epsilon: Float, batch: Int, channels: Int, spatial: Int) {
        let x = ptr(x), gm = ptr(gamma), bt = ptr(beta), y = ptr(y)
        let mu = ptr(mean), istd = ptr(invStd), rm = ptr(runningMean), rv = ptr(runningVar)
        let n = batch * spatial
        parallelFor(channels) { _, cs in
            for c in cs {
                var sum = 0.0
                for b in 0..<batch {
                    let p = x + (b * channels + c) * spatial
                    for i in 0..<spatial { sum += Double(p[i]) }
                }
                let m = sum / Double(n)
                var sq = 0.0
                for b in 0..<batch {
                    let p = x + (b * channels + c) * spatial
                    for i in 0..<spatial { let d = Double(p[i]) - m; sq += d * d }
                }
                let variance = sq / Double(n)
                let inv = Float(1 / (variance + Double(epsilon)).squareRoot())
                mu[c] = Float(m); istd[c] = inv
                let unbiased = n > 1 ? variance * Double(n) / Double(n - 1) : variance
                rm[c] = (1 - momentum) * rm[c] + momentum * Float(m)
                rv[c] = (1 - momentum) * rv[c] + momentum * Float(unbiased)
                let scale = gm[c] * inv, shift = bt[c] - Float(m) * scale
                for b in 0..<batch {
                    let p = x + (b * channels + c) * spatial, q = y + (b * channels + c) * spatial
                    for i in 0..<spatial { q[i] = p[i] * scale + shift }
                }
            }
        }
    }

    public func batchNormForwardInference(x: DeviceBuffer, gamma: DeviceBuffer, beta: DeviceBuffer, y: DeviceBuffer,
                                          runningMean: DeviceBuffer, runningVar: DeviceBuffer,
                                          epsilon: Float, batch: Int, channels: Int, spatial: Int) {
        let x = ptr(x), gm = ptr(gamma), bt = ptr(beta), y = ptr(y), rm = ptr(runningMean), rv = ptr(runningVar)
        parallelFor(batch) { _, bs in
            for b in bs {
                for c in 0..<channels {
                    let scale = gm[c] / sqrtf(rv[c] + epsilon), shift = bt[c] - rm[c] * scale
                    let p = x + (b * channels + c) * spatial, q = y + (b * channels + c) * spatial
                    for i in 0..<spatial { q[i] = p[i] * scale + shift }
                }
            }
        }
    }

    public func batchNormBackward(x: DeviceBuffer, dy: DeviceBuffer, gamma: DeviceBuffer,
                                  mean: DeviceBuffer, invStd: DeviceBuffer,
                                  dx: DeviceBuffer, dGamma: DeviceBuffer, dBeta: DeviceBuffer,
                                  batch: Int, channels: Int, spatial: Int) {
        let x = ptr(x), dy = ptr(dy), gm = ptr(gamma), mu = ptr(mean), istd = ptr(invStd)
        let dx = ptr(dx), dg = ptr(dGamma), dbt = ptr(dBeta)
        let n = Float(batch * spatial)
        parallelFor(channels) { _, cs in
            for c in cs {
                let m = mu[c], inv = istd[c]
                var sumDy = 0.0, sumDyXhat = 0.0
                for b in 0..<batch {
                    let p = x + (b * channels + c) * spatial, g = dy + (b * channels + c) * spatial
                    for i in 0..<spatial {
                        sumDy += Double(g[i]); sumDyXhat += Double(g[i] * (p[i] - m) * inv)
                    }
                }
                dbt[c] = Float(sumDy); dg[c] = Float(sumDyXhat)
                let k = gm[c] * inv / n, a = Float(sumDy), bb = Float(sumDyXhat)
                for b in 0..<batch {
                    let p = x + (b * channels + c) * spatial, g = dy + (b * channels + c) * spatial
                    let q = dx + (b * channels + c) * spatial
                    for i in 0..<spatial {
                        let xhat = (p[i] - m) * inv
                        q[i] = k * (n * g[i] - a - xhat * bb)
                    }
                }
            }
        }
    }
}
