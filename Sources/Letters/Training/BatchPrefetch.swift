import Foundation

/// Makes the next batch's host side on one worker thread while the loop queues the current step, so a
/// device that runs on its own (a GPU behind an OpenCL queue) never waits for the host to synthesize,
/// augment or normalise its next batch.
///
/// Batches are made one at a time, in step order, on a serial queue, and a batch is only started once the
/// previous one has been taken: the trainer's random stream is drawn in exactly the order a serial loop
/// draws it, so a run is bit for bit the same with the worker or without it (`overlaps == false` makes each
/// batch on the calling thread when it is started).
final class BatchPrefetch<Batch> {
    private let queue = DispatchQueue(label: "letternet.batch-prefetch")
    private var group: DispatchGroup?
    /// Written by the worker, read only after `group` has been waited for.
    private var made: Batch?
    let overlaps: Bool

    init(overlaps: Bool) { self.overlaps = overlaps }

    /// Starts making a batch: on the worker when `overlaps`, at once otherwise. The batch started before
    /// must have been taken.
    func start(_ make: @escaping () -> Batch) {
        precondition(group == nil && made == nil, "a batch is still being made")
        guard overlaps else { made = make(); return }
        let g = DispatchGroup()
        group = g
        queue.async(group: g) { self.made = make() }
    }

    /// Waits for the batch started last and hands it over.
    func take() -> Batch {
        group?.wait()
        group = nil
        guard let batch = made else { preconditionFailure("no batch was started") }
        made = nil
        return batch
    }

    /// Waits for a batch still being made and drops it (when a run stops or fails between two steps).
    func drain() {
        group?.wait()
        group = nil
        made = nil
    }
}
