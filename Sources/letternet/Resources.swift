import Foundation

/// Finds the files the tool ships (the default models, the demo strips) from any working directory.
/// Models:
/// 1. the folder named by `LETTERNET_MODELS`, if set (a folder that does not exist is an error);
/// 2. `Models/` in the source checkout this binary was built from (found from this file's path);
/// 3. `Models/` beside the executable, or `../share/letternet/Models` relative to it.
/// The demo strips: `Demo/` in the same places, without the variable.
enum Resources {
    static func modelsFolderCandidates() throws -> [URL] {
        if let env = ProcessInfo.processInfo.environment["LETTERNET_MODELS"], !env.isEmpty {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: env, isDirectory: &isFolder), isFolder.boolValue else {
                throw CLIFailure("LETTERNET_MODELS=\(env): no such folder; set it to a folder of .lnet models or unset it")
            }
            return [URL(fileURLWithPath: env)] + shippedFolders("Models")
        }
        return shippedFolders("Models")
    }

    /// `name/` in the checkout, beside the executable, and in `../share/letternet/`.
    static func shippedFolders(_ name: String) -> [URL] {
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        return [checkout.appendingPathComponent(name), exe.appendingPathComponent(name),
                exe.appendingPathComponent("../share/letternet/\(name)").standardized]
    }

    /// Every shipped `<prefix>*.lnet` in the first models folder that has any, sorted by name.
    static func models(prefix: String) throws -> [URL] {
        for folder in try modelsFolderCandidates() {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            let found = names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".lnet") }.sorted()
            if !found.isEmpty { return found.map { folder.appendingPathComponent($0) } }
        }
        return [try model(prefix + ".lnet")]
    }

    /// The shipped model file `name`, or an error listing where it was looked for.
    static func model(_ name: String) throws -> URL {
        let candidates = try modelsFolderCandidates().map { $0.appendingPathComponent(name) }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw CLIFailure("the default model \(name) was not found (looked in: \(candidates.map(\.path).joined(separator: ", "))); pass --model FILE or set LETTERNET_MODELS")
    }

    /// The shipped demo file `name` (in `Demo/`), or an error listing where it was looked for.
    static func demo(_ name: String) throws -> URL {
        let candidates = shippedFolders("Demo").map { $0.appendingPathComponent(name) }
        if let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0.path) }) { return found }
        throw CLIFailure("the demo strips \(name) were not found (looked in: \(candidates.map(\.path).joined(separator: ", "))); pass --strips FILE or --font-demo")
    }
}
