import Foundation
import NeuralNet
import NeuralNetOpenCL
import XCTest

/// The OpenCL backend under test, shared by all tests (device `LETTERNET_OPENCL_DEVICE`, default 0).
/// Without a device the tests skip, unless `CI` is set (and not `false`/`0`): then they fail.
enum TestDevice {
    struct Unavailable: Error, CustomStringConvertible { let description: String }

    static let shared: Result<OpenCLBackend, Error> = Result {
        let index = Int(ProcessInfo.processInfo.environment["LETTERNET_OPENCL_DEVICE"] ?? "") ?? 0
        return try OpenCLBackend(deviceIndex: index)
    }

    static var isCI: Bool {
        guard let v = ProcessInfo.processInfo.environment["CI"]?.lowercased(), !v.isEmpty else { return false }
        return v != "false" && v != "0"
    }

    static func backend() throws -> OpenCLBackend {
        switch shared {
        case .success(let b): return b
        case .failure(let error):
            let devices = (try? OpenCLDevice.list()) ?? []
            let message = devices.isEmpty ? "no OpenCL device available" : "OpenCL backend unavailable: \(error)"
            if isCI || !devices.isEmpty {
                // A device that exists but does not work is always a failure; no device fails on CI.
                throw Unavailable(description: "\(message) (CI=\(ProcessInfo.processInfo.environment["CI"] ?? ""))")
            }
            throw XCTSkip("\(message); skipping OpenCL tests (set CI=true to turn this into a failure)")
        }
    }
}
