/// Shape checking of an architecture before any layer is built, so that a corrupt or hand-edited
/// checkpoint is refused with a message instead of failing inside a layer.
extension LayerSpec {
    /// The output shape (without the batch) for an input of `shape`, or a description of why not.
    public func outputShape(for shape: [Int]) -> Result<[Int], ShapeProblem> {
        func fail(_ why: String) -> Result<[Int], ShapeProblem> { .failure(ShapeProblem(message: "\(self): \(why)")) }
        let limit = 1 << 20
        switch self {
        case let .conv2d(i, o, k, s, p):
            guard (1...limit).contains(i), (1...limit).contains(o), (1...64).contains(k), (1...64).contains(s),
                  (0...64).contains(p) else { return fail("invalid sizes") }
            guard shape.count == 3, shape[0] == i else { return fail("expects [\(i), H, W], gets \(shape)") }
            let h = (shape[1] + 2 * p - k) / s + 1, w = (shape[2] + 2 * p - k) / s + 1
            guard shape[1] + 2 * p >= k, shape[2] + 2 * p >= k else { return fail("kernel larger than its input \(shape)") }
            return .success([o, h, w])
        case let .batchNorm2d(c):
            guard (1...limit).contains(c), shape.count == 3, shape[0] == c else { return fail("expects [\(c), H, W], gets \(shape)") }
            return .success(shape)
        case .relu:
            return .success(shape)
        case let .maxPool2d(k, s):
            guard (1...64).contains(k), (1...64).contains(s) else { return fail("invalid sizes") }
            guard shape.count == 3, shape[1] >= k, shape[2] >= k else { return fail("expects [C, H≥\(k), W≥\(k)], gets \(shape)") }
            return .success([shape[0], (shape[1] - k) / s + 1, (shape[2] - k) / s + 1])
        case let .dropout(p):
            guard p >= 0 && p < 1 else { return fail("probability must be in [0, 1)") }
            return .success(shape)
        case .flatten:
            let (n, overflow) = shape.reduce((1, false)) { acc, d in
                let (m, o) = acc.0.multipliedReportingOverflow(by: d); return (m, acc.1 || o)
            }
            guard !overflow, n <= 1 << 40 else { return fail("\(shape) has too many elements") }
            return .success([n])
        case let .linear(i, o):
            guard (1...(1 << 26)).contains(i), (1...limit).contains(o) else { return fail("invalid sizes") }
            guard shape == [i] else { return fail("expects [\(i)], gets \(shape)") }
            return .success([o])
        case let .residual(body, shortcut):
            func refuse(_ why: String) -> Result<[Int], ShapeProblem> { .failure(ShapeProblem(message: "residual block: \(why)")) }
            guard !body.isEmpty else { return refuse("empty body") }
            guard nestingDepth <= Self.maxNesting else { return refuse("nested deeper than \(Self.maxNesting) blocks") }
            do {
                let a = try Self.chainShape(body, from: shape, naming: "body layer")
                let b = try Self.chainShape(shortcut, from: shape, naming: "shortcut layer")
                guard a == b else { return refuse("body gives \(a), shortcut \(b) for \(shape)") }
                return .success(a)
            } catch let problem as ShapeProblem {
                return refuse(problem.message)
            } catch {
                return refuse("\(error)")
            }
        }
    }

    /// The deepest nesting of residual blocks accepted.
    public static let maxNesting = 16

    /// Residual blocks nested in this layer, itself included (0 for any other layer).
    public var nestingDepth: Int {
        guard case let .residual(body, shortcut) = self else { return 0 }
        return 1 + ((body + shortcut).map(\.nestingDepth).max() ?? 0)
    }

    /// Checks a whole architecture for a sample of `inputShape`; returns the output shape.
    public static func check(_ layers: [LayerSpec], inputShape: [Int]) throws -> [Int] {
        guard inputShape.count >= 1, inputShape.allSatisfy({ (1...(1 << 16)).contains($0) }) else {
            throw ShapeProblem(message: "invalid input shape \(inputShape)")
        }
        return try chainShape(layers, from: inputShape, naming: "layer")
    }

    /// The output shape of `layers` one after the other; a failure names the layer (`body layer 2 …`).
    static func chainShape(_ layers: [LayerSpec], from inputShape: [Int], naming: String) throws -> [Int] {
        var shape = inputShape
        for (i, layer) in layers.enumerated() {
            switch layer.outputShape(for: shape) {
            case let .success(next): shape = next
            case let .failure(problem): throw ShapeProblem(message: "\(naming) \(i) \(problem.message)")
            }
        }
        return shape
    }
}

public struct ShapeProblem: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
