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

    /// Every case against `reference`: cases that depend on the kernel family on each of `variants`,
    /// the others on the first variant only (the backend's default). `progress` sees each result as it comes.
    public static func check(_ cases: [OpCase], variants: [(name: String, backend: Backend)], against reference: Backend,
                             progress: (OpCheckResult) -> Void = { _ in }) -> [OpCheckResult] {
        var results = [OpCheckResult]()
        for c in cases {
            for v in (c.dependsOnKernelPath ? variants : Array(variants.prefix(1))) {
                let r = check(c, on: v.backend, against: reference, variant: c.dependsOnKernelPath ? v.name : "")
                progress(r)
                results.append(r)
            }
        }
        return results
    }
}
