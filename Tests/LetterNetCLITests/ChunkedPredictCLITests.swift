import Foundation
import LetterFormats
import XCTest
import Letters
import NeuralNet

/// `predict` reads a `.npy` a chunk of strips at a time (hidden `--chunk-strips N`; 0 reads it whole):
/// the same prediction.csv, notes and errors as reading it whole, with chunks of 4 strips here so that
/// 10 strips make three chunks, the last one partial.
final class ChunkedPredictCLITests: CLITestCase {
    /// An untrained strip-reader model (it reads any strips, deterministically).
    func readerModel() throws -> String {
        let url = dir.appendingPathComponent("reader.lnet")
        try StripReader(width: 150, backend: CPUBackend(threads: 1), seed: 4).checkpoint().write(to: url)
        return url.path
    }

    /// 10 strips of 30×150, float64, values from a seeded generator in 0…`top`.
    func strips(_ name: String, top: Double, edit: (inout [Double]) -> Void = { _ in }) throws -> String {
        var state: UInt64 = 7
        var v = (0..<(10 * 30 * 150)).map { _ -> Double in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 40) / Double(1 << 24) * top
        }
        edit(&v)
        try NPY.write(NpyArray(v, shape: [10, 30, 150]), to: dir.appendingPathComponent(name))
        return path(name)
    }

    func predict(_ strips: String, chunk: Int, _ extra: [String] = []) throws -> (Result, csv: String?) {
        let out = path("p\(chunk).csv")
        try? FileManager.default.removeItem(atPath: out)
        let r = try run(["predict", "--strips", strips, "--model", try readerModel(), "--out", out, "--chunk-strips", "\(chunk)"] + extra)
        return (r, try? String(contentsOfFile: out, encoding: .utf8))
    }

    /// stderr without the progress lines and the survey line (which says what it measured).
    func notes(_ r: Result) -> [Substring] {
        r.stderr.split(separator: "\n").filter { !$0.hasPrefix("reading strips") && !$0.contains("strips of 30×150") }
    }

    func testChunksGiveTheSameCSVAsTheWholeFile() throws {
        for (top, extra) in [(255.0, ["--views", "2"]), (1.0, ["--views", "1", "--letters", "auto", "--letters-range", "3-5"])] {
            let file = try strips("s\(Int(top)).npy", top: top)
            let (whole, wholeCSV) = try predict(file, chunk: 0, extra)
            let (chunked, chunkedCSV) = try predict(file, chunk: 4, extra)
            XCTAssertEqual(whole.status, 0, whole.stderr)
            XCTAssertEqual(chunked.status, 0, chunked.stderr)
            XCTAssertEqual(try XCTUnwrap(wholeCSV).split(separator: "\n").count, 10)
            XCTAssertEqual(chunkedCSV, wholeCSV, "views \(extra)")
            XCTAssertEqual(notes(chunked), notes(whole))
            XCTAssertEqual(chunked.stdout.split(separator: "\n").dropFirst(), whole.stdout.split(separator: "\n").dropFirst())
            XCTAssertEqual(notes(chunked).contains { $0.contains("read as the 0…1 scale and multiplied by 255") }, top == 1, chunked.stderr)
            XCTAssertTrue(chunked.stderr.contains("10 strips of 30×150; measured on the first 4: noise"), chunked.stderr)
            XCTAssertTrue(whole.stderr.contains("10 strips of 30×150; noise"), whole.stderr)
        }
    }

    func testChunksRefuseBadFilesAsTheWholeFileBeforeWritingAnything() throws {
        let nan = try strips("nan.npy", top: 255) { $0[9 * 4500 + 2 * 150 + 3] = .nan }  // strip 9, the last chunk
        let good = try Data(contentsOf: URL(fileURLWithPath: try strips("good.npy", top: 255)))
        try good.dropLast(8).write(to: dir.appendingPathComponent("cut.npy"))
        for (file, phrase) in [(nan, "1 NaN or infinite pixel(s), the first in strip 9 at row 2, column 3"),
                               (path("cut.npy"), "needs 360000 data bytes but only 359992 follow the header")] {
            let (whole, wholeCSV) = try predict(file, chunk: 0)
            let (chunked, chunkedCSV) = try predict(file, chunk: 4)
            XCTAssertEqual(chunked.status, 2, chunked.stderr)
            XCTAssertEqual(chunked.stderr, whole.stderr)
            XCTAssertTrue(chunked.stderr.hasPrefix("error: \(file): ") && chunked.stderr.split(separator: "\n").count == 1, chunked.stderr)
            XCTAssertTrue(chunked.stderr.contains(phrase), chunked.stderr)
            XCTAssertFalse(chunked.stderr.contains("reading strips"), "refused before reading: \(chunked.stderr)")
            XCTAssertNil(chunkedCSV); XCTAssertNil(wholeCSV)
        }
    }
}
