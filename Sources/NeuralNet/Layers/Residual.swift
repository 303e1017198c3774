/// A residual block (He et al. 2016): `y = body(x) + shortcut(x)`, the shortcut the identity when it
/// has no layers. Backward sends dL/dy down both branches and adds the two input gradients that come back.
///
/// Its tensors are named by branch and position within the block (`body.0.weight`,
/// `shortcut.1.running_mean`, spelled by `Residual.prefixed`), so a network names them
/// `<block>.body.0.weight`, …; blocks nest.
public final class Residual: Layer {
    public let body: [Layer], shortcut: [Layer]
    let backend: Backend
    var output: Tensor?, inputGradient: Tensor?

    /// A block of existing layers (`LayerBuilder` builds them from a spec).
    init(body: [Layer], shortcut: [Layer], backend: Backend) {
        self.body = body; self.shortcut = shortcut; self.backend = backend
    }

    public var spec: LayerSpec { Kind(body: body.map(\.spec), shortcut: shortcut.map(\.spec)).spec }

    public var namedParameters: [(name: String, parameter: Parameter)] {
        Self.prefixed(body: body, shortcut: shortcut).flatMap { prefix, layer in
            layer.namedParameters.map { (prefix + $0.name, $0.parameter) }
        }
    }
    public var parameters: [Parameter] { namedParameters.map(\.parameter) }
    public var stateTensors: [(name: String, tensor: Tensor)] {
        Self.prefixed(body: body, shortcut: shortcut).flatMap { prefix, layer in
            layer.stateTensors.map { (prefix + $0.name, $0.tensor) }
        }
    }

    /// Every layer (or layer spec) of the two branches with the prefix of its tensors' names
    /// (`body.0.`, `shortcut.1.`), body first: the one spelling of a block's tensor names.
    static func prefixed<Item>(body: [Item], shortcut: [Item]) -> [(prefix: String, item: Item)] {
        body.enumerated().map { ("body.\($0.offset).", $0.element) }
            + shortcut.enumerated().map { ("shortcut.\($0.offset).", $0.element) }
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

    /// The block with each branch folded as a network is (`Sequential.folded`).
    public func foldedForInference(before following: ArraySlice<Layer>) -> (kept: [Layer], absorbed: Int) {
        ([Residual(body: Sequential.folded(body), shortcut: Sequential.folded(shortcut), backend: backend)], 0)
    }
}

extension Residual {
    /// A residual block as a checkpoint describes it (`LayerSpec.residual`).
    struct Kind: LayerKind {
        let body: [LayerSpec], shortcut: [LayerSpec]

        var spec: LayerSpec { .residual(body: body, shortcut: shortcut) }
        var branches: [[LayerSpec]] { [body, shortcut] }

        /// The branch layers' tensors under the block's names, each layer's in its own order.
        var tensorShapes: [TensorSlot] {
            Residual.prefixed(body: body, shortcut: shortcut).flatMap { prefix, layer in
                layer.checkpointTensorShapes.map { (prefix + $0.name, $0.shape) }
            }
        }

        var shortName: String { "residual[\(Self.short(body)) + \(Self.short(shortcut))]" }
        var onnxNodeName: String { "residual" }

        /// A branch's layers in short, or `identity`.
        static func short(_ branch: [LayerSpec]) -> String {
            branch.isEmpty ? "identity" : branch.map(\.shortName).joined(separator: " ")
        }

        /// The two branches' outputs are added, so they must look at the same places; the block sees
        /// what the wider of them sees.
        var receptiveField: ReceptiveField? {
            guard let a = ReceptiveField(of: body), let b = ReceptiveField(of: shortcut),
                  a.jump == b.jump, a.firstCentre == b.firstCentre else { return nil }
            return a.size >= b.size ? a : b
        }

        func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem> {
            func refuse(_ why: String) -> Result<[Int], ShapeProblem> { .failure(ShapeProblem(message: "residual block: \(why)")) }
            guard !body.isEmpty else { return refuse("empty body") }
            guard spec.nestingDepth <= LayerSpec.maxNesting else { return refuse("nested deeper than \(LayerSpec.maxNesting) blocks") }
            do {
                let a = try LayerSpec.chainShape(body, from: shape, naming: "body layer")
                let b = try LayerSpec.chainShape(shortcut, from: shape, naming: "shortcut layer")
                guard a == b else { return refuse("body gives \(a), shortcut \(b) for \(shape)") }
                return .success(a)
            } catch let problem as ShapeProblem {
                return refuse(problem.message)
            } catch {
                return refuse("\(error)")
            }
        }

        /// The layers of each branch in turn, depth first (so weights are drawn in layer order).
        func make(_ builder: inout LayerBuilder) -> Layer {
            let bodyLayers = body.map { builder.make($0) }
            return Residual(body: bodyLayers, shortcut: shortcut.map { builder.make($0) }, backend: builder.backend)
        }

        /// Each branch's nodes (named `<output>.body.0.conv`, …), the layers taking their tensors from
        /// `tensors` in turn (checkpoint order), then an `Add`; an empty shortcut passes `input` itself
        /// to the `Add`.
        func appendONNX<Graph: ONNXGraphWriter>(to graph: inout Graph, input: String, tensors: [String], output: String) -> String {
            var rest = tensors[...]
            func chain(_ layers: [LayerSpec], _ branch: String) -> String {
                layers.enumerated().reduce(input) { value, item in
                    let (j, layer) = item, n = layer.checkpointTensorShapes.count
                    defer { rest = rest.dropFirst(n) }
                    return layer.appendONNX(to: &graph, input: value, tensors: Array(rest.prefix(n)),
                                            output: "\(output).\(branch).\(j).\(layer.onnxNodeName)")
                }
            }
            let a = chain(body, "body"), b = chain(shortcut, "shortcut")
            return graph.node("Add", [a, b], output: output)
        }
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
