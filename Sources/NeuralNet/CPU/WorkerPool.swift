import Foundation

/// Persistent helper threads for `CPUBackend.parallelFor`. `DispatchQueue.concurrentPerform` from
/// Swift boxes its closure on the heap (two `malloc`s per call, ~60 per training step); here the
/// caller runs part 0 itself and wakes helper `i` for part `i + 1` through a semaphore, handing over
/// the non-escaping closure without copying it. A call that finds the pool busy (a second thread
/// using the same backend) falls back to `concurrentPerform`.
final class WorkerPool: @unchecked Sendable {
    private let helpers: Int
    private let start: [DispatchSemaphore]
    private let done = DispatchSemaphore(value: 0)
    private let busy = NSLock()
    private var job: ((Int) -> Void)?
    private var stopping = false

    /// A pool whose `run` executes up to `helpers + 1` parts at once.
    init(helpers: Int) {
        self.helpers = max(0, helpers)
        start = (0..<self.helpers).map { _ in DispatchSemaphore(value: 0) }
        for i in 0..<self.helpers {
            let thread = Thread { [unowned self] in self.loop(i) }
            thread.name = "CPUBackend worker \(i + 1)"
            thread.start()
        }
    }

    private func loop(_ i: Int) {
        while true {
            start[i].wait()
            if stopping { done.signal(); return }
            job?(i + 1)
            done.signal()
        }
    }

    /// Runs `task(0..<parts)` in parallel (part 0 on the calling thread) and returns when all are done.
    func run(parts: Int, _ task: (Int) -> Void) {
        let extra = min(parts - 1, helpers)
        guard extra == parts - 1, busy.try() else {
            DispatchQueue.concurrentPerform(iterations: parts, execute: task)
            return
        }
        withoutActuallyEscaping(task) { t in
            job = t
            for i in 0..<extra { start[i].signal() }
            t(0)
            for _ in 0..<extra { done.wait() }
            job = nil
        }
        busy.unlock()
    }

    /// Ends the helper threads (they hold the pool unowned, so call this before dropping it).
    func stop() {
        busy.lock()
        stopping = true
        for i in 0..<helpers { start[i].signal() }
        for _ in 0..<helpers { done.wait() }
        busy.unlock()
    }
}
