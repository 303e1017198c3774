@testable import NeuralNet
import XCTest

/// The own AVX-512 GEMM (Sources/CGemm) against OpenBLAS: every transpose, edge sizes around the
/// 8×32 micro-kernel and the 256-deep K blocks, padded leading dimensions, alpha and beta.
final class GEMMTests: XCTestCase {
    struct Case { var transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, beta: Float, pad: Int }

    func requireAVX512() throws {
        guard GEMM.avx512Available else { throw XCTSkip("this processor has no AVX-512: OpenBLAS is used") }
    }

    /// Largest |own − OpenBLAS| over the largest |OpenBLAS| entry.
    func normalizedError(_ c: Case, seed: UInt64) -> Float {
        var rng = SeededGenerator(seed: seed)
        func random(_ count: Int) -> [Float] { (0..<count).map { _ in rng.nextUniform() * 2 - 1 } }
        let lda = (c.transA ? c.m : c.k) + c.pad, ldb = (c.transB ? c.k : c.n) + c.pad, ldc = c.n + c.pad
        let a = random((c.transA ? c.k : c.m) * lda), b = random((c.transB ? c.n : c.k) * ldb)
        let c0 = random(c.m * ldc)
        func product(_ impl: GEMM.Implementation) -> [Float] {
            var out = c0
            GEMM.run(impl, transA: c.transA, transB: c.transB, m: c.m, n: c.n, k: c.k, alpha: c.alpha,
                     a: a, lda: lda, b: b, ldb: ldb, beta: c.beta, c: &out, ldc: ldc)
            return out
        }
        let own = product(.avx512), reference = product(.openblas)
        let scale = reference.map(abs).max() ?? 1
        return zip(own, reference).map { abs($0 - $1) }.max()! / max(scale, 1e-30)
    }

    func testMatchesOpenBLASOnEdgeShapes() throws {
        try requireAVX512()
        var cases: [Case] = []
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            for (m, n, k) in [(1, 1, 1), (8, 32, 1), (7, 31, 5), (9, 33, 17), (16, 16, 256), (17, 48, 257),
                              (3, 70, 300), (40, 15, 513), (32, 784, 288), (288, 32, 196)] {
                cases.append(Case(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1, beta: 0, pad: 0))
            }
            cases.append(Case(transA: ta, transB: tb, m: 13, n: 37, k: 300, alpha: -0.5, beta: 1, pad: 3))
            cases.append(Case(transA: ta, transB: tb, m: 21, n: 5, k: 9, alpha: 2, beta: 0.25, pad: 1))
        }
        for (i, c) in cases.enumerated() {
            // float32 sums of up to 513 products in another order: within a few ulps of the largest entry.
            XCTAssertLessThan(normalizedError(c, seed: UInt64(i + 1)), 1e-5, "\(c)")
        }
    }

    func testBetaZeroDoesNotReadC() throws {
        try requireAVX512()
        let a = [Float](repeating: 1, count: 9 * 4), b = [Float](repeating: 2, count: 4 * 35)
        var c = [Float](repeating: .nan, count: 9 * 35)
        GEMM.run(.avx512, transA: false, transB: false, m: 9, n: 35, k: 4, alpha: 1, a: a, lda: 4, b: b, ldb: 35,
                 beta: 0, c: &c, ldc: 35)
        XCTAssertEqual(c, [Float](repeating: 8, count: 9 * 35))
        GEMM.run(.avx512, transA: false, transB: false, m: 9, n: 35, k: 0, alpha: 1, a: a, lda: 4, b: b, ldb: 35,
                 beta: 0, c: &c, ldc: 35)
        XCTAssertEqual(c, [Float](repeating: 0, count: 9 * 35), "K = 0 and beta = 0 clear C")
    }
}
