/// A model's parameters moved into one buffer each for the values, the gradients and Adam's two
/// moments, so that one `adamUpdate` launch steps them all (instead of one launch per tensor).
///
/// The tensors that decay come first: elements below `decaying` take the weight decay and the
/// others none. Every `Parameter` keeps its tensors, now views of the flat buffers (`Tensor.move`),
/// so layers, checkpoints and folding see no difference; the moments are views too, one pair per
/// parameter in the parameters' order, as `Optimizer.stateTensors` names them.
final class FlatParameters {
    let values: DeviceBuffer, grads: DeviceBuffer, m: DeviceBuffer, v: DeviceBuffer
    /// Floats in each flat buffer, gaps between views included.
    let count: Int
    /// Elements below this take weight decay.
    let decaying: Int
    /// The moments, one pair per parameter, in the order they were given.
    let moments: [(m: Tensor, v: Tensor)]
    private let parameters: [Parameter]
    private let valueViews: [DeviceBuffer]

    init(_ parameters: [Parameter], on backend: Backend) {
        // Decaying tensors first, each group in the given order.
        let order = parameters.indices.filter { parameters[$0].decays } + parameters.indices.filter { !parameters[$0].decays }
        let counts = order.map { parameters[$0].value.count }
        let values = backend.makeBufferViews(counts: counts), grads = backend.makeBufferViews(counts: counts)
        let m = backend.makeBufferViews(counts: counts), v = backend.makeBufferViews(counts: counts)
        var moments = [(m: Tensor, v: Tensor)?](repeating: nil, count: parameters.count)
        var valueViews = [DeviceBuffer?](repeating: nil, count: parameters.count)
        for (slot, index) in order.enumerated() {
            let p = parameters[index]
            p.value.move(to: values.views[slot])
            valueViews[index] = values.views[slot]
            p.grad.move(to: grads.views[slot])
            moments[index] = (Tensor(buffer: m.views[slot], shape: p.value.shape, backend: backend),
                              Tensor(buffer: v.views[slot], shape: p.value.shape, backend: backend))
        }
        let decayingSlots = order.prefix { parameters[$0].decays }.count
        self.values = values.whole; self.grads = grads.whole; self.m = m.whole; self.v = v.whole
        self.count = values.whole.count
        self.decaying = decayingSlots == order.count ? values.whole.count
            : values.offsets[decayingSlots]
        self.moments = moments.map { $0! }
        self.parameters = parameters
        self.valueViews = valueViews.map { $0! }
    }

    /// Whether these are the flat buffers of `parameters` (the same objects, in the same order), whose
    /// tensors still live in them.
    func holds(_ parameters: [Parameter]) -> Bool {
        parameters.count == self.parameters.count
            && zip(parameters, self.parameters).allSatisfy { $0 === $1 }
            && zip(parameters, valueViews).allSatisfy { $0.value.buffer === $1 }
    }
}
