import Foundation

/// How `CPUBackend` computes a convolution: im2col + GEMM (`direct`), Winograd F(2×2, 3×3) where it
/// applies (3×3 kernels, stride 1, padding 0–2), or `auto`, the faster of the two for the layer's
/// shape by the rule in `winogradPays`. `LETTERNET_CONV=direct` (or `winograd`) sets a new
/// backend's choice, to rule out (or force) the fast path when debugging.
public enum ConvolutionAlgorithm: String, Sendable, CaseIterable {
    case auto, direct, winograd

    /// `LETTERNET_CONV`, or `auto` when unset or unknown.
    public static let environment: ConvolutionAlgorithm =
        ProcessInfo.processInfo.environment["LETTERNET_CONV"].flatMap(ConvolutionAlgorithm.init(rawValue:)) ?? .auto

    /// Whether Winograd can compute this convolution at all.
    public static func winogradApplies(_ g: Conv2dGeometry) -> Bool {
        g.kernelSize == 3 && g.stride == 1 && (0...2).contains(g.padding) && g.outHeight > 0 && g.outWidth > 0
    }

    /// Whether this choice runs `g` (forward, or the input gradient with `inputGradient`) through Winograd.
    public func usesWinograd(_ g: Conv2dGeometry, inputGradient: Bool = false) -> Bool {
        guard Self.winogradApplies(g) else { return false }
        switch self {
        case .direct: return false
        case .winograd: return true
        case .auto: return Self.winogradPays(g, inputGradient: inputGradient)
        }
    }

    /// The measured rule (see below): Winograd wins once both channel counts make its 16 GEMMs deep
    /// enough, and when the tiles are not mostly padding.
    static func winogradPays(_ g: Conv2dGeometry, inputGradient: Bool) -> Bool {
        let (c, o) = inputGradient ? (g.outChannels, g.inChannels) : (g.inChannels, g.outChannels)
        return c >= 16 && o >= 16 && g.outHeight >= 2 && g.outWidth >= 2
    }
}
