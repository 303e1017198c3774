import NeuralNet

/// Runs op cases on a backend and on a reference backend (the CPU) and compares them.
public enum OpParity {
    /// One case on `backend` against `reference`; `variant` names the implementation in the result.
    public static func check(_ opCase: OpCase, on backend: Backend, against reference: Backend,
                             variant: String = "") -> OpCheckResult {
        let expected = opCase.run(on: reference), actual = opCase.run(on: backend)
        var worst = 0.0, worstOutput: String?
        for name in opCase.outputs {
            let e = normalizedSquaredError(actual.outputs[name] ?? [], expected.outputs[name] ?? [])
            if worstOutput == nil || e > worst || e.isNaN { worst = e; worstOutput = name }
        }
        var problems = [String]()
        if let p = expected.problem { problems.append("reference: \(p)") }
        if let p = actual.problem { problems.append(p) }
        if let fault = backend.fault { problems.append("device fault: \(fault)") }
        return OpCheckResult(op: opCase.op, shape: opCase.shape, variant: variant, error: worst,
                             tolerance: opCase.tolerance, worstOutput: opCase.outputs.count > 1 ? worstOutput : nil,
                             problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    /// Every case on `backend` against `reference`; `variant` names the implementation in the results.
    /// `progress` sees each result as it comes.
    public static func check(_ cases: [OpCase], on backend: Backend, variant: String = "", against reference: Backend,
                             progress: (OpCheckResult) -> Void = { _ in }) -> [OpCheckResult] {
        cases.map { c in
            let r = check(c, on: backend, against: reference, variant: variant)
            progress(r)
            return r
        }
    }
}
