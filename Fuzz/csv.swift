// libFuzzer target: prediction.csv text (PredictionCSV.parse), as the reader gets it (UTF-8, no NUL).
import Foundation
import LetterFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard !bytes.contains(0), let text = String(bytes: bytes, encoding: .utf8) else { return 0 }
    _ = try? PredictionCSV.parse(text, file: "fuzz.csv")
    return 0
}
