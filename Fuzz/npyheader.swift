// libFuzzer target: the .npy header parser on deeply nested and very long headers.
//
// The plain npy target's inputs stay a few KB long, too short to nest brackets thousands of levels
// deep. Here an input is expanded: bytes 0–1 are a repeat count N (little-endian, up to 65535), the
// rest is a PATTERN, a 0x00 byte, and a TAIL; the header dict is
// "{'descr': '<f4', 'fortran_order': False, 'shape': " + PATTERN × N + TAIL, stored in a version 2.0
// .npy (32-bit header length), then parsed and, when it parses, decoded.
import Foundation
import LetterFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size >= 2 else { return 0 }
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let repeats = Int(input[0]) | Int(input[1]) << 8
    let rest = input[2...]
    let split = rest.firstIndex(of: 0) ?? rest.endIndex
    let pattern = Array(rest[..<split]), tail = split < rest.endIndex ? Array(rest[(split + 1)...]) : []
    guard pattern.count * repeats <= 1 << 20 else { return 0 }
    var header = Array("{'descr': '<f4', 'fortran_order': False, 'shape': ".utf8)
    header.reserveCapacity(header.count + pattern.count * repeats + tail.count + 1)
    for _ in 0..<repeats { header += pattern }
    header += tail + [0x0A]
    let length = header.count
    let bytes = [0x93] + Array("NUMPY".utf8) + [2, 0] + (0..<4).map { UInt8((length >> (8 * $0)) & 0xFF) } + header
    _ = try? NPY.readHeader(bytes: bytes, name: "fuzz.npy")
    _ = try? NPY.read(data: Data(bytes), name: "fuzz.npy")
    return 0
}
