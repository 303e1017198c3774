/// The length prior of a strip whose number of letters is unknown (`predict --letters auto`):
/// log P(n letters) = −`perLetter` · n, up to a constant, uniform otherwise over the counts read.
///
/// A reading's score is the sum of its letters' scores, log P(letter) − log P(background) at each
/// letter's position, so an extra letter raises the score wherever the reader sees any ink at all.
/// The per-letter penalty is what a letter's evidence must exceed to be counted. ``fitted`` was
/// chosen on held-out synthetic strips of 3…6 letters (see README, "Any number of letters").
public struct LetterCountPrior: Sendable, Equatable {
    /// Log-probability cost of each letter.
    public var perLetter: Float

    public init(perLetter: Float) { self.perLetter = perLetter }

    /// No prior: a count is chosen on the readings' scores alone (and a fixed-count read is unchanged).
    public static let none = LetterCountPrior(perLetter: 0)

    /// The prior `--letters auto` uses.
    public static let fitted = LetterCountPrior(perLetter: 0)

    /// The log prior of a reading of `n` letters.
    public func logPrior(letters n: Int) -> Float { -perLetter * Float(n) }
}
