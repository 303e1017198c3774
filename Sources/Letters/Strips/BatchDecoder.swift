import Foundation

/// Decodes batches of strips on a worker thread while the next batches go through the network: on a
/// device the host would otherwise idle while the device reads, and the device while the host decodes.
/// At most `depth` batches wait for decoding (so their log-probabilities do not pile up); the guesses
/// land in input order, whatever order the batches end in.
final class BatchDecoder: @unchecked Sendable {
    private let queue = DispatchQueue(label: "letternet.strip-decoding")
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    /// Written only on `queue`, read after `finish`.
    private var guesses: [[StripReader.Guess]]

    init(count: Int, depth: Int = 2) {
        precondition(depth >= 1, "at least one batch in flight")
        guesses = Array(repeating: [], count: count)
        slots = DispatchSemaphore(value: depth)
    }

    /// Queues `decode`, whose guesses are those of the strips `range`; waits while `depth` batches wait.
    func submit(_ range: Range<Int>, _ decode: @escaping @Sendable () -> [[StripReader.Guess]]) {
        slots.wait()
        queue.async(group: group) { [self] in
            let decoded = decode()
            precondition(decoded.count == range.count, "decoded \(decoded.count) strips of \(range.count)")
            guesses.replaceSubrange(range, with: decoded)
            slots.signal()
        }
    }

    /// Every strip's guesses, once all submitted batches are decoded.
    func finish() -> [[StripReader.Guess]] {
        group.wait()
        return queue.sync { guesses }
    }
}
