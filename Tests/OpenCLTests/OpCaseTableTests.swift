import BackendChecks
import Foundation
import NeuralNet
import XCTest

/// The op-case table itself, without a device: it covers every op of the `Backend` protocol, and its
/// comparison catches a wrong result.
final class OpCaseTableTests: XCTestCase {
    /// Every operation `Backend` declares except memory management has a case whose op name, without
    /// underscores and case, starts with the function's name (`conv2dForwardReLU` → `conv2d_forward_relu`).
    func testEveryBackendOpHasCases() throws {
        let backendSource = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/NeuralNet/Backend.swift")
        let text = try String(contentsOf: backendSource, encoding: .utf8)
        let protocolBody = try XCTUnwrap(text.range(of: "public protocol Backend").map { text[$0.upperBound...] }
            .flatMap { body in body.range(of: "\n}\n").map { body[..<$0.lowerBound] } })
        let regex = try NSRegularExpression(pattern: #"func (\w+)\("#)
        let body = String(protocolBody)
        let functions = regex.matches(in: body, range: NSRange(body.startIndex..., in: body))
            .compactMap { Range($0.range(at: 1), in: body).map { String(body[$0]) } }
            .filter { !["makeBuffer", "makeBufferViews", "upload", "queueMark", "uploadAhead", "awaitUploads", "download",
                         "synchronize"].contains($0) }  // views: FlatAdamTests; copies ahead: AlternatingInputsTests
        XCTAssertGreaterThan(functions.count, 20, "\(functions)")
        let squash = { (s: String) in s.lowercased().replacingOccurrences(of: "_", with: "") }
        let ops = Set(OpCases.all.map { squash($0.op) })
        for f in functions {
            XCTAssertTrue(ops.contains { $0.hasPrefix(squash(f)) }, "Backend.\(f) has no op case in OpCases")
        }
    }

    /// Backward cases name the forward op they differentiate, which is in the table for the same shape.
    func testDerivativesPointAtForwardCases() {
        let all = OpCases.all
        for c in all {
            guard let d = c.derivative else { continue }
            let forward = all.first { $0.op == d.forwardOp && $0.shape == c.shape && $0.group == c.group }
            XCTAssertNotNil(forward, "\(c.op) [\(c.shape)]: no \(d.forwardOp) case of that shape")
            if let forward, forward.operands.contains(where: { $0.name == d.input }),
               c.operands.contains(where: { $0.name == d.input }) {
                XCTAssertEqual(forward.values(of: d.input), c.values(of: d.input), "\(c.op) [\(c.shape)]: \(d.input)")
            }
        }
    }

    /// The table serves gradient checks too: each backward case's result matches central differences
    /// of Σ forwardOutput·outputGradient in its forward case (CPU backend, a few elements per case;
    /// shapes with ties in max pooling are left out, where the derivative does not exist).
    func testBackwardCasesMatchFiniteDifferences() throws {
        let cpu = CPUBackend(threads: 2), all = OpCases.all
        var checked = Set<String>()
        for c in all {
            guard let d = c.derivative, !c.shape.hasSuffix("ties") else { continue }
            let forward = try XCTUnwrap(all.first { $0.op == d.forwardOp && $0.shape == c.shape && $0.group == c.group })
            let analytic = try XCTUnwrap(c.run(on: cpu).outputs[d.result])
            let dy = c.values(of: d.outputGradient), x = forward.values(of: d.input)
            guard !x.isEmpty else { continue }
            let h: Float = c.group == "relu" || c.group == "maxpool2d" ? 1e-3 : 1e-2
            let indices = (0..<min(6, x.count)).map { $0 * x.count / min(6, x.count) }
            func loss(_ values: [Float]) -> Double {
                let y = forward.replacing(d.input, with: values).run(on: cpu).outputs[d.forwardOutput] ?? []
                return zip(y, dy).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
            }
            let numeric = indices.map { i -> Float in
                var plus = x, minus = x
                plus[i] += h; minus[i] -= h
                return Float((loss(plus) - loss(minus)) / Double(2 * h))
            }
            let error = normalizedSquaredError(indices.map { analytic[$0] }, numeric).squareRoot()
            XCTAssertLessThan(error, 1e-2, "\(c.op) [\(c.shape)]: ∂/∂\(d.input) \(indices.map { analytic[$0] }) vs \(numeric)")
            checked.insert(c.op)
        }
        XCTAssertEqual(checked, ["relu_backward", "linear_backward_input", "linear_backward_weight", "conv2d_backward_input",
                                 "conv2d_backward_weight", "maxpool2d_backward", "batchnorm_backward",
                                 "masked_softmax_cross_entropy_backward", "distillation_cross_entropy_backward"])
    }

    /// A case whose op goes wrong on one backend fails there, named, while the others pass.
    func testParityCatchesAWrongResult() {
        let reference = CPUBackend(threads: 2), other = CPUBackend(threads: 2)
        let cases = OpCases.all.filter { $0.group == "relu" || $0.group == "multiply" }.map { c in
            // On `other`, the first output element of the ReLU cases is off by 0.5 after the op.
            OpCase(op: c.op, group: c.group, shape: c.shape, tolerance: c.tolerance, operands: c.operands,
                   outputs: c.outputs, derivative: c.derivative) { b, t in
                c.body(b, t)
                if c.group == "relu" && b === other {
                    let out = t[c.outputs[0]]
                    var v = b.download(out)
                    v[0] += 0.5
                    v.withUnsafeBufferPointer { b.upload($0, to: out) }
                }
            }
        }
        let results = OpParity.check(cases, on: other, variant: "perturbed", against: reference)
        XCTAssertEqual(Set(results.filter { !$0.passed }.map(\.op)), ["relu_forward", "relu_backward"])
        XCTAssertTrue(results.filter { $0.op == "multiply" }.allSatisfy(\.passed))
        let failure = results.first { !$0.passed }
        XCTAssertTrue(failure?.line.hasPrefix("FAIL") ?? false)
        XCTAssertTrue(failure?.line.contains("relu_forward") ?? false, failure?.line ?? "")
    }
}
