import XCTest
@testable import Letters
import NeuralNet

/// The benchmark's multiply-add counts (what `bench.sh`'s share of the GEMM peak divides by) follow
/// the layers' own shape rule, residual blocks' branches included.
final class BenchmarkCountTests: XCTestCase {
    func testPlainChainCountsConvolutionsAndDenseLayers() {
        // conv 1→4 3×3 pad 1 on 8×8: 4·8·8·1·9; pool to 4×4; conv 4→2 3×3 unpadded: 2·2·2·4·9; linear 8→3.
        let layers: [LayerSpec] = [.conv2d(inChannels: 1, outChannels: 4, kernelSize: 3, stride: 1, padding: 1), .relu,
                                   .maxPool2d(kernelSize: 2, stride: 2),
                                   .conv2d(inChannels: 4, outChannels: 2, kernelSize: 3, stride: 1, padding: 0),
                                   .flatten, .linear(inFeatures: 8, outFeatures: 3)]
        XCTAssertEqual(Benchmark.multiplyAdds(layers, inputShape: [1, 8, 8]), 4 * 64 * 9 + 2 * 4 * 4 * 9 + 8 * 3)
        XCTAssertEqual(Benchmark.convolutions(layers, inputShape: [1, 8, 8], batch: 5).map(\.inHeight), [8, 4])
    }

    func testResidualBlockCountsBothBranchesAndChangesTheShape() {
        // A strided block 4→8 on 8×8: body conv 3×3 stride 2 pad 1 (8·4·4·4·9) and the 1×1 projection
        // shortcut (8·4·4·4); the linear layer after it sees the block's 8×4×4 output.
        let block = LayerSpec.residual(body: [.conv2d(inChannels: 4, outChannels: 8, kernelSize: 3, stride: 2, padding: 1)],
                                       shortcut: [.conv2d(inChannels: 4, outChannels: 8, kernelSize: 1, stride: 2, padding: 0)])
        let layers: [LayerSpec] = [block, .flatten, .linear(inFeatures: 128, outFeatures: 2)]
        XCTAssertEqual(Benchmark.multiplyAdds(layers, inputShape: [4, 8, 8]), 8 * 16 * 4 * 9 + 8 * 16 * 4 + 128 * 2)
        XCTAssertEqual(Benchmark.convolutions(layers, inputShape: [4, 8, 8], batch: 1).map(\.kernelSize), [3, 1])
    }
}
