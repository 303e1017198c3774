import ArgumentParser
import Foundation
import Letters
import NeuralNet

struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a letter classifier.",
        discussion: """
        Reads labelled 28×28 letters (course npz, any npz with x and y, EMNIST idx files), holds out a \
        seeded validation split, trains with random affine augmentation and writes the model with the best \
        validation accuracy. After every epoch a resumable checkpoint (OUT.ckpt) is rewritten atomically. \
        --report also writes an HTML page: loss, accuracy, learning rate and speed per epoch, and the settings; \
        --log a CSV with a header and one row per epoch (epoch, train_loss, train_accuracy, val_loss, \
        val_accuracy, learning_rate, images_per_second, seconds).

        Example:
          letternet train --data training-dataset.npz --arch cnn --epochs 20
          letternet train --data letters.npz --out letters.lnet --report train.html
          letternet train --data letters.npz --out letters.lnet --log metrics.csv
        """)

    @OptionGroup var data: WeightedLetterFiles
    @Option(help: "Architecture: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")).")
    var arch: Architecture = .cnn
    @OptionGroup var device: DeviceChoice
    @Option(parsing: .unconditional, help: "Number of epochs.") var epochs = 20
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Images per step.") var batchSize = 128
    @Option(parsing: .unconditional, help: "Peak learning rate.") var lr: Float = 2e-3
    @Option(name: .customLong("weight-decay"), parsing: .unconditional, help: "Weight decay (decoupled for AdamW).") var weightDecay: Float = 5e-4
    @Option(help: "Optimizer: adamw or sgd.") var optimizer: TrainingOptions.OptimizerKind = .adamw
    @Option(help: "Learning-rate schedule: cosine, onecycle or constant.") var schedule: TrainingOptions.ScheduleKind = .cosine
    @OptionGroup var seed: SeedChoice<TrainingSeeds>
    @Option(name: .customLong("validation"), parsing: .unconditional, help: "Share of images held out for validation.") var validation = 0.05
    @Option(parsing: .unconditional, help: "Early stopping: epochs without validation improvement (0 = never).") var patience = 6
    @Flag(name: .customLong("no-augment"), help: "Train on the images as they are.") var noAugment = false
    @Option(parsing: .unconditional, help: "Also distort elastically: displacements of this many pixels (34 is Simard et al.'s; 0 = off).")
    var elastic: Float = 0
    @Option(name: .customLong("label-smoothing"), parsing: .unconditional,
            help: "Label smoothing ε: the loss's target puts 1 − ε on the label and ε/26 on every class (0 = off; 0.1 is usual).")
    var labelSmoothing: Float = 0
    @Option(parsing: .unconditional,
            help: "Train on this many letters cut from synthesized real-layout strips (neighbours' strokes, overlaps and noise in the window) instead of the letters alone; for the strip reader's second pass (0 = off).")
    var windows = 0
    @Flag(help: "Class-balanced epochs: every class drawn equally often however unbalanced the files are (recorded in the checkpoint).")
    var balance = false
    @Option(name: .customLong("max-steps"), parsing: .unconditional, help: "Stop after this many steps (for quick trials).") var maxSteps: Int?
    @Option(help: "Where to write the trained model.") var out = PathArgument("letters.lnet")
    @Flag(help: "Continue the run saved in OUT.ckpt.") var resume = false
    @Flag(name: .customLong("keep-epochs"), help: "Also keep each epoch's model as OUT.epochN.lnet (for letternet average).")
    var keepEpochs = false
    @Option(help: "Start from this model's weights instead of random ones (fine-tuning; same --arch).") var initial: PathArgument?
    @OptionGroup var report: ReportFile
    @OptionGroup var log: MetricsLogFile

    /// Every numeric option and the values it accepts (checked before anything is read).
    var optionRanges: [OptionRange] {
        [.int("--epochs", epochs, 1...100_000),
         .int("--batch-size", batchSize, 1...8192),
         .real("--lr", lr, 0...10, lowerOpen: true),
         .real("--weight-decay", weightDecay, 0...1),
         .real("--validation", validation, 0...0.99),
         .int("--patience", patience, 0...100_000),
         .real("--elastic", elastic, 0...100),
         .real("--label-smoothing", labelSmoothing, 0...0.99),
         .int("--max-steps", maxSteps, 1...1_000_000_000),
         .int("--windows", windows, 0...5_000_000)]
    }

    func validate() throws {
        try optionRanges.check()
        try MemoryBudget.check(NetworkMemory.trainingBytes(layers: arch.layers, inputShape: Architecture.inputShape, batch: batchSize),
                               for: "training \(arch.rawValue) in batches of \(batchSize)", lower: "--batch-size")
    }

    var options: TrainingOptions {
        var o = TrainingOptions()
        o.architecture = arch; o.epochs = epochs; o.batchSize = batchSize; o.learningRate = lr
        o.weightDecay = weightDecay; o.optimizer = optimizer; o.schedule = schedule; o.seed = seed.value
        o.validationFraction = validation; o.patience = patience; o.maxSteps = maxSteps
        if balance { o.balanced = true }
        if labelSmoothing > 0 { o.labelSmoothing = labelSmoothing }
        if windows > 0 { o.windows = windows }
        if noAugment { o.augmentation = .none }
        if elastic > 0 && !noAugment { o.elastic = ElasticDistortion(alpha: elastic) }
        return o
    }

    func run() throws {
        try reportingErrors {
            let outURL = out.url, ckpt = out.checkpointURL
            try OutputGuard.check(
                outputs: [.init("--out", out.path), .init("the checkpoint OUT.ckpt", ckpt.path)] + report.outputs + log.outputs
                    + (keepEpochs ? (1...epochs).map { .init("--keep-epochs", epochURL($0).path) } : []),
                inputs: data.inputs + (initial.map { [.init("--initial", $0.path)] } ?? []))
            var (sets, repeats) = try data.load()
            let names = sets.map(\.name), sizes = sets.map { "\($0.name) (\($0.count))" }.joined(separator: ", ")
            var all = LetterDataset.concatenated(sets)
            try SmallData.requireImages(all, files: data.paths, for: "train")
            if windows > 0 {  // letters as they appear in strips, drawn class-balanced with the files' weights
                try MemoryBudget.check(Double(windows) * 784 * 4 * 2, for: "\(windows) letters cut from strips", lower: "--windows")
                all = LetterWindowSet().make(from: all, repeats: repeats, count: windows, seed: seed.value)
                repeats = Array(repeating: 1, count: windows)
                note("cut \(windows) letters from synthesized strips")
            }
            // The pixels and one index per image seen in an epoch (FILE@N repeats it N times).
            try MemoryBudget.check(Double(all.images.count) * 4 + Double(repeats.reduce(0, +)) * 16,
                                   for: "\(all.count) images seen \(repeats.reduce(0, +)) times an epoch", lower: "the weights after @")
            sets = []  // the pixels are kept once, in `all` (the course file: 124,800 × 784 floats, 391 MB)
            let base = try initial.map { try Checkpoint.read(from: $0.url) }
            let provenance = data.provenance(initial: initial.flatMap { i in base.map { (i.path, $0) } })
            // Whether OUT.ckpt holds this run (--resume, or an epoch finished): a device failure then
            // continues from it on the CPU (--device auto) or says how to.
            var checkpointed = resume
            let advice = {
                checkpointed
                    ? "\(ckpt.path) holds the run up to its last complete epoch; continue with:\n  \(resumeCommandLine(device: "cpu"))"
                    : "no epoch was completed, nothing was written; run again with --device cpu or --device auto"
            }
            let (trainer, backend) = try device.run(advice: advice()) { backend, fallback in
                let trainer = Trainer(options: options, images: all.images, labels: all.labels, repeats: repeats, backend: backend)
                if checkpointed {
                    try trainer.resume(fromFileAt: ckpt)
                    note("resuming after epoch \(trainer.history.count), step \(trainer.step)\(fallback ? " on the CPU" : "")")
                } else if let initial, let base {
                    let (loss, accuracy) = try trainer.start(fromInitial: base, source: initial.path)
                    print(String(format: "epoch 0 (%@): val loss %.4f acc %.2f%%", initial.path, loss, 100 * accuracy))
                }
                let metrics = try log.path.map {
                    try MetricsLog(url: $0.url, columns: Self.logColumns, keepingUpTo: checkpointed ? trainer.history.count : nil)
                }
                note("training \(arch.rawValue) (\(trainer.classifier.model.parameterCount) parameters) on \(backend.name): "
                     + "\(trainer.trainIndices.count) images, \(trainer.validationIndices.count) held out for validation; "
                     + sizes)
                try runEpochs(trainer, checkpoint: ckpt, saved: {
                    checkpointed = true
                    if let metrics, let r = trainer.history.last {
                        try metrics.add([r.epoch, r.trainLoss, r.trainAccuracy, r.validationLoss, r.validationAccuracy,
                                         r.learningRate, r.imagesPerSecond, r.seconds])
                    }
                    if keepEpochs {
                        try trainer.currentModel(provenance: provenance).write(to: epochURL(trainer.history.count))
                    }
                })
                return (trainer, backend)
            }
            let best = trainer.bestModel(provenance: provenance)
            try best.write(to: outURL)
            if let report = report.path {
                try TrainingReport(trainer: trainer, device: backend.name, data: names).write(to: report.url)
                print("wrote \(report)")
            }
            print("wrote \(outURL.path) (best validation accuracy \(best.metadata["validation_accuracy"] ?? "n/a"), epoch \(best.metadata["epoch"] ?? "?"))")
        }
    }

    /// The columns of `--log`: one row per epoch.
    static let logColumns = ["epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "learning_rate",
                             "images_per_second", "seconds"]

    /// Where `--keep-epochs` keeps epoch `n`'s model: OUT.epochN.lnet (OUT without its `.lnet`).
    func epochURL(_ n: Int) -> URL {
        let stem = out.url.pathExtension == "lnet" ? out.url.deletingPathExtension() : out.url
        return URL(fileURLWithPath: stem.path + ".epoch\(n).lnet")
    }

}

