import COpenCL
import Foundation

/// One OpenCL device as the ICD loader reports it. `index` is its position in the flat list of
/// every device of every platform (what `opencl:N` on the command line selects).
public struct OpenCLDevice: CustomStringConvertible {
    /// Position in the flat list over all platforms.
    public let index: Int
    public let platformIndex: Int
    /// Position among its platform's devices.
    public let deviceIndex: Int
    public let platformName: String
    public let platformVersion: String
    public let name: String
    public let vendor: String
    /// `OpenCL <major>.<minor> …` as the device reports it.
    public let version: String
    public let driverVersion: String
    /// `CPU`, `GPU`, `Accelerator`, `Custom` or `Default`.
    public let type: String
    /// True for a device of type CPU (such as PoCL's): the CPU backend is faster on the same processor.
    public var isCPU: Bool { type.split(separator: "+").contains("CPU") }
    public let computeUnits: Int
    /// Global memory in bytes.
    public let globalMemory: UInt64
    /// Largest single allocation in bytes.
    public let maxAllocation: UInt64
    /// Local (work-group shared) memory in bytes.
    public let localMemory: UInt64
    public let maxWorkGroupSize: Int
    public let maxClockMHz: Int
    public let available: Bool
    /// Whether the device shares the host's memory (`CL_DEVICE_HOST_UNIFIED_MEMORY`): an integrated
    /// GPU, or a CPU; false when the driver does not say.
    public let unifiedMemory: Bool
    /// The alignment, in bytes, of the start of a sub-buffer (`CL_DEVICE_MEM_BASE_ADDR_ALIGN`, in bits there).
    public let baseAddressAlignment: Int

    let id: cl_device_id
    let platform: cl_platform_id

    public var description: String {
        "opencl:\(index) [platform \(platformIndex), device \(deviceIndex)] \(name) (\(type), "
            + "\(computeUnits) compute units, \(OpenCLDevice.formatBytes(globalMemory)))"
    }

