/// A residual block (He et al. 2016): `y = body(x) + shortcut(x)`, the shortcut the identity when it
/// has no layers. Backward sends dL/dy down both branches and adds the two input gradients that come back.
///
/// Its tensors are named by branch and position within the block (`body.0.weight`,
/// `shortcut.1.running_mean`), so a network names them `<block>.body.0.weight`, …; blocks nest.
public final class Residual: Layer {
    public let body: [Layer], shortcut: [Layer]
    let backend: Backend
    var output: Tensor?, inputGradient: Tensor?

    /// A block of existing layers (`LayerBuilder` builds them from a spec).
    init(body: [Layer], shortcut: [Layer], backend: Backend) {
        self.body = body; self.shortcut = shortcut; self.backend = backend
    }

    public var spec: LayerSpec { .residual(body: body.map(\.spec), shortcut: shortcut.map(\.spec)) }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        Self.branches(body, shortcut).flatMap { prefix, layer in
            layer.namedParameters.map { (prefix + $0.name, $0.parameter) }
        }
    }
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }
    public var stateTensors: [(name: String, tensor: Tensor)] {
        Self.branches(body, shortcut).flatMap { prefix, layer in layer.stateTensors.map { (prefix + $0.name, $0.tensor) } }
    }

    /// Every layer of the two branches with the prefix of its tensors' names (`body.0.`), body first.
    static func branches(_ body: [Layer], _ shortcut: [Layer]) -> [(prefix: String, layer: Layer)] {
        body.enumerated().map { ("body.\($0.offset).", $0.element) }
            + shortcut.enumerated().map { ("shortcut.\($0.offset).", $0.element) }
    }

    /// The shape rule of `LayerSpec.outputShape(for:)`, with the batch in front.
    public func outputShape(for s: [Int]) -> [Int] {
        switch spec.outputShape(for: Array(s.dropFirst())) {
        case let .success(shape): return [s[0]] + shape
        case let .failure(problem): preconditionFailure("Residual gets \(s): \(problem)")
        }
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let a = body.reduce(x) { $1.forward($0, training: training) }
        let b = shortcut.reduce(x) { $1.forward($0, training: training) }
        precondition(a.shape == b.shape, "Residual: body gives \(a.shape), shortcut \(b.shape)")
        let y = reuse(&output, shape: a.shape, on: backend)
        backend.add(a.buffer, b.buffer, out: y.buffer, count: y.count)
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let a = body.reversed().reduce(dy) { $1.backward($0) }
        let b = shortcut.reversed().reduce(dy) { $1.backward($0) }
        let dx = reuse(&inputGradient, shape: a.shape, on: backend)
        backend.add(a.buffer, b.buffer, out: dx.buffer, count: dx.count)
        return dx
    }
}

extension LayerSpec {
    /// The usual shortcut of a residual block that changes channels or resolution (He et al.'s
    /// option B): a 1×1 convolution with `stride`, then batch norm.
    public static func projection(inChannels: Int, outChannels: Int, stride: Int) -> [LayerSpec] {
        [.conv2d(inChannels: inChannels, outChannels: outChannels, kernelSize: 1, stride: stride, padding: 0),
         .batchNorm2d(channels: outChannels)]
    }
}
