import Foundation

/// `--json`: every command that prints results prints one JSON object (sorted keys, one line) on stdout
/// instead, and nothing else there; notes and warnings stay on stderr.
enum JSONOutput {
    /// Prints `object` (of JSON values: numbers, strings, bools, arrays, dictionaries, NSNull).
    static func print(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        Swift.print(String(decoding: data, as: UTF8.self))
    }

    /// `value` for JSON: nil as null, a non-finite number as null (JSON has no NaN).
    static func number(_ value: Double?) -> Any {
        guard let value, value.isFinite else { return NSNull() }
        return value
    }
}
