import ArgumentParser
import Foundation
import LetterFormats
import Letters
import NeuralNet

/// `letternet demo-letters`: labelled letters drawn from Hershey stroke fonts, for demos and smoke tests.
struct DemoLettersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo-letters",
        abstract: "Draw labelled demo letters from Hershey stroke fonts (no real handwriting needed).",
        discussion: """
        Reads nothing. Writes OUT, an .npz with x (N×28×28 uint8, white on black, upright, EMNIST style) and \
        y (labels 1…26, A…Z in turn), drawn from two public-domain Hershey fonts in upper and lower case \
        with random slant, rotation, size, stroke width and shift, reproducible from --seed. Good for trying \
        every other command without data; not for training a real model.

        Example:
          letternet demo-letters --count 2600 --seed 1 --out demo-letters.npz
          letternet synth --data demo-letters.npz --count 100 --out demo-strips.npy
        """)

    @Option(parsing: .unconditional, help: "Number of letters.") var count = 2600
    @OptionGroup var seed: SeedChoice<DemoLetterSeeds>
    @Option(help: "Output .npz file.") var out = PathArgument("demo-letters.npz")

    /// Every numeric option and the values it accepts (checked before anything is drawn).
    var optionRanges: [OptionRange] { [.int("--count", count, 1...1_000_000)] }

    func validate() throws {
        try optionRanges.check()
        // Float pixels while drawing, then uint8 pixels for the archive and its compressed copy.
        try MemoryBudget.check(Double(count) * 784 * 7, for: "\(count) letters", lower: "--count")
    }

    func run() throws {
        try reportingErrors {
            try OutputGuard.check(outputs: [.init("--out", out.path)], inputs: [])
            let set = DemoLetters.make(count: count, seed: seed.value)
            let x = NpyArray(set.images.map { UInt8(min(max($0, 0), 255).rounded()) }, shape: [count, 28, 28])
            try NPZ.write(["x": x, "y": NpyArray(set.labels, shape: [count])], to: out.url, compressed: true)
            print("wrote \(out) (\(count) letters, seed \(seed.value))")
        }
    }
}
