// libFuzzer target: .npy bytes (NPY.read, the header parser), the format registry on them, and the
// checks every loader runs on an array: its values as pixels (NaN, float32 range, 0…1 scale) and as labels.
import Foundation
import LetterFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = [UInt8](UnsafeBufferPointer(start: data, count: size))
    _ = try? NPY.readHeader(bytes: bytes, name: "fuzz.npy")
    guard let array = try? DataFile(name: "fuzz.npy", bytes: bytes).array() else { return 0 }
    precondition(array.bytes.count == array.count * array.dtype.size)
    _ = try? array.pixels(file: "fuzz.npy", unitScaleMax: 2) { "element \($0)" }
    _ = array.ints()
    return 0
}
