import Foundation
import NeuralNet

/// What a trained model records about how it was made: the files it was trained on and, for a model
/// fine-tuned from another (`--initial`), that model's file and what it was trained on, earlier
/// fine-tunings included. File names only: metadata never records a machine's folders.
public struct Provenance: Sendable, Equatable {
    /// The training files as given (`FILE@N` keeps its weight).
    public var trainedOn: [String]
    /// The model's file the training started from, and its metadata.
    public var initialFile: String?
    public var initialMetadata: [String: String] = [:]

    public init(trainedOn: [String], initial: (file: String, checkpoint: Checkpoint)? = nil) {
        self.trainedOn = trainedOn
        initialFile = initial?.file
        initialMetadata = initial?.checkpoint.metadata ?? [:]
    }

    /// `trained_on`, and for a fine-tuned model `fine_tuned_from` and `initial_trained_on` (with the
    /// starting model's step count when `initialSteps`).
    public func metadata(initialSteps: Bool = false) -> [String: String] {
        var meta = ["trained_on": trainedOn.map(Self.fileName).joined(separator: ", ")]
        if let initialFile {
            meta["fine_tuned_from"] = Self.fileName(initialFile)
            let earlier = initialMetadata["initial_trained_on"].map { "\($0); then " } ?? ""
            meta["initial_trained_on"] = Self.fileNames(in: earlier + (initialMetadata["trained_on"] ?? "?")
                + (initialSteps ? initialMetadata["step"].map { " (\($0) steps)" } ?? "" : ""))
        }
        return meta
    }

    /// A path's file name (`FILE@N` keeps its weight).
    public static func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    /// Every path in a metadata value (a list of them) reduced to its file name.
    public static func fileNames(in value: String) -> String { value.replacing(#/[^\s,;]*\//#, with: "") }
}