extension Train {
    /// Runs the trainer with a progress bar and one line per epoch; Ctrl-C stops it with a message
    /// on how to resume (exit status 130).
    func runEpochs(_ trainer: Trainer, checkpoint: URL, saved: () throws -> Void) throws {
        var bar: ProgressBar?
        Interrupt.install()
        do {
            try trainer.run(checkpoint: checkpoint, shouldStop: { Interrupt.requested }, progress: { p in
                if bar == nil || p.batch == 1 { bar = ProgressBar(total: p.batches, label: "epoch \(p.epoch)/\(p.epochs)") }
                bar?.update(p.batch, detail: String(format: "loss %.4f acc %.2f%% %.0f img/s ETA %@",
                                                    p.loss, 100 * p.accuracy, p.imagesPerSecond, formatDuration(p.eta)))
            }, epochDone: { r in
                bar?.finish(); bar = nil
                try saved()
                print(String(format: "epoch %d: train loss %.4f acc %.2f%% | val loss %.4f acc %.2f%% | lr %.2e | %.0f img/s | %@",
                             r.epoch, r.trainLoss, 100 * r.trainAccuracy, r.validationLoss, 100 * r.validationAccuracy,
                             r.learningRate, r.imagesPerSecond, formatDuration(r.seconds)))
                fflush(stdout)
            })
        } catch TrainingError.interrupted(let epochs) {
            bar?.finish()
            note(epochs > 0
                 ? "interrupted: \(checkpoint.path) holds the run after epoch \(epochs); continue with:\n  \(resumeCommandLine())"
                 : "interrupted before the first epoch ended; nothing to resume")
            throw ExitCode(130)
        } catch {
            bar?.finish()
            throw error
        }
    }
}

extension Architecture: ExpressibleByArgument {}
extension TrainingOptions.OptimizerKind: ExpressibleByArgument {}
extension TrainingOptions.ScheduleKind: ExpressibleByArgument {}
