import NeuralNet

/// Seeded uniform values in [lo, hi).
public func seededUniform(_ count: Int, seed: UInt64, in range: Range<Float> = -1..<1) -> [Float] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in range.lowerBound + (range.upperBound - range.lowerBound) * rng.nextUniform() }
}

/// Makes the operands of one family and shape: an operand's values depend only on the shape's seed
/// and the operand's name, so the forward and backward cases of a shape see the same `x`, `weight`, ….
struct OperandMaker {
    let seed: UInt64

    func callAsFunction(_ name: String, _ count: Int, in range: Range<Float> = -1..<1) -> OpCase.Operand {
        OpCase.Operand(name: name, values: seededUniform(count, seed: seed &* 1_000_003 &+ Self.hash(name), in: range))
    }

    func values(_ name: String, _ values: [Float]) -> OpCase.Operand { OpCase.Operand(name: name, values: values) }

    /// FNV-1a of the name's bytes.
    static func hash(_ name: String) -> UInt64 {
        name.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
