// libFuzzer target: checkpoint / model bytes (Checkpoint.decode), then building the network it
// describes on the CPU (refused with a message when its tensors disagree with its architecture).
import Foundation
import NeuralNet

let backend = CPUBackend(threads: 1)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let checkpoint = try? Checkpoint.decode(Data(bytes: data, count: size), source: "fuzz.lnet") else { return 0 }
    _ = try? checkpoint.makeModel(on: backend, source: "fuzz.lnet")
    return 0
}
