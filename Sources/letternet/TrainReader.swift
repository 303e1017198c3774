import ArgumentParser
import Foundation
import Letters
import NeuralNet

struct TrainReader: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train-reader",
        abstract: "Train the strip reader on strips synthesized from labelled letters.",
        discussion: """
        Synthesizes noisy strips on the fly (5 letters in 150 px, 4 in 140 and 168 px) from --data, trains \
        the sliding-window network, and measures exact-match accuracy on strips made from a held-out split \
        of the letters every --eval-every steps, keeping the best model in OUT (--keep last: the last \
        validated one, the end of the schedule). After every validation a \
        resumable checkpoint (OUT.ckpt) is rewritten atomically; --resume continues it (Ctrl-C says how). \
        --log writes a CSV with a header and one row per validation (step, train_loss, val_top1, val_top5, \
        val_letters, learning_rate, strips_per_second, seconds).

        Example:
          letternet train-reader --data letters.npz --steps 6000 --out reader.lnet
          letternet train-reader --data letters.npz --steps 6000 --log metrics.csv
        """)

    @OptionGroup var data: WeightedLetterFiles
    @Option(parsing: .unconditional, help: "Training steps.") var steps = 6000
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Strips per step.") var batchSize = 32
    @Option(parsing: .unconditional, help: "Peak learning rate.") var lr: Float = 2e-3
    @OptionGroup var seed: SeedChoice<ReaderTrainingSeeds>
    @Option(help: "Network: standard, fast, context, deep or residual (--initial may be a standard reader grown into context, or a context reader grown into deep).") var variant: StripReader.Variant = .standard
    @Option(help: "Strips trained on: broad (every range of the real files widened, older layouts kept; the shipped recipe), cohort (mostly the real files' layout, for fine-tuning) or close (the cohort mix with neighbours drawn closer: more overlapping letters).")
    var mix: StripTrainingMix = .broad
    @Option(help: "Window targets: tolerant (a letter within 2 px of a window, background from 5 px; the shipped readers) or exclusive (each letter at its nearest window only, background elsewhere: readings may then place two different letters 4 px apart).")
    var targets: StripTargets = .tolerant
    @Option(name: .customLong("input-ceiling"), parsing: .unconditional,
            help: "The largest pixel value the reader sees: 255 clips overlapping letters' sums (the readers until 2026-12-07); 510 keeps two letters' sum, as the real files hold it.")
    var inputCeiling: Float = 255
    @Option(name: .customLong("eval-every"), parsing: .unconditional, help: "Steps between validations.") var evalEvery = 500
    @OptionGroup var device: DeviceChoice
    @Option(help: "Where to write the model.") var out = PathArgument("strip-reader.lnet")
    @Option(help: "Start from this strip-reader model instead of random weights (fine-tuning).") var initial: PathArgument?
    @Flag(name: .customLong("no-balance"), help: "Draw letters uniformly over the images instead of every class equally often.")
    var noBalance = false
    @Option(name: .customLong("validation-strips"), parsing: .unconditional, help: "Strips in each validation.") var validationCount = 2000
    @Option(name: .customLong("teacher"), parsing: .singleValue,
            help: "Distil: a trained strip reader whose per-position probabilities join the targets (repeat for an ensemble; its log-probabilities are averaged).")
    var teachers: [PathArgument] = []
    @Option(name: .customLong("teacher-share"), parsing: .unconditional, help: "With --teacher or --letter-teacher: the teachers' part of each target, the rest the true label.")
    var teacherShare = StripTrainer.Options.defaultTeacherShare
    @Option(name: .customLong("letter-teacher"),
            help: "Distil from the clean letters: a letter classifier (e.g. Models/letters-cnn-resnet.lnet) reads every training letter alone, before the strip sums its neighbours in and adds noise; its distribution joins the targets at the windows on that letter (with --teacher or alone).")
    var letterTeacher: PathArgument?
    @Option(help: "The model OUT holds: best (the best validation top-5 so far) or last (the last validated one: where the learning-rate schedule ends). Not a training option: --resume may change it.")
    var keep: KeptReader = .best
    @Flag(help: "Continue the run saved in OUT.ckpt (the same options).") var resume = false
    @OptionGroup var log: MetricsLogFile

    /// Every numeric option and the values it accepts (checked before anything is read).
    var optionRanges: [OptionRange] {
        [.int("--steps", steps, 1...10_000_000),
         .int("--batch-size", batchSize, 1...1024),
         .real("--lr", lr, 0...10, lowerOpen: true),
         .int("--eval-every", evalEvery, 1...10_000_000),
         .int("--validation-strips", validationCount, 1...100_000),
         .real("--teacher-share", teacherShare, 0...1),
         .real("--input-ceiling", inputCeiling, PixelNormalization.ceilingRange)]
    }

    func validate() throws {
        try optionRanges.check()
        try MemoryBudget.check(trainingBytes(teachers: []), for: "training the strip reader in batches of \(batchSize)", lower: "--batch-size")
        try MemoryBudget.check(StripTrainer.Validation.bytes(count: validationCount), for: "\(validationCount) validation strips",
                               lower: "--validation-strips")
    }

    /// Bytes for a training step at the widest layout: the student's, and each teacher's forward pass.
    func trainingBytes(teachers: [Checkpoint]) -> Double {
        let widest = StripTrainer.Options().layouts.map { $0[2] }.max() ?? 184, shape = StripReader.geometry.inputShape(width: widest)
        return teachers.reduce(NetworkMemory.trainingBytes(layers: variant.layers, inputShape: shape, batch: batchSize)) {
            $0 + NetworkMemory.inferenceBytes(layers: $1.layers, inputShape: shape, batch: batchSize)
        }
    }

    func run() throws {
        try reportingErrors {
            try OutputGuard.check(outputs: [.init("--out", out.path), .init("the checkpoint OUT.ckpt", checkpointURL.path)] + log.outputs,
                                  inputs: data.inputs + (initial.map { [.init("--initial", $0.path)] } ?? [])
                                      + teachers.map { .init("--teacher", $0.path) } + (letterTeacher.map { [.init("--letter-teacher", $0.path)] } ?? []))
            // Split each file, then repeat its training part (FILE@N), so copies never reach validation.
            let (sets, _) = try data.load()
            let (train, held) = StripTrainer.split(zip(sets, data.files).map { ($0, $1.weight) }, seed: seed.value)
            let files = data.paths
            try SmallData.requireImages(train, files: files, for: "train-reader (it trains on 95% of each file's letters)")
            guard held.count > 0 else {
                throw CLIFailure("\(files.joined(separator: ", ")): \(train.count) letter(s) in all; train-reader needs at least 2 "
                                 + "in one file, to hold one out for validation")
            }
            var options = StripTrainer.Options()
            options.steps = steps; options.batchSize = batchSize; options.learningRate = lr; options.seed = seed.value
            options.variant = variant; options.balanced = !noBalance; options.mix = mix == .broad ? nil : mix
            options.targets = targets == .tolerant ? nil : targets
            options.inputCeiling = inputCeiling == 255 ? nil : inputCeiling
            if !teachers.isEmpty { options.teachers = teachers.map(\.url.lastPathComponent) }
            options.letterTeacher = letterTeacher?.url.lastPathComponent
            if options.isDistilled { options.teacherShare = teacherShare }
            let letterTeacherModel = try letterTeacher.map { try Checkpoint.read(from: $0.url) }
            let teacherModels = try teachers.map { try Checkpoint.read(from: $0.url) }
            if !teacherModels.isEmpty {
                try MemoryBudget.check(trainingBytes(teachers: teacherModels),
                                       for: "training the strip reader with \(teachers.count) teacher(s) in batches of \(batchSize)",
                                       lower: "--batch-size")
            }
            var base = try initial.map { try Checkpoint.read(from: $0.url) }
            if variant == .context, let standard = base, let grown = StripReader.Variant.context(growing: standard) {
                note("growing the standard reader \(initial!) into the context reader (its new layers start as identities)")
                base = grown
            } else if variant == .deep, let context = base, let grown = StripReader.Variant.deep(growing: context) {
                note("growing the context reader \(initial!) into the deep reader (its new layers start as identities)")
                base = grown
            }
            // The best validation top-5 written to OUT so far: a run started again on the CPU after a
            // device failure replaces that model only with a better one.
            var best = -1.0
            // Validations run by this command: none when a finished run is resumed.
            var periodsRun = 0
            // Whether OUT.ckpt holds this run (--resume, or a validation passed): a device failure then
            // continues from it on the CPU (--device auto) or says how to.
            var checkpointed: Bool { resume || periodsRun > 0 }
            let advice = {
                checkpointed
                    ? "\(checkpointURL.path) holds the run up to its last validation; continue with:\n  \(resumeCommandLine(device: "cpu"))"
                    : "the best model so far stays in \(out); continue on another device with --initial \(shellQuoted(out.path))"
            }
            try device.run(advice: advice()) { backend, fallback in
                if fallback { note(checkpointed ? "continuing from \(checkpointURL.path) on the CPU" : "training the strip reader again from the start on the CPU") }
                try self.train(on: backend, options: options, initialWeights: base, teachers: teacherModels, letterTeacher: letterTeacherModel,
                               train: train, held: held, best: &best,
                               resuming: checkpointed, saved: { periodsRun += 1 })
            }
            guard periodsRun > 0 else {
                // A finished run resumed: no validation, so OUT keeps the reader the run kept.
                print("the run had already ended at step \(steps): \(out) is unchanged"
                      + (keep == .last ? " (its last step's reader is in \(checkpointURL.path), which predict --model reads)" : ""))
                return
            }
            print("wrote \(out) (\(keep == .last ? "last" : "best") validation top-5 \(String(format: "%.2f%%", 100 * best)))")
        }
    }
}

