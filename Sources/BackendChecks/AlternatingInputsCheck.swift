import NeuralNet

/// `AlternatingInputs` on one backend: batches copied ahead into two sets in turn while the device
/// computes, each read by a step that first runs a long unrelated product (so that its read comes late)
/// and then adds its batch into a running sum. A copy that did not wait for the step before last to
/// read its set, or a step that did not wait for its copy, leaves a wrong sum; the sums are small
/// integers, exact in float, so the tolerance is 0.
public enum AlternatingInputsCheck {
    /// How many elements of the final sum differ from the host's, and whether the sets alternated.
    /// `upload` queues batch `index`'s copy and returns the buffer the step reads (by default, through
    /// `AlternatingInputs`; a test plants a wrong one).
    public static func check(on backend: Backend, batches: Int = 12, elements: Int = 4096, productRows: Int = 96,
                             upload: ((_ batch: [Float], _ index: Int) -> DeviceBuffer)? = nil) -> OpCheckResult {
        let inputs = AlternatingInputs(counts: [elements], backend: backend)
        let upload = upload ?? { batch, _ in inputs.upload([batch])[0] }
        let sum = backend.makeBuffer(count: elements)
        let (k, n) = (512, 512)
        let x = backend.makeBuffer(count: productRows * k), w = backend.makeBuffer(count: n * k)
        let bias = backend.makeBuffer(count: n), y = backend.makeBuffer(count: productRows * n)
        seededUniform(productRows * k, seed: 9).withUnsafeBufferPointer { backend.upload($0, to: x) }
        seededUniform(n * k, seed: 10).withUnsafeBufferPointer { backend.upload($0, to: w) }
        var expected = [Float](repeating: 0, count: elements)
        var sets: [ObjectIdentifier] = []
        for b in 0..<batches {
            let batch = (0..<elements).map { Float(($0 * 7 + b * 3) % 11 + b) }
            for i in 0..<elements { expected[i] += batch[i] }
            let input = upload(batch, b)
            sets.append(ObjectIdentifier(input))
            backend.linearForward(x: x, weight: w, bias: bias, y: y, batch: productRows, inFeatures: k, outFeatures: n)
            backend.add(sum, input, out: sum, count: elements)
        }
        let got = backend.download(sum)
        let differing = zip(got, expected).filter { $0 != $1 }.count
        let alternates = sets.indices.allSatisfy { i in
            i < 1 || (sets[i] != sets[i - 1] && (i < 2 || sets[i] == sets[i - 2]))
        }
        return OpCheckResult(op: "alternating_inputs", shape: "\(batches) batches of \(elements)", variant: "",
                             error: Double(differing), measure: "differ", tolerance: 0,
                             problem: backend.fault.map { "device fault: \($0)" }
                                 ?? (alternates ? nil : "the batches did not take the two sets in turn"))
    }
}
