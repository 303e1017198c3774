/// `word` as a POSIX shell reads it back as one word: as it is when it holds only characters no shell
/// treats specially, else in single quotes (a `'` inside written as `'\''`). Used for the commands
/// the tool prints for the user to paste (the `--resume` command after Ctrl-C).
func shellQuoted(_ word: String) -> String {
    let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { s in
        s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "@%+=:,./_-".unicodeScalars.contains(s))
    }
    return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}
