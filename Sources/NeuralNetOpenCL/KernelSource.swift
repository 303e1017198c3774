import Foundation

/// Finds the `.cl` files of the top-level `Kernels/` folder at run time.
///
/// Rules, in order (the first rule that applies decides):
/// 1. If the environment variable `LETTERNET_KERNELS` is set (and not empty), kernels are read from
///    that folder only; a file missing there is an error (no fallback).
/// 2. Otherwise the first of these folders that holds the requested file is used:
///    a. `<checkout>/Kernels`, where `<checkout>` is the source checkout this library was built
///       from (found from `#filePath` of this file: `<checkout>/Sources/NeuralNetOpenCL/KernelSource.swift`),
///       so binaries built from a checkout work from any working directory;
///    b. `Kernels/` beside the running executable;
///    c. `../share/letternet/Kernels` relative to the executable's folder (an installed layout,
///       e.g. `/usr/local/bin/letternet` with `/usr/local/share/letternet/Kernels`).
/// The executable's folder is that of the resolved `/proc/self/exe` (or `Bundle.main`).
public enum KernelSource {
    /// The environment variable that overrides the search.
    public static let environmentVariable = "LETTERNET_KERNELS"

    /// The folders searched, in order, for the current process.
    public static func searchFolders(environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        if let override = environment[environmentVariable], !override.isEmpty {
            return [URL(fileURLWithPath: override, isDirectory: true)]
        }
        var folders: [URL] = [checkoutKernels]
        if let exeDir = executableFolder {
            folders.append(exeDir.appendingPathComponent("Kernels", isDirectory: true))
            folders.append(exeDir.deletingLastPathComponent()
                .appendingPathComponent("share/letternet/Kernels", isDirectory: true).standardizedFileURL)
        }
        return folders
    }

    /// `<checkout>/Kernels` derived from this source file's path at build time.
    static var checkoutKernels: URL {
        URL(fileURLWithPath: #filePath)        // …/Sources/NeuralNetOpenCL/KernelSource.swift
            .deletingLastPathComponent()        // …/Sources/NeuralNetOpenCL
            .deletingLastPathComponent()        // …/Sources
            .deletingLastPathComponent()        // <checkout>
            .appendingPathComponent("Kernels", isDirectory: true)
    }

    static var executableFolder: URL? {
        let exe = URL(fileURLWithPath: "/proc/self/exe")
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: exe.path) {
            return URL(fileURLWithPath: resolved).deletingLastPathComponent()
        }
        return Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent()
    }

    /// The path of `file` (e.g. `conv2d.cl`) under the first search folder that has it.
    public static func url(for file: String) throws -> URL {
        let folders = searchFolders()
        for folder in folders {
            let candidate = folder.appendingPathComponent(file)
            if FileManager.default.isReadableFile(atPath: candidate.path) { return candidate }
        }
        throw OpenCLError.kernelFileNotFound(file: file, searched: folders.map(\.path))
    }

    /// The source text of `file` and the path it came from.
    public static func load(_ file: String) throws -> (source: String, path: String) {
        let url = try url(for: file)
        do {
            return (try String(contentsOf: url, encoding: .utf8), url.path)
        } catch {
            throw OpenCLError.kernelFileNotFound(file: file, searched: [url.path + " (unreadable: \(error))"])
        }
    }
}
