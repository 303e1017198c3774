import Foundation

/// The outcome of one check: an op case (or one part of a training step) on one backend against the
/// CPU reference.
public struct OpCheckResult: Sendable {
    public let op: String
    public let shape: String
    /// Which implementation ran, e.g. `perturbed` (empty for the backend as it is).
    public let variant: String
    /// The worst normalized squared error over the checked outputs (or the `measure` named).
    public let error: Double
    /// What `error` is: `nmse` (normalized squared error), or another measure in a few words.
    public let measure: String
    public let tolerance: Double
    /// The output with the worst error, when the op has several.
    public let worstOutput: String?
    /// A failed property or another problem beside the error, if any.
    public let problem: String?

    public init(op: String, shape: String, variant: String, error: Double, measure: String = "nmse",
                tolerance: Double, worstOutput: String? = nil, problem: String? = nil) {
        self.op = op; self.shape = shape; self.variant = variant; self.error = error; self.measure = measure
        self.tolerance = tolerance; self.worstOutput = worstOutput; self.problem = problem
    }

    public var passed: Bool { problem == nil && error <= tolerance }

    /// Op, shape and variant, e.g. `conv2d_forward [N3 C1 13x13 O5 k3 s1 p1, perturbed]`.
    public var name: String { "\(op) [\(shape)\(variant.isEmpty ? "" : ", " + variant)]" }

    /// One line: verdict, op, shape, variant, error and tolerance.
    public var line: String {
        func padded(_ s: String, _ width: Int) -> String { s.count >= width ? s : s + String(repeating: " ", count: width - s.count) }
        var text = (passed ? "ok    " : "FAIL  ") + padded(op, 28) + " " + padded(shape, 36) + " " + padded(variant, 13)
            + String(format: " %@ %9.2e  tol %7.0e", measure, error, tolerance)
        if !passed, let worstOutput { text += "  (worst: \(worstOutput))" }
        if let problem { text += "  " + problem }
        return text
    }
}
