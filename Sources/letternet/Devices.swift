import ArgumentParser
import NeuralNetOpenCL

/// `letternet devices`: every OpenCL platform and device, with the index `--device opencl:N` takes,
/// then the available ones in the order `--device auto` ranks them.
struct Devices: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List OpenCL platforms and devices (the N of --device opencl:N).",
        discussion: """
            Reads the installed OpenCL drivers (ICDs); writes nothing, it prints the list, then the \
            available devices in the order --device auto takes them (discrete GPUs, integrated GPUs, \
            accelerators, CPUs; auto takes a CPU only with LETTERNET_AUTO_OPENCL=any). N is the \
            device's position in the flat list over all platforms, as printed here. Kernels are read from \
            $LETTERNET_KERNELS if set, else from the source checkout's Kernels/, else from Kernels/ beside \
            the executable or ../share/letternet/Kernels.

            Example:
              letternet devices
              letternet train --data letters.npz --device opencl:1
              letternet devices --json
            """)

    @Flag(help: "Print one JSON object: {\"devices\": [{index, device (opencl:N), platform, name, type, …}]}.") var json = false

    func run() throws {
        let devices: [OpenCLDevice]
        do { devices = try OpenCLDevice.list() } catch {
            throw CLIFailure("cannot list OpenCL devices: \(error)")
        }
        if json { return try printJSON(devices) }
        guard !devices.isEmpty else {
            print("No OpenCL platforms or devices found (is an ICD such as PoCL installed?). Use --device cpu.")
            return
        }
        var platform = -1
        for d in devices {
            if d.platformIndex != platform {
                platform = d.platformIndex
                print("Platform \(platform): \(d.platformName) (\(d.platformVersion))")
            }
            print("  opencl:\(d.index)  [device \(d.deviceIndex)]  \(d.name)")
            print("      type \(d.type), \(d.computeUnits) compute units @ \(d.maxClockMHz) MHz, "
                  + "global memory \(OpenCLDevice.formatBytes(d.globalMemory)) "
                  + "(max buffer \(OpenCLDevice.formatBytes(d.maxAllocation))), "
                  + "local memory \(OpenCLDevice.formatBytes(d.localMemory))")
            print("      \(d.version), driver \(d.driverVersion), max work-group \(d.maxWorkGroupSize)"
                  + (d.available ? "" : ", NOT AVAILABLE"))
        }
        let ranked = DeviceRanking.ranked(devices)
        print("Ranking for --device auto (CPUs only with \(autoOpenCLVariable)=any; the CPU backend otherwise):")
        for (i, d) in ranked.enumerated() { print("  \(i + 1). opencl:\(d.index)  \(d.name) (\(d.deviceClass))") }
        if ranked.isEmpty { print("  no available device") }
    }

    /// `--json`: every device, in the order of the N of `--device opencl:N`.
    func printJSON(_ devices: [OpenCLDevice]) throws {
        try JSONOutput.print(["devices": devices.map { d -> [String: Any] in
            ["index": d.index, "device": "opencl:\(d.index)", "platform": d.platformName, "platform_version": d.platformVersion,
             "name": d.name, "vendor": d.vendor, "type": d.type, "compute_units": d.computeUnits, "max_clock_mhz": d.maxClockMHz,
             "global_memory_bytes": d.globalMemory, "max_allocation_bytes": d.maxAllocation, "local_memory_bytes": d.localMemory,
             "version": d.version, "driver_version": d.driverVersion, "max_work_group_size": d.maxWorkGroupSize,
             "available": d.available]
        }])
    }
}
