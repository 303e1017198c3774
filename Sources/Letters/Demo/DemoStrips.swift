import NeuralNet

/// Demo letters drawn from Hershey stroke fonts in random handwriting-like styles: labelled 28×28
/// images the tool can make anywhere, for demos, smoke tests and screenshots (never for a real model).
public enum DemoLetters {
    /// One letter `label` (1…26) in a random font, case and style.
    public static func image<G: RandomNumberGenerator>(label: Int, rng: inout G) -> [Float] {
        let font = HersheyFont.demoFonts[Int.random(in: 0..<HersheyFont.demoFonts.count, using: &rng)]
        let glyph = font.glyph(label: label, lowercase: Bool.random(using: &rng))
        let style = HersheyRasterizer.Style.random(using: &rng)
        return HersheyRasterizer.render(glyph, style: style, rng: &rng)
    }

    /// `count` letters, A…Z in turn (balanced classes), reproducible from `seed`.
    public static func make(count: Int, seed: UInt64) -> LetterDataset {
        var rng = SeededGenerator(seed: seed)
        var pixels = [Float](); pixels.reserveCapacity(count * 784)
        let labels = (0..<count).map { $0 % 26 + 1 }
        for label in labels { pixels += image(label: label, rng: &rng) }
        // Pixels are finite and labels in range by construction.
        return try! LetterDataset(name: "demo letters (Hershey fonts, seed \(seed))", images: pixels, labels: labels)
    }
}

/// Demo strips: random letters from `DemoLetters`, laid out with `StripSynthesizer`'s spacing and noise.
/// `letternet predict` reads these when no `--strips` file is given.
public enum DemoStrips {
    public static let defaultCount = 200
    public static let defaultSeed: UInt64 = 2024

    public static func make(count: Int = defaultCount, letters: Int = 5, seed: UInt64 = defaultSeed)
        -> (strips: StripSet, labels: [[Int]]) {
        var rng = SeededGenerator(seed: seed)
        let synth = StripSynthesizer(letters: letters)
        var pixels = [Float](); pixels.reserveCapacity(count * synth.height * synth.width)
        var labels: [[Int]] = []
        for _ in 0..<count {
            let word = (0..<letters).map { _ in Int.random(in: 1...26, using: &rng) }
            let strip = synth.make(images: word.map { DemoLetters.image(label: $0, rng: &rng) }, labels: word, rng: &rng)
            pixels += strip.pixels
            labels.append(word)
        }
        // Finite by construction.
        let set = try! StripSet(name: "demo strips (seed \(seed))", count: count, height: synth.height,
                                width: synth.width, pixels: pixels)
        return (set, labels)
    }
}
