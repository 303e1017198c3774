import Foundation
import NeuralNet

/// Letter classifiers of one architecture averaged weight by weight into one (`Sequential.loadAverage`,
/// SWA): typically the models a run kept after its last epochs (`train --keep-epochs`), or its resumable
/// checkpoints. Batch normalization is then re-estimated on training letters drawn, augmented and
/// normalised as the trainer draws them (class-balanced when asked), so the averaged network reads as
/// fast as one member.
public struct ClassifierAveraging {
    /// How the batch-normalization statistics are re-estimated.
    public struct Recalibration: Sendable {
        public var batches = 200
        public var batchSize = 128
        public var seed: UInt64 = 1
        public var augmentation = AffineAugmentation()
        public var balanced = true
        public init() {}
    }

    /// The members: where each came from (for errors and metadata) and its checkpoint.
    public let members: [(source: String, checkpoint: Checkpoint)]

    public init(members: [(source: String, checkpoint: Checkpoint)]) { self.members = members }

    /// The averaged classifier on `backend`. `letters` (with `dataNames`, for the metadata) re-estimate
    /// its batch normalization; they may be nil only for a network without batch normalization. Refuses
    /// members of different architectures or input normalizations, naming the first that differs.
    public func average(letters: LetterDataset?, dataNames: [String] = [], recalibration: Recalibration = .init(),
                        backend: Backend) throws -> LetterClassifier {
        guard let first = members.first else { throw CheckpointError("average", "no model to average") }
        let classifiers = try members.map { try LetterClassifier(checkpoint: $0.checkpoint, backend: backend, source: $0.source) }
        for (member, classifier) in zip(members, classifiers).dropFirst() {
            guard classifier.model.specs == classifiers[0].model.specs else {
                throw CheckpointError(member.source, "its architecture differs from \(first.source)'s: only copies of one network average")
            }
            guard classifier.normalization == classifiers[0].normalization else {
                throw CheckpointError(member.source, "its input normalization differs from \(first.source)'s")
            }
        }
        // The first member's network takes the mean (every member is read before any tensor is written).
        let model = classifiers[0].model
        model.loadAverage(of: classifiers.map(\.model))
        var metadata = first.checkpoint.metadata.filter { !Self.perRunKeys.contains($0.key) }
        metadata["averaged_from"] = members.map { Provenance.fileName($0.source) }.joined(separator: ", ")
        if !model.batchNormLayers.isEmpty {
            guard let letters, letters.count > 0 else {
                throw CheckpointError(first.source, "the network has batch normalization: give training letters to re-estimate it")
            }
            let read = model.recalibrateBatchNorm(batches: Self.batches(of: letters, recalibration: recalibration,
                                                                        normalization: classifiers[0].normalization, backend: backend))
            metadata["batch_norm_from"] = "\(read) batches of \(min(recalibration.batchSize, letters.count)) from "
                + (dataNames.isEmpty ? [letters.name] : dataNames).map(Provenance.fileName).joined(separator: ", ")
        }
        return LetterClassifier(model: model, normalization: classifiers[0].normalization, metadata: metadata)
    }

    /// Metadata of one training run that an average does not share.
    static let perRunKeys: Set<String> = ["epoch", "validation_accuracy", "best_metadata", "training_step",
                                          "optimizer_steps", "best_accuracy", "dropout_seeds"]

    /// `recalibration.batches` training batches of `letters`, drawn from a seeded generator.
    static func batches(of letters: LetterDataset, recalibration r: Recalibration, normalization: PixelNormalization,
                        backend: Backend) -> AnySequence<Tensor> {
        let size = max(1, min(r.batchSize, letters.count)), classes = letters.classIndices
        let sampler = ClassBalancedSampler(items: Array(0..<letters.count)) { classes[$0] }
        let buffers = ClassifierBatch(size: size, backend: backend)
        var rng = SeededGenerator(seed: r.seed ^ 0x5A5A_0F0F)
        var made = 0
        return AnySequence(AnyIterator {
            guard made < r.batches else { return nil }
            made += 1
            let picked = (0..<size).map { _ in
                r.balanced && sampler.classCount > 0 ? sampler.draw(rng: &rng)! : Int.random(in: 0..<letters.count, using: &rng)
            }
            return buffers.upload(ClassifierHostBatch(picked[...], from: letters.images, classes: classes,
                                                      augmentation: r.augmentation, elastic: nil,
                                                      normalization: normalization, rng: &rng)).input
        })
    }
}
