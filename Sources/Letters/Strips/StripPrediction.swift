import Foundation
import NeuralNet

/// What `predict` does with its strips: reads every strip of an input with an ensemble of strip readers,
/// a run of strips of one width at a time (a chunk of a `.npy`, or the images of one width), as many
/// strips per forward pass as the memory allows, and gathers the rows in input order
/// (``PredictionRows``) with the seconds spent in the network and in decoding. Each reader folds its
/// network once (``StripReader/inference``), not once per run, view or member.
public struct StripPrediction {
    /// The most strips a forward pass reads.
    public static let maxBatchSize = 64

    public let input: InputStrips
    public let readers: StripReaderEnsemble
    /// The letter count the strips of each width are read with, one per ``InputStrips/widths``.
    public let counts: [LetterCount]
    /// Strips per forward pass (``batchSize(layers:width:)`` for the widest strips).
    public let batchSize: Int

    /// Reads `input` with `readers` in `views`, a width's strips as `counts` says (one per width);
    /// sets the readers' views and batch size. Refuses strips too wide for the memory.
    public init(input: InputStrips, readers: StripReaderEnsemble, counts: [LetterCount], views: ShiftedViews) throws {
        precondition(counts.count == input.widths.count, "one letter count per width of strips")
        self.input = input; self.readers = readers; self.counts = counts
        batchSize = try Self.batchSize(layers: readers.members.map(\.model.specs), width: input.widths.max() ?? 1)
        readers.views = views
        for member in readers.members { member.batchSize = batchSize }
    }

    /// Strips `width` px wide that networks of `layers` read at once: what a quarter of the memory holds
    /// by the estimate of a training step (``NetworkMemory``), 1 to ``maxBatchSize``. Refuses a width
    /// at which one strip does not fit.
    public static func batchSize(layers: [[LayerSpec]], width: Int) throws -> Int {
        let perStrip = layers.map {
            NetworkMemory.trainingBytes(layers: $0, inputShape: StripReader.geometry.inputShape(width: width), batch: 1)
        }.max() ?? 1
        try MemoryBudget.check(perStrip, for: "reading strips \(width) px wide", lower: "the strips' width")
        return max(1, min(maxBatchSize, Int(MemoryBudget.limit / 4 / perStrip)))
    }

    /// Reads every strip, run by run, keeping every strip's guesses too with `keepAll`. `source` and
    /// `letters` name the input and the letter count in the message about a strip without 5 readings;
    /// `progress` gets the strips read so far.
    public func read(keepAll: Bool, source: String, letters: String,
                     progress: ((Int) -> Void)? = nil) throws -> (rows: PredictionRows, timing: StripReader.Timing) {
        var rows = PredictionRows(count: input.count, keepAll: keepAll, source: source, letters: letters)
        var timing = StripReader.Timing()
        var done = 0
        try input.forEachRun { group, strips, places in  // only a run's guesses are kept, as rows
            let (guesses, t) = readers.timedRead(strips, count: counts[group]) { progress?(done + $0) }
            try rows.add(guesses, at: places)
            timing = timing + t
            done += strips.count
        }
        return (rows, timing)
    }
}
