import Letters

/// Checks that data read from files has enough images for what a command does with it, so a small or
/// empty file is refused with a message naming it instead of trapping deep inside (an empty range to
/// draw from, a batch larger than the data).
enum SmallData {
    /// Refuses `set` (read from `files`) when it holds no images.
    static func requireImages(_ set: LetterDataset, files: [String], for use: String) throws {
        guard set.count == 0 else { return }
        throw CLIFailure("\(files.joined(separator: ", ")): \(files.count == 1 ? "holds" : "hold") no images; \(use) needs at least one")
    }
}
