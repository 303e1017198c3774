import NeuralNet
import XCTest

/// Finite-difference checking shared by the layer tests.
///
/// The scalar checked is `L = Σ y·r` for a fixed random projection `r` of the layer's output, so
/// `dL/dy = r`. Central differences with step `h` in float32; the analytic and numeric gradients are
/// compared by the normalized error `‖a − n‖ / ‖n‖`.
enum GradientCheck {
    static func randomValues(_ count: Int, _ rng: inout SeededGenerator, scale: Float = 1) -> [Float] {
        (0..<count).map { _ in rng.nextNormal() * scale }
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Double {
        zip(a, b).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
    }

    static func normalizedError(_ a: [Float], _ n: [Float]) -> Double {
        let diff = zip(a, n).reduce(0.0) { $0 + Double($1.0 - $1.1) * Double($1.0 - $1.1) }
        let ref = n.reduce(0.0) { $0 + Double($1) * Double($1) }
        return (diff / max(ref, 1e-20)).squareRoot()
    }

    /// Numeric gradient of `loss()` with respect to the elements `indices` of `tensor`.
    static func numeric(_ tensor: Tensor, indices: [Int], h: Float, loss: () -> Double) -> [Float] {
        var values = tensor.toArray()
        return indices.map { i in
            let original = values[i]
            values[i] = original + h; tensor.copy(from: values); let plus = loss()
            values[i] = original - h; tensor.copy(from: values); let minus = loss()
            values[i] = original; tensor.copy(from: values)
            return Float((plus - minus) / Double(2 * h))
        }
    }

    /// Checks dL/dx and dL/dθ of `layer` for an input of `shape`.
    /// `prepare` runs before every forward (e.g. to reset a dropout seed).
    static func check(_ layer: Layer, inputShape shape: [Int], backend: Backend, seed: UInt64 = 1,
                      h: Float = 1e-2, tolerance: Double = 1e-2, inputScale: Float = 1,
                      prepare: () -> Void = {}, file: StaticString = #filePath, line: UInt = #line) {
        var rng = SeededGenerator(seed: seed)
        let x = Tensor(randomValues(shape.reduce(1, *), &rng, scale: inputScale), shape: shape, on: backend)
        let outShape = layer.outputShape(for: shape)
        let r = randomValues(outShape.reduce(1, *), &rng)
        let rTensor = Tensor(r, shape: outShape, on: backend)
        prepare()
        let y = layer.forward(x, training: true)
        XCTAssertEqual(y.shape, outShape, file: file, line: line)
        let dx = layer.backward(rTensor).toArray()
        let paramGrads = layer.parameters.map { $0.grad.toArray() }
        let loss: () -> Double = { prepare(); return dot(layer.forward(x, training: true).toArray(), r) }

        let xIndices = sample(count: x.count, &rng)
        let dxNumeric = numeric(x, indices: xIndices, h: h, loss: loss)
        let errX = normalizedError(xIndices.map { dx[$0] }, dxNumeric)
        XCTAssertLessThan(errX, tolerance, "dL/dx of \(layer.spec)", file: file, line: line)
        for (p, grad) in zip(layer.parameters, paramGrads) {
            let idx = sample(count: p.value.count, &rng)
            let num = numeric(p.value, indices: idx, h: h, loss: loss)
            let err = normalizedError(idx.map { grad[$0] }, num)
            XCTAssertLessThan(err, tolerance, "dL/d\(p.name) of \(layer.spec)", file: file, line: line)
        }
    }

    /// Checks every parameter gradient of `model` for the mean cross-entropy of `x` against `labels`
    /// by central differences (h = 1e-2); parameters in `vanishing` (a bias whose effect batch norm
    /// removes) must instead have a zero gradient up to rounding. Returns how many were compared.
    @discardableResult
    static func checkNetwork(_ model: Sequential, x: Tensor, labels: Tensor, vanishing: Set<String>, tolerance: Double,
                             rng: inout SeededGenerator, file: StaticString = #filePath, line: UInt = #line) -> Int {
        let loss = CrossEntropyLoss(backend: model.backend)
        model.backward(loss(logits: model.forward(x, training: true), labels: labels).gradient)
        var compared = 0
        for (name, p) in model.namedParameters {
            let analytic = p.grad.toArray()
            if vanishing.contains(name) {
                XCTAssertLessThan(analytic.map(abs).max()!, 1e-5, name, file: file, line: line)
                continue
            }
            let idx = sample(count: p.value.count, &rng)
            let numeric = numeric(p.value, indices: idx, h: 1e-2) {
                Double(loss(logits: model.forward(x, training: true), labels: labels).loss)
            }
            XCTAssertLessThan(normalizedError(idx.map { analytic[$0] }, numeric), tolerance, name, file: file, line: line)
            compared += 1
        }
        return compared
    }

    /// Up to 60 indices spread over `0..<count`.
    static func sample(count: Int, _ rng: inout SeededGenerator) -> [Int] {
        if count <= 60 { return Array(0..<count) }
        return (0..<60).map { _ in Int(rng.next() % UInt64(count)) }
    }
}
