import Foundation
import Letters

/// `FILE` or `FILE@N`: a data file and how many times per epoch its training images are seen.
struct WeightedPath {
    let path: String, weight: Int

    init(_ argument: String) throws {
        if let at = argument.lastIndex(of: "@"), let n = Int(argument[argument.index(after: at)...]) {
            guard n >= 1 else { throw CLIFailure("\(argument): the weight after @ must be at least 1") }
            path = String(argument[..<at]); weight = n
        } else {
            path = argument; weight = 1
        }
    }
}

extension WeightedPath {
    /// Loads every `FILE@N` argument: the datasets, and a repeat count per image.
    static func load(_ arguments: [String]) throws -> (sets: [LetterDataset], repeats: [Int]) {
        let weighted = try arguments.map(WeightedPath.init)
        let sets = try weighted.map { try LetterDataset.load(url: URL(fileURLWithPath: $0.path)) }
        return (sets, zip(sets, weighted).flatMap { Array(repeating: $1.weight, count: $0.count) })
    }
}

extension WeightedPath {
    /// A path's file name (`FILE@N` keeps its weight): metadata never records a machine's folders.
    static func fileName(_ path: String) -> String { URL(fileURLWithPath: path).lastPathComponent }

    /// Every path in a metadata value (a list of them) reduced to its file name.
    static func fileNames(in value: String) -> String { value.replacing(#/[^\s,;]*\//#, with: "") }
}
