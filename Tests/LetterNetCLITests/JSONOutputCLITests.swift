import Foundation
import XCTest
import Letters

/// `--json` on every command that prints results: one JSON object on stdout and nothing else there.
final class JSONOutputCLITests: CLITestCase {
    func object(_ r: Result, line: UInt = #line) throws -> [String: Any] {
        XCTAssertEqual(r.status, 0, r.stderr, line: line)
        XCTAssertEqual(r.stdout.split(separator: "\n").count, 1, r.stdout, line: line)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout, line: line)
    }

    func testInspect() throws {
        let letters = try object(try run(["inspect", "--json", try lettersFile(count: 52)]))
        XCTAssertEqual(letters["kind"] as? String, "npz")
        XCTAssertEqual(letters["letters"] as? Int, 52)
        let arrays = try XCTUnwrap(letters["arrays"] as? [[String: Any]])
        XCTAssertEqual(arrays.map { $0["name"] as? String }, ["x", "y"])
        XCTAssertEqual(arrays[0]["shape"] as? [Int], [52, 28, 28])
        XCTAssertEqual(arrays[1]["max"] as? Double, 26)
        let model = try object(try run(["inspect", "--json", try modelFile("m.lnet")]))
        let described = try XCTUnwrap(model["model"] as? [String: Any])
        XCTAssertEqual(described["kind"] as? String, "letter classifier (mlp)")
        XCTAssertEqual(described["input_shape"] as? [Int], [1, 28, 28])
        let labels = try object(try run(["inspect", "--json", try textFile("l.csv", "ABCDE\nABCD\nFGHIJ\n")]))
        XCTAssertEqual(labels["letters_per_line"] as? [String: Int], ["4": 1, "5": 2])
        assertRefused(try run(["inspect", "--json", try textFile("bad.npy", "\u{93}NUMPY garbage")]), "bad.npy")
    }

    func testPredictPrintsASummary() throws {
        let model = try modelFile("reader.lnet", layers: StripReader.Variant.fast.layers, inputShape: [1, 28, 178])
        let summary = try object(try run(["predict", "--font-demo", "--json", "--model", model, "--views", "1", "--out", path("p.csv")]))
        XCTAssertEqual(summary["strips"] as? Int, DemoStrips.defaultCount)
        XCTAssertEqual(summary["device"] as? String, "cpu")
        XCTAssertEqual(summary["first_guess_lengths"] as? [String: Int], ["5": DemoStrips.defaultCount])
        let top5 = try XCTUnwrap(summary["top5"] as? Double), top1 = try XCTUnwrap(summary["top1"] as? Double)
        XCTAssertTrue((0...1).contains(top5) && top1 <= top5, "\(summary)")
        XCTAssertEqual((summary["letters_by_position"] as? [Double])?.count, 5)
    }

    func testDevicesAndSelftest() throws {
        let devices = try XCTUnwrap(try object(try run(["devices", "--json"]))["devices"] as? [[String: Any]])
        for (i, d) in devices.enumerated() { XCTAssertEqual(d["device"] as? String, "opencl:\(i)") }
        try XCTSkipUnless(try hasOpenCLDevice(), "no OpenCL device")
        let selftest = try object(try run(["selftest", "--json", "--skip-timing"]))
        XCTAssertEqual(selftest["passed"] as? Bool, true)
        XCTAssertEqual(selftest["failed_ops"] as? [String], [])
        let checks = try XCTUnwrap(selftest["checks"] as? [[String: Any]])
        XCTAssertGreaterThan(checks.count, 250)
        XCTAssertTrue(checks.allSatisfy { $0["passed"] as? Bool == true && $0["op"] is String }, "\(checks.prefix(2))")
    }
}
