import NeuralNet

/// The letter classifiers the tool trains: 28×28 grayscale in, 26 class scores out.
public enum Architecture: String, CaseIterable, Codable, Sendable {
    /// Two VGG-style blocks (3×3 convolutions with batch norm), a 256-unit dense layer, dropout.
    case cnn
    /// A wider, deeper CNN: three blocks (32-64-128 channels).
    case cnnWide = "cnn-wide"
    /// Three VGG-style blocks of two convolutions each (32-32, 64-64, 128-128 channels).
    case cnnDeep = "cnn-deep"
    /// The baseline: one hidden layer of 256 units.
    case mlp
    /// A small ResNet: a 32-channel stem, then residual stages of 32 (28×28), 64 (14×14, projection
    /// shortcut) and 128 channels (7×7, projection), each after pooling but the first; about 0.61 M
    /// parameters and 1.3× `cnn-deep`'s multiply-adds.
    case resnet

    public static let classes = 26
    public static let inputShape = [1, 28, 28]

    public var layers: [LayerSpec] {
        switch self {
        case .cnn:
            return Self.twoBlocks + Self.head(features: 64 * 7 * 7)
        case .cnnWide:
            return Self.twoBlocks + Self.block(64, 128) + [Self.pool] + Self.head(features: 128 * 3 * 3)
        case .cnnDeep:
            return Self.twoBlocks + Self.block(64, 128) + Self.block(128, 128) + [Self.pool]
                + Self.head(features: 128 * 3 * 3)
        case .resnet:
            return Self.block(1, 32) + Self.stage(32, 32) + [Self.pool] + Self.stage(32, 64) + [Self.pool]
                + Self.stage(64, 128) + [Self.pool] + Self.head(features: 128 * 3 * 3)
        case .mlp:
            return [.flatten, .linear(inFeatures: 784, outFeatures: 256), .relu, .dropout(probability: 0.2),
                    .linear(inFeatures: 256, outFeatures: Self.classes)]
        }
    }

    static let pool = LayerSpec.maxPool2d(kernelSize: 2, stride: 2)

    /// The CNNs' common start: two pooled pairs of blocks, 32-32 then 64-64 channels (28×28 → 64×7×7).
    static let twoBlocks = block(1, 32) + block(32, 32) + [pool] + block(32, 64) + block(64, 64) + [pool]

    /// The CNNs' classifier: dropout, a 256-unit dense layer, dropout, 26 scores.
    static func head(features: Int) -> [LayerSpec] {
        [.flatten, .dropout(probability: 0.25), .linear(inFeatures: features, outFeatures: 256), .relu,
         .dropout(probability: 0.4), .linear(inFeatures: 256, outFeatures: classes)]
    }

    /// 3×3 convolution (padding 1), batch norm, ReLU.
    static func block(_ input: Int, _ output: Int) -> [LayerSpec] {
        [.conv2d(inChannels: input, outChannels: output, kernelSize: 3, stride: 1, padding: 1),
         .batchNorm2d(channels: output), .relu]
    }

    /// A basic residual block (He et al. 2016) then ReLU: two 3×3 convolutions with batch norm, plus
    /// the input, through a 1×1 convolution with batch norm where the channels change.
    static func stage(_ input: Int, _ output: Int) -> [LayerSpec] {
        let body = block(input, output) + [.conv2d(inChannels: output, outChannels: output, kernelSize: 3, stride: 1, padding: 1),
                                           .batchNorm2d(channels: output)]
        let shortcut = input == output ? [] : LayerSpec.projection(inChannels: input, outChannels: output, stride: 1)
        return [.residual(body: body, shortcut: shortcut), .relu]
    }
}

/// How raw pixels become network inputs: `(min(max(p, 0), ceiling)/255 − mean) / std`. The ceiling is 255
/// (values above it clipped) but for strip readers trained with `train-reader --input-ceiling`: strips
/// sum overlapping letters, up to 510, and a reader may see those sums.
public struct PixelNormalization: Codable, Equatable, Sendable {
    public var mean: Float = 0.17
    public var std: Float = 0.33
    /// The largest pixel value kept (nil: 255, every model before 2026-12-07's; metadata `input_ceiling`).
    public var ceiling: Float?
    public init() {}

    /// The ceiling in effect.
    @inline(__always) public var effectiveCeiling: Float { ceiling ?? 255 }

    @inline(__always) public func apply(_ pixel: Float) -> Float { (min(max(pixel, 0), effectiveCeiling) / 255 - mean) / std }

    /// Accepted ceilings: from clipping at 255 to keeping four letters' sum.
    public static let ceilingRange: ClosedRange<Float> = 255...1020

    /// Accepted normalization values: anything else cannot come from training on 0…1 inputs and would
    /// turn every input into garbage (a zero or NaN `std`, an infinite `mean`).
    public static let meanRange: ClosedRange<Float> = -100...100
    public static let stdRange: ClosedRange<Float> = 1e-4...100

    /// The normalization stored in a checkpoint's metadata (`input_mean`, `input_std`, `input_ceiling`); defaults where
    /// absent. A value that is not a number, or outside ``meanRange``/``stdRange``, is refused.
    public init(metadata: [String: String], source: String) throws {
        func value(_ key: String, _ range: ClosedRange<Float>) throws -> Float? {
            guard let text = metadata[key] else { return nil }
            guard let v = Float(text), range.contains(v) else {
                throw CheckpointError(source, "bad normalization metadata: \(key) is '\(text.prefix(40))', "
                                      + "expected a number in \(range.lowerBound)…\(range.upperBound)")
            }
            return v
        }
        if let m = try value("input_mean", Self.meanRange) { mean = m }
        if let s = try value("input_std", Self.stdRange) { std = s }
        if let c = try value("input_ceiling", Self.ceilingRange), c != 255 { ceiling = c }
    }

    /// `metadata` with this normalization recorded in it.
    public func recorded(in metadata: [String: String]) -> [String: String] {
        var meta = metadata
        meta["input_mean"] = "\(mean)"
        meta["input_std"] = "\(std)"
        if let ceiling { meta["input_ceiling"] = "\(ceiling)" }
        return meta
    }
}
