import COpenCL
import Foundation

/// Makes a working device fail on purpose, to test what a run does when a GPU is lost or runs out
/// of memory halfway. Read once from the environment variable `LETTERNET_OPENCL_FAULT`:
///
/// - `launch:N` — the N-th kernel launch (1-based) and everything after it fails with
///   `CL_DEVICE_NOT_AVAILABLE`, as when a device is lost or reset;
/// - `alloc:N` — the N-th buffer allocation made during the run fails with
///   `CL_MEM_OBJECT_ALLOCATION_FAILURE`.
///
/// Counts are per backend. Unset (the normal case), nothing is injected.
struct OpenCLFaultInjection {
    static let environmentVariable = "LETTERNET_OPENCL_FAULT"

    enum Kind: String { case launch, alloc }
    let kind: Kind
    let at: Int
    private var count = 0

    init?(environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard let value = environment[Self.environmentVariable] else { return nil }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])), let at = Int(parts[1]), at >= 1 else {
            FileHandle.standardError.write(Data(
                "warning: ignoring \(Self.environmentVariable)=\(value) (expected launch:N or alloc:N)\n".utf8))
            return nil
        }
        self.kind = kind
        self.at = at
    }

    /// Counts one event of `kind`; the status to fail it with, or nil to let it through.
    mutating func status(for event: Kind) -> cl_int? {
        guard event == kind else { return nil }
        count += 1
        guard count >= at else { return nil }
        return kind == .launch ? CL_DEVICE_NOT_AVAILABLE : CL_MEM_OBJECT_ALLOCATION_FAILURE
    }
}
