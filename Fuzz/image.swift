// libFuzzer target: PNG and JPEG bytes (GrayImage.decode through libpng and libjpeg), as the format
// registry reads them (DataFile.image).
import Foundation
import LetterFormats

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let image = try? DataFile(name: "fuzz.png", bytes: bytes).image() else { return 0 }
    precondition(image.pixels.count == image.width * image.height)
    precondition(image.width * image.height <= GrayImage.maxPixels)
    return 0
}
