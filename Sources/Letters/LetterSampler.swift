import NeuralNet

/// Draws letter indices from a dataset: uniformly over its images, or class-balanced (a class uniformly
/// among those present, then an image of that class uniformly), so that rare classes are seen as often
/// as common ones however unbalanced the files are.
public struct LetterSampler: Sendable {
    public let dataset: LetterDataset
    public let balanced: Bool
    /// Indices of each present class's images (classes without images are left out).
    let byClass: [[Int]]

    public init(_ dataset: LetterDataset, balanced: Bool) {
        self.dataset = dataset
        self.balanced = balanced
        var groups = [[Int]](repeating: [], count: 26)
        for (i, label) in dataset.labels.enumerated() where (1...26).contains(label) { groups[label - 1].append(i) }
        byClass = groups.filter { !$0.isEmpty }
    }

    /// Number of classes with at least one image.
    public var classCount: Int { byClass.count }

    /// One image index. The dataset must not be empty.
    public func draw<G: RandomNumberGenerator>(rng: inout G) -> Int {
        precondition(dataset.count > 0, "cannot draw from an empty letter set")
        guard balanced else { return Int.random(in: 0..<dataset.count, using: &rng) }
        let group = byClass[Int.random(in: 0..<byClass.count, using: &rng)]
        return group[Int.random(in: 0..<group.count, using: &rng)]
    }
}
