import ArgumentParser
import Foundation
import Letters
import NeuralNet

// The options several commands share, each declared once (`@OptionGroup`), with its parsing, checks
// and help in one place.

/// `--device cpu | opencl | opencl:N | auto`: where the network runs.
struct DeviceChoice: ParsableArguments {
    @Option(help: "Compute device: cpu, opencl, opencl:N or auto.")
    var device: DeviceOption = DeviceOption(argument: "cpu")!

    /// Runs `body` on the chosen device (see ``DeviceOption/run(advice:_:)``).
    func run<T>(advice: @autoclosure () -> String
                    = "nothing was written after the failure; run again with --device cpu or --device auto",
                _ body: (_ backend: Backend, _ fallback: Bool) throws -> T) throws -> T {
        try device.run(advice: advice(), body)
    }

    func makeBackend() throws -> Backend { try device.makeBackend() }
}

/// `--seed N`: the seed of everything a command draws at random; `Seeded` says what that is for the command.
struct SeedChoice<Seeded: SeededThings>: ParsableArguments {
    @Option(name: .customLong("seed"), parsing: .unconditional, help: ArgumentHelp("Seed of \(Seeded.what) (default 1)."))
    var value: UInt64 = 1
}

/// What `--seed` seeds in one command, for its help.
protocol SeededThings { static var what: String { get } }

enum TrainingSeeds: SeededThings {
    static let what = "the initial weights, the validation split, the order and class-balanced draws of letters, augmentation and dropout"
}
enum ReaderTrainingSeeds: SeededThings {
    static let what = "the initial weights, the letters held out, the strips synthesized for training and validation, and dropout"
}
enum SynthesisSeeds: SeededThings {
    static let what = "the letters of each strip, their placement and the noise"
}
enum DemoLetterSeeds: SeededThings {
    static let what = "each letter's font, case, slant, rotation, size, stroke width and shift"
}
enum AveragingSeeds: SeededThings {
    static let what = "the letters drawn, and their augmentation, to re-estimate batch normalization"
}

/// `--report FILE`: an HTML page about the run (what it shows: see the command's description).
struct ReportFile: ParsableArguments {
    @Option(name: .customLong("report"), help: "Also write an HTML report to this file (see above for what it shows).")
    var path: PathArgument?

    var url: URL? { path?.url }
    /// For `OutputGuard`.
    var outputs: [OutputGuard.Named] { path.map { [.init("--report", $0.path)] } ?? [] }
}

/// `--data FILE`, repeated: letters files, read as one set.
struct LetterFiles: ParsableArguments {
    @Option(name: .customLong("data"), parsing: .singleValue, help: "Letters file (repeat to combine several).")
    var files: [PathArgument] = []

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one --data FILE") }
    }

    var paths: [String] { files.map(\.path) }
    /// Every file read, for `OutputGuard`.
    var inputs: [OutputGuard.Named] { files.flatMap { OutputGuard.Named.data("--data", $0.path) } }

    /// The files as one set (what loading changed about each is noted on stderr), refused when it holds no letters.
    func load(for command: String) throws -> LetterDataset {
        let set = LetterDataset.concatenated(try files.map { try loadLetters($0.url) })
        try SmallData.requireImages(set, files: paths, for: command)
        return set
    }
}

/// `--data FILE` or `--data FILE@N`, repeated: letters files to train on, each drawn from N times as often.
struct WeightedLetterFiles: ParsableArguments {
    @Option(name: .customLong("data"), parsing: .singleValue,
            help: "Letters file to train on (repeat to combine several; FILE@N draws from that file N times as often).")
    var arguments: [String] = []

    func validate() throws {
        if arguments.isEmpty { throw ValidationError("give at least one --data FILE") }
        try WeightedPath.ranges(arguments).check()
    }

    var files: [WeightedPath] { arguments.map(WeightedPath.init) }
    var paths: [String] { files.map(\.path) }
    /// Every file read, for `OutputGuard`.
    var inputs: [OutputGuard.Named] { files.flatMap { OutputGuard.Named.data("--data", $0.path) } }
    /// What a model trained on these files records about them (and about `initial`, the model it
    /// started from).
    func provenance(initial: (file: String, checkpoint: Checkpoint)?) -> Provenance {
        Provenance(trainedOn: arguments, initial: initial)
    }

    /// Every file's letters, and a repeat count per image (its file's weight).
    func load() throws -> (sets: [LetterDataset], repeats: [Int]) {
        let sets = try files.map { try loadLetters($0.url) }
        return (sets, zip(sets, files).flatMap { Array(repeating: $1.weight, count: $0.count) })
    }
}

/// A file path given on the command line, parsed into a URL once.
struct PathArgument: ExpressibleByArgument, CustomStringConvertible, Sendable {
    let path: String
    let url: URL

    init(_ path: String) { self.path = path; url = URL(fileURLWithPath: path) }
    init?(argument: String) { self.init(argument) }

    var description: String { path }

    /// `PATH.ckpt`: where a trainer writing its model to this path keeps its resumable state.
    var checkpointURL: URL { URL(fileURLWithPath: path + ".ckpt") }
}
