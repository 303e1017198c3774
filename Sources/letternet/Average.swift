import ArgumentParser
import FileIO
import Foundation
import Letters
import NeuralNet

/// `letternet average --model A --model B … --data LETTERS --out M.lnet`: one classifier whose weights
/// are the mean of several copies of one network (stochastic weight averaging).
struct Average: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Average the weights of several letter classifiers of one architecture into one (SWA).",
        discussion: """
            Reads two or more models of the same architecture (--model: .lnet files, or a run's resumable \
            OUT.ckpt), typically the models a run keeps after its last epochs (train --keep-epochs), and \
            writes one whose every weight is their mean: it reads as fast as one of them, unlike an ensemble. \
            Batch normalization is then re-estimated on --data: --batches training batches, class-balanced \
            and augmented as train draws them (--no-augment: the letters as they are). The model records \
            the files it averages (averaged_from) and the letters it re-estimated on (batch_norm_from).

            Example:
              letternet train --data letters.npz --epochs 12 --keep-epochs --out run.lnet
              letternet average --model run.epoch11.lnet --model run.epoch12.lnet \\
                --data letters.npz --out averaged.lnet
            """)

    @Option(name: .long, parsing: .singleValue, help: "Model to average (repeat; at least two).") var model: [PathArgument] = []
    @OptionGroup var data: LetterFiles
    @Option(parsing: .unconditional, help: "Training batches that re-estimate batch normalization.") var batches = 200
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Letters per batch.") var batchSize = 128
    @Flag(name: .customLong("no-augment"), help: "Re-estimate on the letters as they are, not augmented.") var noAugment = false
    @OptionGroup var seed: SeedChoice<AveragingSeeds>
    @OptionGroup var device: DeviceChoice
    @Option(help: "Where to write the averaged model.") var out: PathArgument

    func validate() throws {
        if model.count < 2 { throw ValidationError("give at least two --model files to average") }
        try [OptionRange.int("--batches", batches, 1...1_000_000), .int("--batch-size", batchSize, 1...8192)].check()
    }

    func run() throws {
        try reportingErrors {
            try OutputGuard.check(outputs: [.init("--out", out.path)],
                                  inputs: data.inputs + model.map { .init("--model", $0.path) })
            let members = try model.map { (source: $0.path, checkpoint: try Checkpoint.read(from: $0.url)) }
            let letters = try data.load(for: "average")
            var recalibration = ClassifierAveraging.Recalibration()
            recalibration.batches = batches; recalibration.batchSize = batchSize; recalibration.seed = seed.value
            if noAugment { recalibration.augmentation = .none }
            let averaged = try device.run { backend, _ in
                let classifier = try ClassifierAveraging(members: members)
                    .average(letters: letters, dataNames: data.paths, recalibration: recalibration, backend: backend)
                try backend.checkHealthy()
                return classifier.checkpoint()
            }
            try averaged.write(to: out.url)
            print("wrote \(out): the mean of \(members.count) models (\(averaged.metadata["architecture"] ?? "?")), "
                  + "batch norm from \(averaged.metadata["batch_norm_from"] ?? "nothing: the network has none")")
        }
    }
}
