import Foundation
import NeuralNet

/// What `predict` does with its strips: reads every strip of an input with an ensemble of strip readers,
/// a run of strips of one width at a time (a chunk of a `.npy`, or the images of one width), as many
/// strips per forward pass as the memory allows, and gathers the rows in input order
/// (``PredictionRows``) with the seconds spent in the network and in decoding. Each reader folds its
/// network once (``StripReader/inference``), not once per run, view or member.
public struct StripPrediction {
    /// The most strips a forward pass reads on the host (the CPU backend).
    public static let maxBatchSize = 64
    /// On the host, the most memory one forward pass of every reader together may plan for its buffers
    /// (input, each layer's output, the largest scratch, the weights), by the estimate of the folded
    /// networks (``NetworkMemory/inferenceBytes(layers:inputShape:batch:)``): reading 10,000 strips of
    /// 30×168 with the shipped pair then peaks below 400 MB.
    public static let hostReadingBytes = 360e6

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
        let device = readers.members.first?.model.backend.deviceMemory
        // The host's rule estimates the folded networks that read; a device's, a training step of the model.
        batchSize = try Self.batchSize(layers: readers.members.map { device == nil ? $0.inference.network.specs : $0.model.specs },
                                       width: input.widths.max() ?? 1, device: device)
        readers.views = views
        for member in readers.members { member.batchSize = batchSize }
    }

    /// Strips `width` px wide that networks of `layers` read at once; every network keeps its own buffers,
    /// so they count together. On the host: as many as keep one forward pass of them all within
    /// ``hostReadingBytes`` (`layers` are then the folded networks), 1 to ``maxBatchSize``. On a
    /// `device`: what a quarter of its memory holds by the estimate of a training step
    /// (``NetworkMemory``), each buffer within its largest, up to the batch it is worth
    /// (``DeviceMemory/usefulBatch``), the host's share (input and scores) in the host's memory.
    /// Refuses a width at which one strip does not fit.
    public static func batchSize(layers: [[LayerSpec]], width: Int, device: DeviceMemory? = nil) throws -> Int {
        let shape = StripReader.geometry.inputShape(width: width)
        guard let device else {
            func bytes(_ batch: Int) -> Double {
                layers.map { NetworkMemory.inferenceBytes(layers: $0, inputShape: shape, batch: batch) }.reduce(0, +)
            }
            let weights = bytes(0), one = bytes(1), perStrip = one - weights
            try MemoryBudget.check(one, for: "reading strips \(width) px wide", lower: "the strips' width")
            return max(1, min(maxBatchSize, Int((hostReadingBytes - weights) / perStrip)))
        }
        let perStrip = layers.map { NetworkMemory.trainingBytes(layers: $0, inputShape: shape, batch: 1) }.reduce(0, +)
        let largest = 4 * (layers.map { NetworkMemory.largestBufferFloats(layers: $0, inputShape: shape) }.max() ?? 1)
        let onHost = 4 * 3 * Double(shape.reduce(1, *))  // the input, its staging copy and the scores, at most
        guard perStrip <= device.bytes, largest <= device.largestBuffer else {
            throw MemoryBudget.Exceeded(message: String(format: "reading strips %d px wide needs about %.1f GB of device memory a strip, more than the device has (%.1f GB); lower the strips' width",
                                                        width, perStrip / 1e9, device.bytes / 1e9))
        }
        let fits = min(device.bytes / 4 / perStrip, device.largestBuffer / largest, MemoryBudget.limit / 4 / onHost)
        return max(1, min(device.usefulBatch, Int(fits)))
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
