import Foundation

/// Finds the `.cl` files of the top-level `Kernels/` folder at run time (and the headers of its
/// `include/` folder that they include, always from the same folder as the file).
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

    /// The path of `file` (e.g. `convolution.cl`) under the first search folder that has it.
    public static func url(for file: String) throws -> URL {
        let folders = searchFolders()
        for folder in folders {
            let candidate = folder.appendingPathComponent(file)
            if FileManager.default.isReadableFile(atPath: candidate.path) { return candidate }
        }
        throw OpenCLError.kernelFileNotFound(file: file, searched: folders.map(\.path))
    }

    /// The folder of the headers that kernel files include: `include/` beside them.
    public static let includeFolder = "include"

    /// The source text of `file` and the path it came from, with every `#include "name"` line replaced
    /// by `include/name` of the same folder (recursively, each header once) between `#line` markers, so
    /// build logs name the header and the file with their own line numbers. The host expands the
    /// includes instead of passing `-I` so that any folder works (paths with spaces too) and drivers
    /// that cache binaries by source text see a header's change.
    public static func load(_ file: String) throws -> (source: String, path: String) {
        let url = try url(for: file)
        var included = Set<String>()
        let headers = url.deletingLastPathComponent().appendingPathComponent(includeFolder, isDirectory: true)
        return (try expanded(url, name: file, headers: headers, included: &included), url.path)
    }

    static func read(_ url: URL, name: String) throws -> String {
        do { return try String(contentsOf: url, encoding: .utf8) } catch {
            throw OpenCLError.kernelFileNotFound(file: name, searched: [url.path + " (unreadable: \(error))"])
        }
    }

    /// The text of `url` with its includes (from `headers`) expanded; `included` holds the headers
    /// already inserted.
    static func expanded(_ url: URL, name: String, headers: URL, included: inout Set<String>) throws -> String {
        let text = try read(url, name: name)
        guard text.contains("#include") else { return text }
        var out = [String]()
        for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard let header = includedName(line) else { out.append(String(line)); continue }
            let headerURL = headers.appendingPathComponent(header)
            guard FileManager.default.isReadableFile(atPath: headerURL.path) else {
                throw OpenCLError.kernelFileNotFound(file: "\(includeFolder)/\(header) (included by \(name))",
                                                     searched: [headers.path])
            }
            if !included.insert(headerURL.standardizedFileURL.path).inserted { out.append(""); continue }
            let headerName = "\(includeFolder)/\(header)"
            out.append("#line 1 \"\(headerName)\"")
            out.append(try expanded(headerURL, name: headerName, headers: headers, included: &included))
            out.append("#line \(n + 2) \"\(name)\"")
        }
        return out.joined(separator: "\n")
    }

    /// `name` of a line `#include "name"` (spaces allowed around `#`), else nil.
    static func includedName(_ line: Substring) -> String? {
        var rest = line.drop(while: { $0 == " " || $0 == "\t" })
        guard rest.hasPrefix("#") else { return nil }
        rest = rest.dropFirst().drop(while: { $0 == " " || $0 == "\t" })
        guard rest.hasPrefix("include") else { return nil }
        rest = rest.dropFirst("include".count).drop(while: { $0 == " " || $0 == "\t" })
        guard rest.hasPrefix("\""), let end = rest.dropFirst().firstIndex(of: "\"") else { return nil }
        return String(rest[rest.index(after: rest.startIndex)..<end])
    }
}
