// libFuzzer target: .npy bytes (NPY.read, the header parser, and the strips/letters loaders on the array).
import Foundation
import Letters

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    _ = try? NPY.readHeader(bytes: [UInt8](bytes), name: "fuzz.npy")
    guard let array = try? NPY.read(data: bytes, name: "fuzz.npy") else { return 0 }
    _ = try? StripSet.fromArray(array, name: "fuzz.npy")
    _ = try? LetterDataset.fromArrays(x: array, y: array, name: "fuzz.npy")
    return 0
}
