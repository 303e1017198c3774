// libFuzzer target: PNG and JPEG bytes (GrayImage.decode through libpng and libjpeg), and, for images
// that decode to at most a megapixel, the preprocessing that makes them a strip (PhotoStrip).
import Foundation
import Letters

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let image = try? GrayImage.decode(bytes, file: "fuzz.png") else { return 0 }
    precondition(image.pixels.count == image.width * image.height)
    if image.width * image.height <= 1 << 20 {
        let strip = PhotoStrip.strip(from: image)
        precondition(strip.pixels.count == PhotoStrip.height * strip.width || image.height == PhotoStrip.height)
        precondition(strip.pixels.allSatisfy { $0.isFinite && $0 >= 0 && $0 <= 255 })
    }
    return 0
}
