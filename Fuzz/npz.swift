// libFuzzer target: .npz bytes. NPZ reads from a URL, so the bytes go to a temporary file first;
// both the full read (NPZ.read, LetterDataset.load) and the header-only listing (NPZ.list) run.
import Foundation
import Letters

/// Memory-backed /dev/shm when there is one: a disk-backed temporary file makes every run wait on I/O.
let fuzzDirectory = FileManager.default.isWritableFile(atPath: "/dev/shm")
    ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory

let npzFile = fuzzDirectory.appendingPathComponent("letternet-fuzz-\(getpid()).npz")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if size == 0 { atexit { try? FileManager.default.removeItem(at: npzFile) } }  // libFuzzer runs an empty input first
    guard (try? Data(bytes: data, count: size).write(to: npzFile)) != nil else { return 0 }
    _ = try? NPZ.list(url: npzFile)
    _ = try? NPZ.read(url: npzFile)
    _ = try? LetterDataset.load(url: npzFile)
    return 0
}
