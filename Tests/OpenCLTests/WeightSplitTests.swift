import NeuralNet
@testable import NeuralNetOpenCL
import XCTest

/// The weight gradient's split-K follows the problem as well as the device: a large GPU does not cut a
/// small reduction into hundreds of partial sums, and a long one is still cut into bounded chunks.
final class WeightSplitTests: XCTestCase {
    let tile = GEMMTile.standard

    func conv(batch: Int, _ c: Int, _ o: Int, _ h: Int, _ w: Int) -> Conv2dGeometry {
        Conv2dGeometry(batch: batch, inChannels: c, inHeight: h, inWidth: w, outChannels: o, kernelSize: 3, stride: 1, padding: 1)
    }

    func testChunksCoverTheReductionInWholeDepths() {
        for units in [1, 2, 16, 132] {
            for g in [conv(batch: 1, 1, 8, 5, 5), conv(batch: 32, 32, 64, 14, 49), conv(batch: 1024, 64, 64, 7, 7)] {
                let (splits, chunk) = OpenCLBackend.weightSplits(g, tile: tile, computeUnits: units)
                let total = g.batch * g.outHeight * g.outWidth
                XCTAssertEqual(chunk % tile.depth, 0)
                XCTAssertGreaterThanOrEqual(splits * chunk, total)
                XCTAssertLessThan((splits - 1) * chunk, total, "no empty chunk")
                XCTAssertLessThanOrEqual(chunk, max(OpenCLBackend.maxWeightChunk, tile.depth))
            }
        }
    }

    func testALargeDeviceKeepsChunksLongEnough() {
        // The reader's 32→64 layer on a batch of 32 strips of 168 px (22k positions), 4 output tiles.
        let g = conv(batch: 32, 32, 64, 14, 49)
        let big = OpenCLBackend.weightSplits(g, tile: tile, computeUnits: 132)
        XCTAssertGreaterThanOrEqual(big.chunk, OpenCLBackend.minWeightChunkDepths * tile.depth)
        XCTAssertLessThanOrEqual(big.splits, 86, "at most 22k / 256 chunks (264 without the floor)")
        // PoCL's two units: 2 wanted, then cut at maxWeightChunk (6 chunks of 4096), as before the floor.
        XCTAssertEqual(OpenCLBackend.weightSplits(g, tile: tile, computeUnits: 2).splits, 6)
        // A long reduction is still cut at maxWeightChunk.
        let long = OpenCLBackend.weightSplits(conv(batch: 4096, 64, 64, 14, 14), tile: tile, computeUnits: 2)
        XCTAssertEqual(long.chunk, OpenCLBackend.maxWeightChunk)
    }
}
