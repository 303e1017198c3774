/// `word` as a POSIX shell reads it back as one word: as it is when it holds only characters no shell
/// treats specially, else in single quotes (a `'` inside written as `'\''`). Used for the commands
/// the tool prints for the user to paste (the `--resume` command after Ctrl-C).
func shellQuoted(_ word: String) -> String {
    let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { s in
        s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || "@%+=:,./_-".unicodeScalars.contains(s))
    }
    return plain ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

/// This command line with `--resume` (and `--device` set to `device` when given).
func resumeCommandLine(device: String? = nil) -> String {
    var args = CommandLine.arguments
    if let device {
        if let i = args.firstIndex(of: "--device"), i + 1 < args.count { args[i + 1] = device }
        else if let i = args.firstIndex(where: { $0.hasPrefix("--device=") }) { args[i] = "--device=\(device)" }
        else { args += ["--device", device] }
    }
    if !args.contains("--resume") { args.append("--resume") }
    return args.map(shellQuoted).joined(separator: " ")
}
