import CBLAS
import CGemm
import Foundation

/// The CPU backend's matrix product: row-major `C = alpha·op(A)·op(B) + beta·C` (op(A) is M×K, op(B) is K×N).
///
/// Runs the package's own AVX-512 kernel (Sources/CGemm) where the processor has AVX-512, and
/// OpenBLAS's `cblas_sgemm` elsewhere. OpenBLAS is kept to its AVX2 kernels on some processors
/// (`OPENBLAS_CORETYPE`), which halves its speed on AVX-512 machines; the own kernel runs the
/// convolution network's small products about 1.7–2.2× faster there (`Scripts/gemm_bench.c` measures it).
/// `LETTERNET_GEMM=openblas` forces OpenBLAS, to compare the two.
public enum GEMM {
    /// The implementation `sgemm` uses in this process.
    public enum Implementation: String, Sendable { case avx512 = "avx512", openblas }

    /// Whether this processor can run the own kernel.
    public static let avx512Available = lnet_sgemm_available() != 0

    public static let implementation: Implementation = {
        if ProcessInfo.processInfo.environment["LETTERNET_GEMM"] == "openblas" { return .openblas }
        return avx512Available ? .avx512 : .openblas
    }()

    /// Single-threaded (CPUBackend splits the work across its workers).
    @inline(__always)
    static func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
                      a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                      beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        run(implementation, transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// `sgemm` with a chosen implementation (tests compare the two).
    static func run(_ implementation: Implementation, transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
                    alpha: Float, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        switch implementation {
        case .avx512:
            lnet_sgemm(transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha,
                       a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        case .openblas:
            cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                        Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
        }
    }
}
