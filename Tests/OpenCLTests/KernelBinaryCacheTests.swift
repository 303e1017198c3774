import COpenCL
import Foundation
@testable import NeuralNetOpenCL
import XCTest

/// The kernel binary cache: a second build of the same source on the same device and driver comes
/// from the file; another driver version or other source misses; a damaged file is ignored and
/// written again; the folder follows `LETTERNET_KERNEL_CACHE`.
final class KernelBinaryCacheTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("kernel-cache-\(UUID().uuidString)")
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testSecondBuildComesFromTheCacheAndADamagedFileIsBuiltAgain() throws {
        let backend = try TestDevice.backend()
        let context = backend.context, cache = OpenCLBinaryCache(folder: folder)
        let (source, path) = try KernelSource.load("metrics.cl")
        let first = try context.build(source: source, path: path, cache: cache)
        defer { clReleaseProgram(first.program) }
        XCTAssertFalse(first.cached)
        let key = OpenCLBinaryCache.key(device: backend.device, buildOptions: context.options(tile: context.defaultTile), source: source)
        let file = cache.url(for: key)
        let stored = try Data(contentsOf: file)

        let second = try context.build(source: source, path: path, cache: cache)
        defer { clReleaseProgram(second.program) }
        XCTAssertTrue(second.cached, "built again although \(file.path) holds the binary")
        XCTAssertNoThrow(try context.makeKernel(.meanLossForward, in: second.program, path: path))

        // One byte of the binary changed: the checksum no longer matches, so it is built from source and rewritten.
        var damaged = stored
        damaged[damaged.count - 20] ^= 0x5A
        try damaged.write(to: file)
        XCTAssertNil(cache.load(key: key))
        let third = try context.build(source: source, path: path, cache: cache)
        defer { clReleaseProgram(third.program) }
        XCTAssertFalse(third.cached)
        XCTAssertEqual(try Data(contentsOf: file), stored, "the file is written again, whole")
        // Cut short, or not a cache file at all.
        try stored.prefix(stored.count / 2).write(to: file)
        XCTAssertNil(cache.load(key: key))
        try Data("garbage".utf8).write(to: file)
        XCTAssertNil(cache.load(key: key))
    }

    /// Every kernel file of the backend is stored, and comes back from the cache.
    func testEveryKernelFileIsCached() throws {
        let backend = try TestDevice.backend()
        let context = backend.context, cache = OpenCLBinaryCache(folder: folder)
        for file in OpenCLBackend.kernelFiles {
            let (source, path) = try KernelSource.load(file)
            for expected in [false, true] {
                let built = try context.build(source: source, path: path, cache: cache)
                clReleaseProgram(built.program)
                XCTAssertEqual(built.cached, expected, file)
            }
        }
    }

    func testKeyChangesWithDriverOptionsAndSource() throws {
        let device = try TestDevice.backend().device
        let key = OpenCLBinaryCache.key(device: device, buildOptions: "-DA=1", source: "kernel void f() {}")
        XCTAssertTrue(key.contains("driver \(device.driverVersion)"))
        XCTAssertNotEqual(key, OpenCLBinaryCache.key(device: device, buildOptions: "-DA=2", source: "kernel void f() {}"))
        XCTAssertNotEqual(key, OpenCLBinaryCache.key(device: device, buildOptions: "-DA=1", source: "kernel void g() {}"))
        // A file stored under another driver's key is not taken for this one, even at the same path.
        let cache = OpenCLBinaryCache(folder: folder)
        let otherDriver = key.replacingOccurrences(of: "driver \(device.driverVersion)", with: "driver 0.0-other")
        cache.store(key: otherDriver, binary: Data([1, 2, 3]))
        try FileManager.default.moveItem(at: cache.url(for: otherDriver), to: cache.url(for: key))
        XCTAssertNil(cache.load(key: key))
        cache.store(key: key, binary: Data([1, 2, 3]))
        XCTAssertEqual(cache.load(key: key), Data([1, 2, 3]))
    }

    func testFolderFromTheEnvironment() {
        XCTAssertEqual(OpenCLBinaryCache.folder(environment: ["LETTERNET_KERNEL_CACHE": "/tmp/k", "HOME": "/h"])?.path, "/tmp/k")
        XCTAssertNil(OpenCLBinaryCache.folder(environment: ["LETTERNET_KERNEL_CACHE": "off", "HOME": "/h"]))
        XCTAssertEqual(OpenCLBinaryCache.folder(environment: ["XDG_CACHE_HOME": "/c", "HOME": "/h"])?.path, "/c/letternet/kernels")
        XCTAssertEqual(OpenCLBinaryCache.folder(environment: ["HOME": "/h"])?.path, "/h/.cache/letternet/kernels")
        XCTAssertNil(OpenCLBinaryCache.folder(environment: [:]))
    }
}
