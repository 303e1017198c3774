import Foundation

/// Ctrl-C (SIGINT) and SIGTERM handling for long runs: the first signal sets a flag that the
/// training loop polls after every step; a second one exits at once.
enum Interrupt {
    nonisolated(unsafe) private static var flag: sig_atomic_t = 0

    static var requested: Bool { flag != 0 }

    static func install() {
        let handler: @convention(c) (Int32) -> Void = { _ in
            if Interrupt.flag != 0 { _exit(130) }
            Interrupt.flag = 1
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }
}
