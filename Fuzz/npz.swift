// libFuzzer target: .npz bytes, through the format registry as loading and `inspect` read them: the
// header-only listing (NPZ.list), every array (NPZ.read), and x and y as a dataset's pixels and labels.
// NPZ.read(url:) reads from a file, so the bytes also go to a temporary file once.
import Foundation
import LetterFormats

/// Memory-backed /dev/shm when there is one: a disk-backed temporary file makes every run wait on I/O.
let fuzzDirectory = FileManager.default.isWritableFile(atPath: "/dev/shm")
    ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory

let npzFile = fuzzDirectory.appendingPathComponent("letternet-fuzz-\(getpid()).npz")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    if size == 0 { atexit { try? FileManager.default.removeItem(at: npzFile) } }  // libFuzzer runs an empty input first
    let file = DataFile(name: "fuzz.npz", bytes: [UInt8](UnsafeBufferPointer(start: data, count: size)))
    _ = try? file.members()
    _ = try? file.arrays()
    if let arrays = try? file.arrays(["x", "y"]) {
        _ = try? arrays["x"]!.pixels(file: "fuzz.npz[x]", unitScaleMax: 1) { "element \($0)" }
        _ = arrays["y"]!.ints()
    }
    if (try? Data(bytes: data, count: size).write(to: npzFile)) != nil { _ = try? NPZ.read(url: npzFile) }
    return 0
}
