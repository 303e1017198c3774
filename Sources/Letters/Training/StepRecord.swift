import NeuralNet

/// The losses and hits of recent training steps, kept on the device.
public final class StepRecord {
    /// Steps between two reads of the record.
    public static let readEvery = 16
}
