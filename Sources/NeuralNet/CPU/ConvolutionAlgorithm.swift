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

    /// Whether this choice runs `pass` of `g` through Winograd.
    public func usesWinograd(_ g: Conv2dGeometry, pass: ConvolutionPass = .forward) -> Bool {
        guard Self.winogradApplies(g) else { return false }
        switch self {
        case .direct: return false
        case .winograd: return true
        case .auto: return Self.winogradPays(g, pass: pass)
        }
    }

    /// How `CPUBackend` computes a forward convolution.
    public enum ForwardKernel: String, Sendable {
        /// Unfolded patches (im2col) and one GEMM: the plain path every other one is tested against.
        case im2col
        /// Winograd F(2×2, 3×3) (CPUBackend+Winograd.swift).
        case winograd
        /// A k×k kernel on a one-row map as a 1×k convolution (CPUBackend+OneRow.swift).
        case oneRow
        /// A direct convolution of one-channel images, no im2col (CPUBackend+OneChannel.swift).
        case oneChannel
        /// A kernel covering the whole input height as 1-D Winograd F(2, 3) along the row (CPUBackend+RowWinograd.swift).
        case rowWinograd
    }

    /// The forward kernel this choice runs `g` with: `direct` is always im2col (the plain path);
    /// `winograd` forces Winograd where it applies; `auto` takes Winograd where `winogradPays`, else
    /// the one-row, one-channel or row-Winograd path where it applies (each measured faster wherever
    /// it applies: see their files), else im2col.
    public func forwardKernel(_ g: Conv2dGeometry) -> ForwardKernel {
        if self == .direct { return .im2col }
        if usesWinograd(g) { return .winograd }
        if self == .auto && Self.oneRowApplies(g) { return .oneRow }
        if self == .auto && Self.oneChannelApplies(g) { return .oneChannel }
        if self == .auto && Self.rowWinogradApplies(g) { return .rowWinograd }
        return .im2col
    }

    /// A one-row input (H = 1) giving a one-row output: only the kernel's row `padding` meets the
    /// input (the others fall on the zero padding rows), so a 1×k convolution gives the same output.
    public static func oneRowApplies(_ g: Conv2dGeometry) -> Bool {
        g.inHeight == 1 && g.outHeight == 1 && g.kernelSize > 1 && g.padding < g.kernelSize && g.outWidth > 0
    }

    /// One input channel, stride 1, and a kernel small enough for the direct path's block loop.
    public static func oneChannelApplies(_ g: Conv2dGeometry) -> Bool {
        g.inChannels == 1 && g.stride == 1 && g.kernelSize <= 7 && g.outHeight > 0 && g.outWidth > 0
    }

    /// A k×k kernel (k ≥ 3) covering its whole input height (padding 0, stride 1: one output row, the
    /// strip reader's 7×7 head), with rows wide enough for two-column tiles and products deep enough.
    public static func rowWinogradApplies(_ g: Conv2dGeometry) -> Bool {
        g.kernelSize >= 3 && g.inHeight == g.kernelSize && g.padding == 0 && g.stride == 1 && g.outWidth >= 8
            && g.inChannels * g.inHeight >= 16 && g.outChannels >= 16
    }

    /// The measured rule, the same for all three passes: Winograd wins once both channel counts make its
    /// 16 GEMMs deep enough, and where the tiles are not mostly padding. `letternet bench --convolutions`
    /// on the 2-core AMD EPYC (AVX-512, own GEMM) of this project, 2026-11-30, under load (ms, direct /
    /// Winograd, forward and input gradient): batch 128, 32→32 on 28×28: 107/42 and 61/43; 32→64 on
    /// 14×14: 63/19 and 68/57; 64→64 on 14×14: 120/28 and 98/81; the strip reader (batch 64) 32→64 on
    /// 14×98: 131/94 and 121/88; 64→64: 426/299 and 324/205. One input channel (the first layer): 25/21
    /// but 40/73 on strips, and its input gradient 16/38: direct. One-row maps (the reader's 192→192 on
    /// 1×43, where half of each tile is padding): 47/185 forward: direct. The weight gradient
    /// (CPUBackend+WinogradWeights.swift, AVX-512 transforms; 14:02 UTC, load 3.7): 32→32 on 28×28
    /// 25.6/16.9, 32→64 on 14×14 11.5/7.0, 64→64 23.3/15.3; the reader's 32→64 and 64→64 on 14×98
    /// 39.0/23.9 and 77.9/41.5; one input channel 2.3/12.7 (strips 10.8/48.0) and one-row maps
    /// 20.5/22.0: direct.
    static func winogradPays(_ g: Conv2dGeometry, pass: ConvolutionPass) -> Bool {
        let (c, o) = pass == .inputGradient ? (g.outChannels, g.inChannels) : (g.inChannels, g.outChannels)
        return c >= 16 && o >= 16 && g.outHeight >= 2 && g.outWidth >= 2
    }
}

/// The three convolutions of a layer's training step, each of which `ConvolutionAlgorithm` picks for.
public enum ConvolutionPass: String, Sendable, CaseIterable {
    /// `y = w ⋆ x + b`.
    case forward
    /// `dx` from `dy` and `w`.
    case inputGradient
    /// `dw` (and the bias gradient) from `x` and `dy`.
    case weightGradient
}
