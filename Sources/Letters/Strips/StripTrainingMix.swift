import Foundation

/// What strips a reader trains on (`train-reader --mix`).
///
/// - `broad`: ``StripSynthesizer/trainingMix(letters:width:)``, every range of the real files widened
///   and the older layouts kept, so that a reader trained on it does not depend on one guess of the
///   real generator (the shipped readers' recipe).
/// - `cohort`: ``StripSynthesizer/cohortFocusedMix(letters:width:)``, nine strips in ten in the real
///   files' layout with its ranges only slightly widened: for fine-tuning a broad reader towards the
///   real files.
/// - `close`: ``StripSynthesizer/closeFocusedMix(letters:width:)``, the cohort mix with the boxes drawn
///   closer together, so that more letters overlap a neighbour: for fine-tuning a reader on the strips
///   where it loses most (letters whose ink centres are under 14 px apart).
public enum StripTrainingMix: String, Codable, CaseIterable, Sendable {
    case broad, cohort, close

    public func synthesizer(letters: Int, width: Int) -> StripSynthesizer {
        switch self {
        case .broad: StripSynthesizer.trainingMix(letters: letters, width: width)
        case .cohort: StripSynthesizer.cohortFocusedMix(letters: letters, width: width)
        case .close: StripSynthesizer.closeFocusedMix(letters: letters, width: width)
        }
    }
}

extension StripSynthesizer {
    /// Mostly the real files' layout and noise (``realCohort(letters:width:)``), each range a little
    /// wider than the real files', with a tenth of the strips in the older layouts and the broad mix's
    /// light letter distortion.
    public static func cohortFocusedMix(letters: Int, width: Int) -> StripSynthesizer {
        var s = trainingMix(letters: letters, width: width)
        s.cohortShare = 0.9
        s.cohort = CohortLayout(pitch: 26.5...29.5, jitter: 10...16, shift: 4)
        s.replacementShare = 0.95
        s.replacement = ReplacementNoise(share: 0.05...0.13, salt: 0.35...0.65)
        s.noise = 0...0.02
        return s
    }

    /// The cohort mix with a smaller pitch and larger jitter: 19% of neighbouring letters have ink centres
    /// under 14 px apart, against 11% in the real files' layout and 9% in the cohort mix (5×168).
    public static func closeFocusedMix(letters: Int, width: Int) -> StripSynthesizer {
        var s = cohortFocusedMix(letters: letters, width: width)
        s.cohort = CohortLayout(pitch: 23...27, jitter: 14...18, shift: 4)
        return s
    }
}
