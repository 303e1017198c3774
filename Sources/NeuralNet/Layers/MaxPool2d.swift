/// Max pooling over NCHW input, as `torch.nn.MaxPool2d(kernelSize, stride)` without padding.
public final class MaxPool2d: Layer {
    public let kernelSize: Int, stride: Int
    let backend: Backend
    var inputShape: [Int]?, output: Tensor?, indices: Tensor?, inputGradient: Tensor?

    public init(kernelSize: Int, stride: Int? = nil, backend: Backend) {
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.backend = backend
    }

    public var spec: LayerSpec { Kind(kernelSize: kernelSize, stride: stride).spec }

    func geometry(_ s: [Int]) -> Pool2dGeometry {
        precondition(s.count == 4 && s[2] >= kernelSize && s[3] >= kernelSize, "MaxPool2d expects [N, C, H, W], got \(s)")
        return Pool2dGeometry(batch: s[0], channels: s[1], inHeight: s[2], inWidth: s[3],
                              kernelSize: kernelSize, stride: stride)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let shape = outputShape(for: x.shape)
        let y = reuse(&output, shape: shape, on: backend)
        // Argmax indices only for a backward pass to come.
        let idx = training ? reuse(&indices, shape: shape, on: backend) : nil
        backend.maxPool2dForward(x: x.buffer, y: y.buffer, indices: idx?.buffer, geometry: geometry(x.shape))
        inputShape = training ? x.shape : nil
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard let shape = inputShape, let idx = indices else {
            preconditionFailure("MaxPool2d.backward called before a training forward")
        }
        let dx = reuse(&inputGradient, shape: shape, on: backend)
        backend.maxPool2dBackward(dy: dy.buffer, indices: idx.buffer, dx: dx.buffer, geometry: geometry(shape))
        return dx
    }
}

extension MaxPool2d {
    /// A max pooling as a checkpoint describes it (`LayerSpec.maxPool2d`).
    struct Kind: LayerKind {
        let kernelSize: Int, stride: Int

        var spec: LayerSpec { .maxPool2d(kernelSize: kernelSize, stride: stride) }
        var receptiveField: ReceptiveField? { ReceptiveField(kernel: kernelSize, stride: stride, padding: 0) }
        var shortName: String { "pool\(kernelSize)" }
        var onnxNodeName: String { "max_pool" }

        func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem> {
            let (k, s) = (kernelSize, stride)
            guard (1...LayerLimits.window).contains(k), (1...LayerLimits.window).contains(s) else { return refuse("invalid sizes") }
            guard shape.count == 3, shape[1] >= k, shape[2] >= k else { return refuse("expects [C, H≥\(k), W≥\(k)], gets \(shape)") }
            let g = Pool2dGeometry(batch: 1, channels: shape[0], inHeight: shape[1], inWidth: shape[2], kernelSize: k, stride: s)
            return .success([shape[0], g.outHeight, g.outWidth])
        }

        func make(_ builder: inout LayerBuilder) -> Layer {
            MaxPool2d(kernelSize: kernelSize, stride: stride, backend: builder.backend)
        }

        func appendONNX<Graph: ONNXGraphWriter>(to graph: inout Graph, input: String, tensors: [String], output: String) -> String {
            graph.node("MaxPool", [input], output: output,
                       attributes: [.ints("kernel_shape", [kernelSize, kernelSize]), .ints("strides", [stride, stride])])
        }
    }
}
