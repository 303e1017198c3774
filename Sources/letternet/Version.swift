import Foundation

/// `letternet --version`: the release number and, where the binary was built from a git checkout that is
/// still there, that checkout's commit (read from its `.git` files; no git program needed, and no
/// checkout, as in a bundle carried to another machine, gives the number alone).
enum Version {
    static let number = "0.1.0"

    static var text: String {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return number + (revision(of: checkout).map { " (git \($0.prefix(12)))" } ?? "")
    }

    /// The commit `HEAD` names in the checkout at `folder`, or nil.
    static func revision(of folder: URL) -> String? {
        guard let gitDir = gitDirectory(of: folder), let head = read(gitDir.appendingPathComponent("HEAD")) else { return nil }
        guard head.hasPrefix("ref: ") else { return isCommit(head) ? head : nil }  // a detached HEAD
        let ref = String(head.dropFirst(5))
        // A worktree keeps its refs in the main repository (`commondir`).
        let common = read(gitDir.appendingPathComponent("commondir")).map { path($0, in: gitDir) } ?? gitDir
        for dir in [gitDir, common] {
            if let commit = read(dir.appendingPathComponent(ref)), isCommit(commit) { return commit }
        }
        // Packed refs: lines "<commit> <ref>".
        let packed: [Substring] = read(common.appendingPathComponent("packed-refs"))?.split(separator: "\n") ?? []
        for line in packed {
            let fields = line.split(separator: " ")
            if fields.count == 2, fields[1] == ref, isCommit(String(fields[0])) { return String(fields[0]) }
        }
        return nil
    }

    /// `.git` as a folder, or the folder a `.git` file (`gitdir: …`, a worktree's) points to.
    static func gitDirectory(of folder: URL) -> URL? {
        let dotGit = folder.appendingPathComponent(".git")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dotGit.path, isDirectory: &isFolder) else { return nil }
        if isFolder.boolValue { return dotGit }
        guard let line = read(dotGit), line.hasPrefix("gitdir: ") else { return nil }
        return path(String(line.dropFirst(8)), in: folder)
    }

    /// `path` as written in a git file: absolute, or relative to `folder`.
    static func path(_ path: String, in folder: URL) -> URL {
        (path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)).standardized
    }

    static func read(_ url: URL) -> String? {
        (try? String(contentsOf: url, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func isCommit(_ s: String) -> Bool { s.count >= 40 && s.allSatisfy(\.isHexDigit) }
}