    /// Every device of every platform, platforms in ICD order, devices in platform order.
    /// Returns an empty list when no OpenCL platform is installed.
    public static func list() throws -> [OpenCLDevice] {
        var platformCount: cl_uint = 0
        let status = clGetPlatformIDs(0, nil, &platformCount)
        if status == -1001 /* CL_PLATFORM_NOT_FOUND_KHR */ || platformCount == 0 { return [] }
        try OpenCLError.check(status, "clGetPlatformIDs")
        var platforms = [cl_platform_id?](repeating: nil, count: Int(platformCount))
        try OpenCLError.check(clGetPlatformIDs(platformCount, &platforms, nil), "clGetPlatformIDs")

        var result: [OpenCLDevice] = []
        for (p, platform) in platforms.enumerated() {
            guard let platform else { continue }
            var deviceCount: cl_uint = 0
            let s = clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), 0, nil, &deviceCount)
            if s == CL_DEVICE_NOT_FOUND || deviceCount == 0 { continue }
            try OpenCLError.check(s, "clGetDeviceIDs")
            var ids = [cl_device_id?](repeating: nil, count: Int(deviceCount))
            try OpenCLError.check(clGetDeviceIDs(platform, cl_device_type(CL_DEVICE_TYPE_ALL), deviceCount, &ids, nil),
                                  "clGetDeviceIDs")
            let platformName = try platformString(platform, cl_platform_info(CL_PLATFORM_NAME))
            let platformVersion = try platformString(platform, cl_platform_info(CL_PLATFORM_VERSION))
            for (d, id) in ids.enumerated() {
                guard let id else { continue }
                result.append(try OpenCLDevice(id: id, platform: platform, index: result.count,
                                               platformIndex: p, deviceIndex: d,
                                               platformName: platformName, platformVersion: platformVersion))
            }
        }
        return result
    }

    init(id: cl_device_id, platform: cl_platform_id, index: Int, platformIndex: Int, deviceIndex: Int,
         platformName: String, platformVersion: String) throws {
        self.id = id; self.platform = platform
        self.index = index; self.platformIndex = platformIndex; self.deviceIndex = deviceIndex
        self.platformName = platformName; self.platformVersion = platformVersion
        name = try Self.deviceString(id, cl_device_info(CL_DEVICE_NAME))
        vendor = try Self.deviceString(id, cl_device_info(CL_DEVICE_VENDOR))
        version = try Self.deviceString(id, cl_device_info(CL_DEVICE_VERSION))
        driverVersion = try Self.deviceString(id, cl_device_info(CL_DRIVER_VERSION))
        let bits: cl_device_type = try Self.deviceValue(id, cl_device_info(CL_DEVICE_TYPE))
        type = Self.typeName(bits)
        computeUnits = Int(try Self.deviceValue(id, cl_device_info(CL_DEVICE_MAX_COMPUTE_UNITS)) as cl_uint)
        globalMemory = try Self.deviceValue(id, cl_device_info(CL_DEVICE_GLOBAL_MEM_SIZE)) as cl_ulong
        maxAllocation = try Self.deviceValue(id, cl_device_info(CL_DEVICE_MAX_MEM_ALLOC_SIZE)) as cl_ulong
        localMemory = try Self.deviceValue(id, cl_device_info(CL_DEVICE_LOCAL_MEM_SIZE)) as cl_ulong
        maxWorkGroupSize = Int(try Self.deviceValue(id, cl_device_info(CL_DEVICE_MAX_WORK_GROUP_SIZE)) as Int)
        maxClockMHz = Int(try Self.deviceValue(id, cl_device_info(CL_DEVICE_MAX_CLOCK_FREQUENCY)) as cl_uint)
        available = (try Self.deviceValue(id, cl_device_info(CL_DEVICE_AVAILABLE)) as cl_bool) != 0
        unifiedMemory = ((try? Self.deviceValue(id, cl_device_info(CL_DEVICE_HOST_UNIFIED_MEMORY)) as cl_bool) ?? 0) != 0
        baseAddressAlignment = max(Int(try Self.deviceValue(id, cl_device_info(CL_DEVICE_MEM_BASE_ADDR_ALIGN)) as cl_uint) / 8,
                                   MemoryLayout<Float>.size)
    }

    static func typeName(_ bits: cl_device_type) -> String {
        var names: [String] = []
        if bits & cl_device_type(CL_DEVICE_TYPE_CPU) != 0 { names.append("CPU") }
        if bits & cl_device_type(CL_DEVICE_TYPE_GPU) != 0 { names.append("GPU") }
        if bits & cl_device_type(CL_DEVICE_TYPE_ACCELERATOR) != 0 { names.append("Accelerator") }
        if bits & cl_device_type(CL_DEVICE_TYPE_CUSTOM) != 0 { names.append("Custom") }
        if names.isEmpty { names.append("Default") }
        return names.joined(separator: "+")
    }

    /// `1.5 GiB`, `512 MiB`, `64 KiB`.
    public static func formatBytes(_ bytes: UInt64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes), unit = 0
        while value >= 1024 && unit < units.count - 1 { value /= 1024; unit += 1 }
        return unit == 0 ? "\(bytes) B"
            : (value.rounded() == value ? "\(Int(value)) \(units[unit])" : String(format: "%.1f %@", value, units[unit]))
    }

    static func deviceString(_ id: cl_device_id, _ param: cl_device_info) throws -> String {
        var size = 0
        try OpenCLError.check(clGetDeviceInfo(id, param, 0, nil, &size), "clGetDeviceInfo(\(param))")
        var bytes = [CChar](repeating: 0, count: size + 1)
        try OpenCLError.check(clGetDeviceInfo(id, param, size, &bytes, nil), "clGetDeviceInfo(\(param))")
        return trimmed(bytes)
    }

    static func deviceValue<T>(_ id: cl_device_id, _ param: cl_device_info) throws -> T {
        let p = UnsafeMutablePointer<T>.allocate(capacity: 1)
        defer { p.deallocate() }
        try OpenCLError.check(clGetDeviceInfo(id, param, MemoryLayout<T>.size, p, nil), "clGetDeviceInfo(\(param))")
        return p.pointee
    }

    static func platformString(_ id: cl_platform_id, _ param: cl_platform_info) throws -> String {
        var size = 0
        try OpenCLError.check(clGetPlatformInfo(id, param, 0, nil, &size), "clGetPlatformInfo(\(param))")
        var bytes = [CChar](repeating: 0, count: size + 1)
        try OpenCLError.check(clGetPlatformInfo(id, param, size, &bytes, nil), "clGetPlatformInfo(\(param))")
        return trimmed(bytes)
    }

    static func trimmed(_ bytes: [CChar]) -> String {
        let s = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return s.trimmingCharacters(in: .whitespaces)
    }
}
