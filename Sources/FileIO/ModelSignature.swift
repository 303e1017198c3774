/// The first 8 bytes of every letternet model file (`.lnet`): written and checked by `Checkpoint`,
/// recognised by the file-kind registry (`DataFileKind`), which does not link the neural core.
public enum ModelSignature {
    public static let bytes = Array("LTRNET\r\n".utf8)
}
