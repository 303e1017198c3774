import Foundation
import FileIO
import ZIPFoundation

/// Reading and writing numpy `.npz` archives (`np.savez` stores members, `np.savez_compressed` deflates them).
///
/// Array names are the member names without `.npy`, as `np.load` shows them.
public enum NPZ {
    /// One member of an archive, described without decoding its data.
    public struct Member: Sendable {
        /// The array name (member name without `.npy`).
        public let name: String
        /// Whether the member is deflated.
        public let compressed: Bool
        /// Bytes in the archive, and once inflated.
        public let compressedSize: Int, size: Int
        /// The parsed `.npy` header, or `nil` when it could not be parsed (see ``headerError``).
        public let header: NpyHeader?
        /// Why the header could not be parsed.
        public let headerError: LettersError?
    }

    /// Lists the arrays in the archive at `url`, reading only each member's header.
    public static func list(url: URL) throws -> [Member] {
        try list(bytes: FileBytes.read(url), file: displayName(url))
    }

    /// Lists the arrays in archive `bytes` (named `file` in messages).
    public static func list(bytes: [UInt8], file: String) throws -> [Member] {
        try members(bytes, file: file).map { m in
            let memberFile = "\(file)[\(m.name)]"
            var header: NpyHeader?, failure: LettersError?
            do {
                let prefix = try ZipDirectory.contents(of: m, in: bytes, file: memberFile, prefix: 64 * 1024)
                header = try NPY.readHeader(bytes: prefix, name: memberFile)
            } catch let e as LettersError { failure = e }
            return Member(name: arrayName(m.name), compressed: m.method != 0, compressedSize: m.compressedSize,
                          size: m.uncompressedSize, header: header, headerError: failure)
        }
    }

    /// Decodes every array in the archive; throws if any member is not a supported `.npy`.
    public static func read(url: URL) throws -> [String: NpyArray] {
        try read(url: url, names: nil)
    }

    /// Decodes the arrays called `names` (all of them when `nil`); a missing name is a `missingArray` error.
    public static func read(url: URL, names: [String]?) throws -> [String: NpyArray] {
        try read(bytes: FileBytes.read(url), file: displayName(url), names: names)
    }

    /// Decodes the arrays called `names` (all when `nil`) from archive `bytes` (named `file` in messages).
    public static func read(bytes: [UInt8], file: String, names: [String]?) throws -> [String: NpyArray] {
        let members = try members(bytes, file: file)
        let wanted = names ?? members.map { arrayName($0.name) }
        var out = [String: NpyArray]()
        for name in wanted {
            guard let m = members.first(where: { arrayName($0.name) == name }) else {
                let present = members.map { arrayName($0.name) }.joined(separator: ", ")
                throw LettersError.missingArray(file: file, detail: "no array '\(name)' (it holds: \(present.isEmpty ? "nothing" : present))")
            }
            let memberFile = "\(file)[\(m.name)]"
            out[name] = try NPY.read(bytes: ZipDirectory.contents(of: m, in: bytes, file: memberFile), name: memberFile)
        }
        return out
    }

    /// Writes `arrays` as `<name>.npy` members (sorted by name), deflated when `compressed`,
    /// through ZIPFoundation, then moves the archive into place atomically.
    public static func write(_ arrays: [String: NpyArray], to url: URL, compressed: Bool = false) throws {
        let file = displayName(url)
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for name in arrays.keys.sorted() {
                let payload = NPY.encode(arrays[name]!)
                try archive.addEntry(with: name + ".npy", type: .file, uncompressedSize: Int64(payload.count),
                                     modificationDate: Date(timeIntervalSince1970: 315_532_800),
                                     compressionMethod: compressed ? .deflate : .none) { position, size in
                    payload.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
            guard let data = archive.data else { throw LettersError.writeFailed(file: file, detail: "no archive data") }
            try AtomicFile.write(data, to: url)
        } catch let e as LettersError {
            throw e
        } catch let e as AtomicFileError {
            throw e
        } catch {
            throw LettersError.writeFailed(file: file, detail: "zip: \(error)")
        }
    }

    /// The archive's members. Two members that name one array (`x.npy` twice, or `x` and `x.npy`) are
    /// refused: `np.load` would silently read the last of them, another reader the first.
    static func members(_ bytes: [UInt8], file: String) throws -> [ZipMember] {
        let members = try ZipDirectory.members(bytes, file: file)
        var seen = Set<String>()
        for m in members where !seen.insert(arrayName(m.name)).inserted {
            throw LettersError.malformed(file: file, detail: "holds array '\(arrayName(m.name))' twice "
                                         + "(numpy would read the last copy, another reader the first); refusing an ambiguous archive")
        }
        return members
    }

    static func arrayName(_ member: String) -> String {
        member.hasSuffix(".npy") ? String(member.dropLast(4)) : member
    }
}
