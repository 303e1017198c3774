/// Deepening a trained network without changing what it computes (Net2DeeperNet, Chen et al. 2016):
/// new layers start as identities, so training continues from the trained network's accuracy with
/// more capacity to use.
extension Checkpoint {
    /// This checkpoint with `inserted` placed before layer `index`, each new convolution an identity
    /// (centre tap 1 from channel c to channel c, every other weight and bias 0). Later layers' tensors
    /// are renumbered. Only square, odd, shape-keeping convolutions (in = out channels, padding k/2)
    /// and ReLUs can be inserted; a ReLU is an identity only where its input is ≥ 0, so insert after
    /// a ReLU (or a pooling of one).
    public func insertingIdentityLayers(_ inserted: [LayerSpec], at index: Int) -> Checkpoint {
        precondition((0...layers.count).contains(index), "insertion point \(index) outside 0…\(layers.count)")
        var out = Checkpoint(inputShape: inputShape, layers: Array(layers[..<index]) + inserted + Array(layers[index...]),
                             metadata: metadata, tensors: [])
        let shift = inserted.count
        for t in tensors {
            let parts = t.name.split(separator: ".", maxSplits: 1)
            if parts.count == 2, let i = Int(parts[0]), i >= index {
                out.tensors.append(("\(i + shift).\(parts[1])", t.shape, t.values))
            } else {
                out.tensors.append(t)
            }
        }
        for (offset, spec) in inserted.enumerated() {
            switch spec {
            case let .conv2d(i, o, k, stride, padding):
                precondition(i == o && k % 2 == 1 && stride == 1 && padding == k / 2,
                             "only shape-keeping convolutions start as identities")
                var w = [Float](repeating: 0, count: o * i * k * k)
                for c in 0..<o { w[((c * i + c) * k + k / 2) * k + k / 2] = 1 }
                let kind = Conv2d.Kind(inChannels: i, outChannels: o, kernelSize: k, stride: stride, padding: padding)
                out.tensors.append(("\(index + offset).\(kind.weight.name)", kind.weight.shape, w))
                out.tensors.append(("\(index + offset).\(kind.bias.name)", kind.bias.shape, [Float](repeating: 0, count: o)))
            case .relu:
                break
            default:
                preconditionFailure("\(spec) has no identity to start from")
            }
        }
        return out
    }
}
