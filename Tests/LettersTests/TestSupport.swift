import Foundation
@testable import LetterFormats
import XCTest
@testable import Letters

/// A fixture file from Tests/LettersTests/Fixtures (written by Scripts/make_format_fixtures.py).
func fixture(_ name: String) -> URL {
    Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil)
        ?? Bundle.module.resourceURL!.appendingPathComponent("Fixtures/\(name)")
}

/// A fresh temporary directory, removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("letters-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
}

/// Asserts `body` throws a ``LettersError`` whose one-line message names `file` and contains `phrase`.
func assertLettersError<T>(_ body: @autoclosure () throws -> T, file named: String, contains phrase: String,
                           line: UInt = #line) {
    do {
        _ = try body()
        XCTFail("expected an error mentioning '\(phrase)'", line: line)
    } catch let error as LettersError {
        let message = error.description
        XCTAssertFalse(message.contains("\n"), "message is not one line: \(message)", line: line)
        XCTAssertTrue(message.contains(named), "message does not name \(named): \(message)", line: line)
        XCTAssertTrue(message.lowercased().contains(phrase.lowercased()), "message lacks '\(phrase)': \(message)", line: line)
    } catch {
        XCTFail("expected a LettersError, got \(error)", line: line)
    }
}

/// Writes `rows` as prediction.csv through its one writer, ``PredictionRows``, in input order.
func writePrediction(_ rows: [[[Int]]], to url: URL) throws {
    var prediction = PredictionRows(count: rows.count, keepAll: false, source: "test", letters: "5")
    try prediction.add(rows.map { $0.map { (labels: $0, probability: 0.2) } }, at: Array(rows.indices))
    try prediction.write(to: url)
}
