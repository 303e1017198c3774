/// How `--device auto` orders OpenCL devices: discrete GPUs first, then integrated GPUs (those that
/// share the host's memory), accelerators and other devices, and CPUs last; within a class, more
/// compute units × clock first, then the loader's order. Devices that are not available are left out.
public enum DeviceRanking {
    /// A device's class, in the order ranked.
    public enum DeviceClass: Int, Comparable, Sendable, CustomStringConvertible {
        case discreteGPU, integratedGPU, accelerator, other, cpu

        public static func < (a: DeviceClass, b: DeviceClass) -> Bool { a.rawValue < b.rawValue }

        /// From the device type (`OpenCLDevice.type`, e.g. `GPU` or `CPU+GPU`) and whether it shares
        /// the host's memory.
        public init(type: String, unifiedMemory: Bool) {
            let kinds = type.split(separator: "+")
            if kinds.contains("GPU") { self = unifiedMemory ? .integratedGPU : .discreteGPU }
            else if kinds.contains("CPU") { self = .cpu }
            else if kinds.contains("Accelerator") { self = .accelerator }
            else { self = .other }
        }

        public var description: String {
            switch self {
            case .discreteGPU: return "discrete GPU"
            case .integratedGPU: return "integrated GPU"
            case .accelerator: return "accelerator"
            case .other: return "other device"
            case .cpu: return "CPU"
            }
        }
    }

    /// What the ranking looks at.
    public struct Entry: Equatable, Sendable {
        public var index: Int
        public var deviceClass: DeviceClass
        public var available: Bool
        public var computeUnits: Int
        public var clockMHz: Int

        public init(index: Int, deviceClass: DeviceClass, available: Bool, computeUnits: Int, clockMHz: Int) {
            self.index = index; self.deviceClass = deviceClass; self.available = available
            self.computeUnits = computeUnits; self.clockMHz = clockMHz
        }
    }

    /// The available entries, best first.
    public static func ranked(_ entries: [Entry]) -> [Entry] {
        entries.filter(\.available).sorted { a, b in
            if a.deviceClass != b.deviceClass { return a.deviceClass < b.deviceClass }
            let (pa, pb) = (a.computeUnits * a.clockMHz, b.computeUnits * b.clockMHz)
            return pa != pb ? pa > pb : a.index < b.index
        }
    }

    /// The available devices of `devices`, best first.
    public static func ranked(_ devices: [OpenCLDevice]) -> [OpenCLDevice] {
        ranked(devices.map(\.rankingEntry)).map { e in devices.first { $0.index == e.index }! }
    }
}

extension OpenCLDevice {
    public var deviceClass: DeviceRanking.DeviceClass { .init(type: type, unifiedMemory: unifiedMemory) }

    var rankingEntry: DeviceRanking.Entry {
        .init(index: index, deviceClass: deviceClass, available: available, computeUnits: computeUnits, clockMHz: maxClockMHz)
    }
}
