/// Flattens `[N, …]` to `[N, product(…)]`; a view, no copy.
public final class Flatten: Layer {
    var inputShape: [Int]?
    public init() {}
    public var spec: LayerSpec { .flatten }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        inputShape = x.shape
        return x.reshaped(outputShape(for: x.shape))
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let s = inputShape else { preconditionFailure("Flatten.backward called before forward") }
        return dy.reshaped(s)
    }
}

extension Flatten {
    /// A flatten as a checkpoint describes it (`LayerSpec.flatten`).
    struct Kind: LayerKind {
        var spec: LayerSpec { .flatten }
        /// Every output mixes all columns.
        var receptiveField: ReceptiveField? { nil }
        var shortName: String { "flat" }
        var onnxNodeName: String { "flatten" }

        func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem> {
            let (n, overflow) = shape.reduce((1, false)) { acc, d in
                let (m, o) = acc.0.multipliedReportingOverflow(by: d); return (m, acc.1 || o)
            }
            guard !overflow, n <= 1 << 40 else { return refuse("\(shape) has too many elements") }
            return .success([n])
        }

        func make(_ builder: inout LayerBuilder) -> Layer { Flatten() }

        func appendONNX<Graph: ONNXGraphWriter>(to graph: inout Graph, input: String, tensors: [String], output: String) -> String {
            graph.node("Flatten", [input], output: output, attributes: [.int("axis", 1)])
        }
    }
}
