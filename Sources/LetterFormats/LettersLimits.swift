import Foundation

/// Caps that keep a hostile or broken file from making the library allocate without bound.
public enum LettersLimits {
    /// The largest file, archive member or decoded array accepted: 2 GiB.
    public static let maxBytes = 2 << 30
}

/// How a URL is named in error messages: the path as given (relative stays relative).
public func displayName(_ url: URL) -> String { url.isFileURL ? url.relativePath : url.absoluteString }

/// `"(2, 3)"`-style shape text, as numpy prints it.
public func shapeText(_ shape: [Int]) -> String {
    shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
}
