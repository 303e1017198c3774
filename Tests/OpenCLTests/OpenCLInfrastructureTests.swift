import COpenCL
import Foundation
import NeuralNet
@testable import NeuralNetOpenCL
import XCTest

/// Device discovery, error messages, kernel lookup and program building.
final class OpenCLInfrastructureTests: XCTestCase {
    func testDeviceListIsConsistent() throws {
        let backend = try TestDevice.backend()
        let devices = try OpenCLDevice.list()
        XCTAssertFalse(devices.isEmpty)
        for (i, d) in devices.enumerated() {
            XCTAssertEqual(d.index, i)
            XCTAssertGreaterThan(d.computeUnits, 0)
            XCTAssertGreaterThan(d.globalMemory, 0)
            XCTAssertFalse(d.name.isEmpty)
        }
        XCTAssertTrue(backend.name.hasPrefix("opencl:"))
    }

    func testAbsentDeviceThrowsClearError() throws {
        _ = try TestDevice.backend()
        XCTAssertThrowsError(try OpenCLBackend(deviceIndex: 999)) { error in
            XCTAssertTrue("\(error)".contains("no device opencl:999"), "\(error)")
        }
        XCTAssertThrowsError(try OpenCLBackend(platformIndex: 99, deviceIndex: 0))
    }

    func testStatusNames() {
        XCTAssertEqual(OpenCLError.statusName(CL_OUT_OF_RESOURCES), "CL_OUT_OF_RESOURCES")
        XCTAssertEqual(OpenCLError.statusName(CL_INVALID_WORK_GROUP_SIZE), "CL_INVALID_WORK_GROUP_SIZE")
        let e = OpenCLError.call("clEnqueueNDRangeKernel(conv2d_forward)", status: CL_MEM_OBJECT_ALLOCATION_FAILURE)
        XCTAssertTrue(e.description.contains("clEnqueueNDRangeKernel(conv2d_forward)"))
        XCTAssertTrue(e.description.contains("CL_MEM_OBJECT_ALLOCATION_FAILURE"))
        let oom = OpenCLError.outOfMemory(bytes: 1 << 30, call: "clCreateBuffer", status: CL_MEM_OBJECT_ALLOCATION_FAILURE)
        XCTAssertTrue(oom.description.contains("smaller batch size"), oom.description)
    }

    func testKernelLookupRules() throws {
        let folders = KernelSource.searchFolders(environment: [:])
        XCTAssertEqual(folders.first?.lastPathComponent, "Kernels")
        for file in OpenCLBackend.kernelFiles {
            XCTAssertTrue(FileManager.default.fileExists(atPath: folders[0].appendingPathComponent(file).path), file)
        }
        let overridden = KernelSource.searchFolders(environment: ["LETTERNET_KERNELS": "/tmp/my-kernels"])
        XCTAssertEqual(overridden.map(\.path), ["/tmp/my-kernels"])
        XCTAssertThrowsError(try KernelSource.url(for: "no-such-file.cl")) { error in
            XCTAssertTrue("\(error)".contains("no-such-file.cl"), "\(error)")
        }
    }

    func testOversizedBufferThrowsOutOfMemory() throws {
        let backend = try TestDevice.backend()
        let tooMany = Int(backend.device.maxAllocation / 4) + 1
        XCTAssertThrowsError(try backend.tryMakeBuffer(count: tooMany)) { error in
            XCTAssertTrue("\(error)".contains("smaller batch size"), "\(error)")
        }
    }

    func testBuildFailureNamesFileAndLog() throws {
        let backend = try TestDevice.backend()
        XCTAssertThrowsError(try backend.context.build(source: "__kernel void broken(__global float *x) { x[0] = y; }",
                                                       path: "/tmp/broken.cl")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("/tmp/broken.cl"), text)
            XCTAssertTrue(text.contains("CL_BUILD_PROGRAM_FAILURE"), text)
            XCTAssertTrue(text.contains("Build log"), text)
        }
    }

    func testEveryKernelFileBuildsAlone() throws {
        let backend = try TestDevice.backend()
        for file in OpenCLBackend.kernelFiles {
            let (source, path) = try KernelSource.load(file)
            let program = try backend.context.build(source: source, path: path)
            clReleaseProgram(program)
        }
    }

    /// The device's memory as strip reading sizes batches from it: PoCL (a CPU device) is worth the CPU
    /// backend's 64 strips a pass; a discrete GPU would get up to 1,024.
    func testDeviceMemoryForBatchSizing() throws {
        let backend = try TestDevice.backend()
        let memory = try XCTUnwrap(backend.deviceMemory)
        XCTAssertEqual(memory.bytes, Double(backend.device.globalMemory))
        XCTAssertEqual(memory.largestBuffer, Double(backend.device.maxAllocation))
        XCTAssertEqual(memory.usefulBatch, backend.device.isCPU || backend.device.unifiedMemory ? 64 : 1024)
    }
}
