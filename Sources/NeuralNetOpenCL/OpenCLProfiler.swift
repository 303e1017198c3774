import COpenCL
import Foundation

/// Per-kernel device time, for tuning: enabled by `LETTERNET_OPENCL_PROFILE=1`, which creates the
/// queue with profiling on and prints a table (total ms, launches, ms per launch, share) to stderr
/// when the backend is released. Events are read back and released at every `synchronize`/`download`.
final class OpenCLProfiler {
    static let environmentVariable = "LETTERNET_OPENCL_PROFILE"

    static var requested: Bool {
        guard let v = ProcessInfo.processInfo.environment[environmentVariable]?.lowercased(), !v.isEmpty else { return false }
        return v != "0" && v != "false"
    }

    private var pending: [(String, cl_event)] = []
    private var totals: [String: (ns: UInt64, count: Int)] = [:]

    func record(_ kernel: String, _ event: cl_event?) {
        if let event { pending.append((kernel, event)) }
    }

    /// Adds the times of finished events (all of them after `clFinish`).
    func collect() {
        for (kernel, event) in pending {
            var start: cl_ulong = 0, end: cl_ulong = 0
            clGetEventProfilingInfo(event, cl_profiling_info(CL_PROFILING_COMMAND_START), MemoryLayout<cl_ulong>.size, &start, nil)
            clGetEventProfilingInfo(event, cl_profiling_info(CL_PROFILING_COMMAND_END), MemoryLayout<cl_ulong>.size, &end, nil)
            let t = totals[kernel] ?? (0, 0)
            totals[kernel] = (t.ns + (end > start ? end - start : 0), t.count + 1)
            clReleaseEvent(event)
        }
        pending.removeAll()
    }

    var report: String {
        let sum = max(1, totals.values.reduce(0) { $0 + $1.ns })
        let rows = totals.sorted { $0.value.ns > $1.value.ns }.map { name, t in
            name.padding(toLength: max(name.count, 34), withPad: " ", startingAt: 0)
                + String(format: " %9.1f ms %7d launches %8.3f ms/launch %5.1f%%", Double(t.ns) / 1e6, t.count, Double(t.ns) / 1e6 / Double(t.count), 100 * Double(t.ns) / Double(sum))
        }
        return (["OpenCL kernel profile (device time):"] + rows).joined(separator: "\n")
    }
}
