// libFuzzer target: idx bytes (IDX.read(bytes:)) and the pixel and label checks on the array; gzip input
// also goes through the format registry (DataFile), which gunzips it, and IDX.read(url:).
import Foundation
import LetterFormats

/// Memory-backed /dev/shm when there is one: a disk-backed temporary file makes every run wait on I/O.
let fuzzDirectory = FileManager.default.isWritableFile(atPath: "/dev/shm")
    ? URL(fileURLWithPath: "/dev/shm") : FileManager.default.temporaryDirectory

let idxFile = fuzzDirectory.appendingPathComponent("letternet-fuzz-\(getpid())-idx3-ubyte.gz")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    if size == 0 { atexit { try? FileManager.default.removeItem(at: idxFile) } }  // libFuzzer runs an empty input first
    if let array = try? IDX.read(bytes: bytes, name: "fuzz-idx3-ubyte") {
        _ = try? array.pixels(file: "fuzz-idx3-ubyte", unitScaleMax: 1) { "element \($0)" }
        _ = array.ints()
    }
    if size >= 2, bytes[0] == 0x1F, bytes[1] == 0x8B {
        _ = try? DataFile(name: "fuzz-idx3-ubyte.gz", bytes: bytes, gzipNamed: true).array()
        if (try? Data(bytes).write(to: idxFile)) != nil { _ = try? IDX.read(url: idxFile) }
    }
    return 0
}
