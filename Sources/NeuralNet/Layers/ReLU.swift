/// Rectified linear unit, `max(x, 0)`.
public final class ReLU: Layer {
    let backend: Backend
    var output: Tensor?, inputGradient: Tensor?

    public init(backend: Backend) { self.backend = backend }

    public var spec: LayerSpec { .relu }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let y = reuse(&output, shape: x.shape, on: backend)
        backend.reluForward(x: x.buffer, y: y.buffer, count: x.count)
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let y = savedInput(output, "ReLU")
        let dx = reuse(&inputGradient, shape: y.shape, on: backend)
        backend.reluBackward(y: y.buffer, dy: dy.buffer, dx: dx.buffer, count: y.count)
        return dx
    }
}

extension ReLU {
    /// A ReLU as a checkpoint describes it (`LayerSpec.relu`).
    struct Kind: LayerKind {
        var spec: LayerSpec { .relu }
        var receptiveField: ReceptiveField? { ReceptiveField() }
        func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem> { .success(shape) }
        func make(_ builder: inout LayerBuilder) -> Layer { ReLU(backend: builder.backend) }
        var shortName: String { "relu" }
        var onnxNodeName: String { "relu" }
        func appendONNX<Graph: ONNXGraphWriter>(to graph: inout Graph, input: String, tensors: [String], output: String) -> String {
            graph.node("Relu", [input], output: output)
        }
    }
}
