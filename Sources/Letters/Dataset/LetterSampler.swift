import NeuralNet

/// Draws letter indices from a dataset: uniformly over its images, or class-balanced
/// (`ClassBalancedSampler`), so that rare classes are seen as often as common ones.
public struct LetterSampler: Sendable {
    public let dataset: LetterDataset
    public let balanced: Bool
    let classBalanced: ClassBalancedSampler

    public init(_ dataset: LetterDataset, balanced: Bool) {
        self.dataset = dataset
        self.balanced = balanced
        classBalanced = ClassBalancedSampler(items: Array(dataset.labels.indices)) { dataset.labels[$0] - 1 }
    }

    /// Number of classes with at least one image.
    public var classCount: Int { classBalanced.classCount }

    /// One image index. The dataset must not be empty.
    public func draw<G: RandomNumberGenerator>(rng: inout G) -> Int {
        precondition(dataset.count > 0, "cannot draw from an empty letter set")
        guard balanced, let i = classBalanced.draw(rng: &rng) else { return Int.random(in: 0..<dataset.count, using: &rng) }
        return i
    }
}
