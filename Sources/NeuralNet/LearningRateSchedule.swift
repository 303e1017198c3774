import Foundation

/// Learning rate as a function of the step, for a run of `totalSteps`.
public enum LearningRateSchedule: Codable, Equatable, Sendable {
    /// Constant rate.
    case constant(Float)
    /// Linear warm-up over `warmupSteps`, then cosine decay from `peak` to `peak · finalFraction`.
    case cosine(peak: Float, warmupSteps: Int, totalSteps: Int, finalFraction: Float)
    /// One-cycle: linear rise from peak/25 to `peak` over 30% of the run, then cosine decay to peak/1e4.
    case oneCycle(peak: Float, totalSteps: Int)

    /// The rate at 0-based `step`.
    public func rate(at step: Int) -> Float {
        switch self {
        case let .constant(r):
            return r
        case let .cosine(peak, warmup, total, final):
            if step < warmup { return peak * Float(step + 1) / Float(max(warmup, 1)) }
            let t = min(1, Float(step - warmup) / Float(max(total - warmup, 1)))
            let floor = peak * final
            return floor + (peak - floor) * 0.5 * (1 + Float(cos(Double.pi * Double(t))))
        case let .oneCycle(peak, total):
            let rise = max(1, Int(Float(total) * 0.3))
            if step < rise {
                let start = peak / 25
                return start + (peak - start) * Float(step) / Float(rise)
            }
            let t = min(1, Float(step - rise) / Float(max(total - rise, 1)))
            let floor = peak / 10_000
            return floor + (peak - floor) * 0.5 * (1 + Float(cos(Double.pi * Double(t))))
        }
    }
}
