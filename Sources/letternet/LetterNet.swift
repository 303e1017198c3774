import ArgumentParser

/// `letternet`: train handwritten-letter classifiers, read noisy letter strips, write prediction.csv.
@main
struct LetterNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "letternet",
        abstract: "Train handwritten-letter classifiers and read noisy letter strips.",
        subcommands: [
            Inspect.self,
            Devices.self,
            Train.self,
            Evaluate.self,
            Synth.self,
            DemoLettersCommand.self,
            TrainReader.self,
            Predict.self,
            Score.self,
            Bench.self,
        ]
    )
}
