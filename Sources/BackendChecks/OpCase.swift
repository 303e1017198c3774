import NeuralNet

/// One backend op on one shape, as a row of the op-case table (`OpCases.all`): the operands it reads
/// and writes with their starting values, the op itself, and which outputs are checked.
///
/// A case runs on any `Backend`, so the same row serves two checks (ggml's `test-backend-ops` idea):
/// - parity: the case on a backend against the same case on `CPUBackend` (`OpParity`), by the
///   normalized squared error of each checked output, which must not exceed `tolerance`;
/// - gradients: a backward case names, in `derivative`, the forward op it differentiates, so a
///   finite-difference check can perturb `derivative.input` in the forward case of the same group and
///   shape (operands of the same name hold the same values there) and compare with `derivative.result`.
///
/// Outputs start as seeded garbage, which checks that every op overwrites its outputs.
public struct OpCase {
    /// An operand's name and starting values.
    public struct Operand {
        public let name: String
        public let values: [Float]
    }

    /// For a backward op: `result = ∂(Σ forwardOutput · outputGradient) / ∂input` of `forwardOp`.
    public struct Derivative {
        public let forwardOp: String
        public let input: String
        public let forwardOutput: String
        public let outputGradient: String
        public let result: String
    }

    /// The device buffers of a run, by operand name.
    public struct Buffers {
        let buffers: [String: DeviceBuffer]
        public subscript(_ name: String) -> DeviceBuffer {
            guard let b = buffers[name] else { preconditionFailure("op case has no operand \(name)") }
            return b
        }
    }

    /// The op checked, e.g. `conv2d_backward_input` (a kernel's name where there is one).
    public let op: String
    /// The op's group within its family (`OpCases.families`): an op with its backward ops (`conv2d`,
    /// `linear`, `relu`, …); cases of one group and shape share their operands.
    public let group: String
    /// The shape in words, e.g. `N3 C1 13x13 O5 k3 s1 p1`.
    public let shape: String
    /// The largest normalized squared error allowed for each checked output.
    public let tolerance: Double
    public let operands: [Operand]
    /// The outputs compared, in order.
    public let outputs: [String]
    public let derivative: Derivative?
    /// Runs the op (and whatever it needs first, e.g. the forward pass of a backward op).
    public let body: (Backend, Buffers) -> Void
    /// A property the outputs must have on every backend; returns what is wrong, or nil.
    public let property: ((_ values: (String) -> [Float]) -> String?)?

    public init(op: String, group: String, shape: String, tolerance: Double,
                operands: [Operand], outputs: [String], derivative: Derivative? = nil,
                property: ((_ values: (String) -> [Float]) -> String?)? = nil,
                body: @escaping (Backend, Buffers) -> Void) {
        self.op = op; self.group = group; self.shape = shape; self.tolerance = tolerance
        self.operands = operands; self.outputs = outputs
        self.derivative = derivative; self.property = property; self.body = body
    }

    /// The operand `name`'s starting values.
    public func values(of name: String) -> [Float] {
        guard let o = operands.first(where: { $0.name == name }) else { preconditionFailure("no operand \(name)") }
        return o.values
    }

    /// The same case with operand `name` starting from `values` (e.g. an input nudged for finite differences).
    public func replacing(_ name: String, with values: [Float]) -> OpCase {
        OpCase(op: op, group: group, shape: shape, tolerance: tolerance,
               operands: operands.map { $0.name == name ? Operand(name: name, values: values) : $0 },
               outputs: outputs, derivative: derivative, property: property, body: body)
    }

    /// Runs the case on `backend` from fresh buffers; returns the checked outputs and what `property` found.
    public func run(on backend: Backend) -> (outputs: [String: [Float]], problem: String?) {
        var buffers: [String: DeviceBuffer] = [:]
        for o in operands {
            let b = backend.makeBuffer(count: o.values.count)
            o.values.withUnsafeBufferPointer { backend.upload($0, to: b) }
            buffers[o.name] = b
        }
        let all = Buffers(buffers: buffers)
        body(backend, all)
        var downloaded: [String: [Float]] = [:]
        func values(_ name: String) -> [Float] {
            if let v = downloaded[name] { return v }
            let v = backend.download(all[name])
            downloaded[name] = v
            return v
        }
        let problem = property?(values)
        return (Dictionary(uniqueKeysWithValues: outputs.map { ($0, values($0)) }), problem)
    }
}
