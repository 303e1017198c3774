import Foundation
import NeuralNet

/// Several letter classifiers whose softmax outputs are averaged (an ensemble); one member behaves
/// exactly like that classifier.
public final class LetterEnsemble {
    public let members: [LetterClassifier]

    public init(members: [LetterClassifier]) {
        precondition(!members.isEmpty, "an ensemble needs at least one classifier")
        self.members = members
    }

    public convenience init(contentsOf urls: [URL], backend: Backend) throws {
        self.init(members: try urls.map { try LetterClassifier(contentsOf: $0, backend: backend) })
    }

    public var classes: Int { members[0].classes }

    /// Mean probabilities `[count, classes]`; with `shifts`, also averaged over one-pixel shifts.
    public func probabilities(images: [Float], count: Int, shifts: Bool = false,
                              progress: ((Int) -> Void)? = nil) -> [Float] {
        var sum = [Float](repeating: 0, count: count * classes)
        for (k, member) in members.enumerated() {
            let p = shifts ? member.probabilitiesWithShifts(images: images, count: count)
                : member.probabilities(images: images, count: count) { done in
                    progress?((k * count + done) / self.members.count)
                }
            for i in sum.indices { sum[i] += p[i] }
        }
        let scale = 1 / Float(members.count)
        return sum.map { $0 * scale }
    }
}
