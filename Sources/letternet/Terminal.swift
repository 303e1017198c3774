/// Text that came from a file (a header, a member name, metadata) can hold control bytes that a
/// terminal would act on (NUL, escape sequences, carriage returns). Everything the tool prints that
/// may hold such text goes through ``escaped(_:)``.
enum Terminal {
    /// `text` with control characters (C0 except newline and tab, DEL, C1) and bidirectional
    /// overrides written as `\u{…}` escapes.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for s in text.unicodeScalars {
            let v = s.value
            let control = (v < 0x20 && s != "\n" && s != "\t") || (0x7F...0x9F).contains(v)
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
            if control { out += "\\u{" + String(v, radix: 16) + "}" } else { out.unicodeScalars.append(s) }
        }
        return out
    }
}