extension TrainReader {
    /// The columns of `--log`: one row per validation.
    static let logColumns = ["step", "train_loss", "val_top1", "val_top5", "val_letters", "learning_rate", "strips_per_second", "seconds"]

    /// OUT.ckpt: the resumable state.
    var checkpointURL: URL { out.checkpointURL }

    /// Trains on `backend` (from OUT.ckpt when `resuming`), writing the model whenever validation top-5
    /// beats `best` (updated) and OUT.ckpt after every validation (then `saved`). Ctrl-C stops it
    /// with a message on how to resume (exit status 130).
    func train(on backend: Backend, options: StripTrainer.Options, initialWeights: Checkpoint?, teachers teacherModels: [Checkpoint],
               letterTeacher letterTeacherModel: Checkpoint?, train: LetterDataset, held: LetterDataset, best: inout Double,
               resuming: Bool, saved: () -> Void) throws {
        let trainer = StripTrainer(options: options, letters: train, backend: backend)
        if options.isDistilled {
            var letters: LetterTeacher?
            if let letterTeacherModel, let letterTeacher {
                let classifier = try LetterClassifier(checkpoint: letterTeacherModel, backend: backend, source: letterTeacher.path)
                note("the letter teacher \(letterTeacher) reads the \(trainer.trainingLetters.count) training letters")
                letters = try LetterTeacher(classifier: classifier, letters: trainer.trainingLetters)
            }
            try trainer.distil(from: zip(teacherModels, teachers).map { try StripReader(checkpoint: $0, backend: backend, source: $1.path) },
                               letterTeacher: letters)
            let names = teachers + (letterTeacher.map { [$0] } ?? [])
            note("distilling from \(names.map(\.description).joined(separator: ", ")) (teachers' share \(teacherShare))")
        }
        if resuming {
            try trainer.resume(fromFileAt: checkpointURL)
            note("resuming at step \(trainer.step) of \(options.steps)")
        } else if let initial, let initialWeights {
            try trainer.start(fromInitial: initialWeights, source: initial.path)
        }
        let check = StripTrainer.Validation(from: held, count: validationCount, seed: seed.value &+ 7)
        let (letters, width) = (StripTrainer.Validation.letters, StripTrainer.Validation.width)
        note("training the strip reader (\(trainer.reader.model.parameterCount) parameters) on \(backend.name), \(train.count) letters\(options.balanced ? " (class-balanced)" : ""); validating on \(validationCount) real-layout strips (\(letters) letters, \(StripGeometry.standard.height)×\(width)) from \(held.count) held-out letters")
        let provenance = data.provenance(initial: initial.flatMap { i in initialWeights.map { (i.path, $0) } })
        let metrics = try log.path.map { try MetricsLog(url: $0.url, columns: Self.logColumns, keepingUpTo: resuming ? trainer.step : nil) }
        var logged: Result<Void, Error> = .success(())  // the validated callback cannot throw: its error is raised after the period
        Interrupt.install()
        do {
            try trainer.train(every: evalEvery, validation: check, provenance: provenance, best: &best,
                              keepsLatest: keep == .last, checkpoint: checkpointURL,
                              shouldStop: { Interrupt.requested }, progress: { step, loss, rate in
                note(String(format: "step %d/%d: loss %.4f, %.0f strips/s", step, steps, loss, rate))
            }, validated: { step, score in
                print(String(format: "step %d: validation top-1 %.2f%%, top-5 %.2f%%, letters %.2f%%",
                             step, 100 * score.top1, 100 * score.top5, 100 * score.letters))
                fflush(stdout)
                if let metrics, let p = trainer.lastPeriod {
                    logged = Result { try metrics.add([step, p.loss, score.top1, score.top5, score.letters, p.learningRate, p.stripsPerSecond, p.seconds]) }
                }
            }, save: { try $0.write(to: out.url) }, periodDone: { try logged.get(); saved() })
        } catch TrainingError.interrupted(let validations) {
            // Every validation counted, resumed ones included, was followed by OUT.ckpt.
            note(validations > 0
                 ? "interrupted: \(checkpointURL.path) holds the run up to its last validation; continue with:\n  \(resumeCommandLine())"
                 : "interrupted before the first validation; nothing to resume")
            throw ExitCode(130)
        }
    }
}

/// `train-reader --keep`: which validated model OUT holds.
enum KeptReader: String, CaseIterable, ExpressibleByArgument {
    case best, last
}

extension StripReader.Variant: ExpressibleByArgument {}
extension StripTrainingMix: ExpressibleByArgument {}
extension StripTargets: ExpressibleByArgument {}
