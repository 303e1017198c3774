/// The length prior of a strip whose number of letters is unknown (`predict --letters auto`):
/// log P(n letters) = −`perLetter` · n, up to a constant, uniform otherwise over the counts read.
///
/// A reading's score is the sum of its letters' scores, log P(letter) − log P(background) at each
/// letter's position, so the per-letter term is the evidence a letter must bring (a penalty, when
/// positive) or is granted (a bonus, when negative) to be counted.
///
/// ``fitted`` (−2: a bonus of 2 nats a letter) was chosen on a grid from −4 to 2 as the best share of
/// right counts on held-out synthetic strips — 500 each of 3, 4, 5 and 6 letters, cohort and classic
/// layouts, drawn from the EMNIST test-dev letters with seeds not used for the README's figures —
/// read by the shipped reader: 95.2% right (93.6% with no prior, 91.4% at −4, 91.4% at +1). The
/// bonus is needed because the reader sees two deeply overlapping letters as one, so its best
/// reading of a crowded strip has a letter too few.
public struct LetterCountPrior: Sendable, Equatable {
    /// Log-probability cost of each letter.
    public var perLetter: Float

    public init(perLetter: Float) { self.perLetter = perLetter }

    /// No prior: a count is chosen on the readings' scores alone (and a fixed-count read is unchanged).
    public static let none = LetterCountPrior(perLetter: 0)

    /// The prior `--letters auto` uses.
    public static let fitted = LetterCountPrior(perLetter: -2)

    /// The log prior of a reading of `n` letters.
    public func logPrior(letters n: Int) -> Float { -perLetter * Float(n) }
}
