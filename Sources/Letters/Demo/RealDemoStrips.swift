import Foundation
import LetterFormats

/// The demo of real handwriting that ships with the tool (`Demo/real-strips.npz`, see `Demo/SOURCE.md`):
/// strips laid out like the real course files (`synth --layout cohort`, 5 letters, 30×168) from real EMNIST
/// Letters *test* images that no shipped model trained on, with their labels. `letternet predict` reads
/// it when no `--strips` file is given.
public enum RealDemoStrips {
    /// The file's name in the `Demo/` folder.
    public static let fileName = "real-strips.npz"

    /// The strips (`strips`: N×30×W) and their labels (`labels`: N×letters, 1…26) of the npz at `url`.
    public static func load(url: URL) throws -> (strips: StripSet, labels: [[Int]]) {
        let name = url.lastPathComponent
        let arrays = try NPZ.read(url: url, names: ["strips", "labels"])
        guard let stripsArray = arrays["strips"], let labelsArray = arrays["labels"] else {
            throw LettersError.malformed(file: name, detail: "the demo file needs the arrays strips and labels")
        }
        var strips = try StripSet.fromArray(stripsArray, name: name)
        strips.notes = []
        guard labelsArray.shape.count == 2, labelsArray.shape[0] == strips.count, let values = labelsArray.ints(),
              values.allSatisfy({ (1...26).contains($0) }) else {
            throw LettersError.malformed(file: name, detail: "labels must be \(strips.count)×letters of 1…26")
        }
        let letters = labelsArray.shape[1]
        let labels = (0..<strips.count).map { Array(values[($0 * letters)..<(($0 + 1) * letters)]) }
        return (strips, labels)
    }
}
