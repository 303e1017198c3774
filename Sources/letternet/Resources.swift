import Foundation

/// Finds the files the tool ships (the default models) from any working directory:
/// 1. the folder named by `LETTERNET_MODELS`, if set;
/// 2. `Models/` in the source checkout this binary was built from (found from this file's path);
/// 3. `Models/` beside the executable, or `../share/letternet/Models` relative to it.
enum Resources {
    static func modelsFolderCandidates() -> [URL] {
        var out: [URL] = []
        if let env = ProcessInfo.processInfo.environment["LETTERNET_MODELS"], !env.isEmpty {
            out.append(URL(fileURLWithPath: env))
        }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        out.append(checkout.appendingPathComponent("Models"))
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        out.append(exe.appendingPathComponent("Models"))
        out.append(exe.appendingPathComponent("../share/letternet/Models").standardized)
        return out
    }

    /// Every shipped `<prefix>*.lnet` in the first models folder that has any, sorted by name.
    static func models(prefix: String) throws -> [URL] {
        for folder in modelsFolderCandidates() {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            let found = names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".lnet") }.sorted()
            if !found.isEmpty { return found.map { folder.appendingPathComponent($0) } }
        }
        return [try model(prefix + ".lnet")]
    }

    /// The shipped model file `name`, or an error listing where it was looked for.
    static func model(_ name: String) throws -> URL {
        let candidates = modelsFolderCandidates().map { $0.appendingPathComponent(name) }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw CLIFailure("the default model \(name) was not found (looked in: \(candidates.map(\.path).joined(separator: ", "))); pass --model FILE or set LETTERNET_MODELS")
    }
}
