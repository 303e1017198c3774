/// A Hershey stroke font (public domain, 1967): each glyph is a few polylines on an integer grid,
/// y growing downwards. `letternet` draws its demo letters from two of them, so it can show the strip
/// reader at work without shipping anyone's handwriting.
public struct HersheyFont: Sendable {
    /// One letter: polylines of (x, y) points, y down.
    public struct Glyph: Sendable, Equatable {
        public var strokes: [[(x: Float, y: Float)]]

        public static func == (a: Glyph, b: Glyph) -> Bool {
            a.strokes.count == b.strokes.count && zip(a.strokes, b.strokes).allSatisfy { s, t in
                s.count == t.count && zip(s, t).allSatisfy { $0.x == $1.x && $0.y == $1.y }
            }
        }

        /// Parses a glyph in `.jhf` encoding (without the 8-character number and count): two characters
        /// of bearings, then pairs of characters, each coordinate `character − 'R'`; " R" lifts the pen.
        public init(jhf: String) {
            let bytes = Array(jhf.utf8.dropFirst(2))
            var strokes: [[(x: Float, y: Float)]] = [[]]
            for i in stride(from: 0, to: bytes.count - 1, by: 2) {
                if bytes[i] == UInt8(ascii: " ") && bytes[i + 1] == UInt8(ascii: "R") {
                    strokes.append([])
                } else {
                    strokes[strokes.count - 1].append((Float(Int(bytes[i]) - 82), Float(Int(bytes[i + 1]) - 82)))
                }
            }
            self.strokes = strokes.filter { !$0.isEmpty }
        }

        /// The smallest box holding every point.
        public var bounds: (minX: Float, minY: Float, maxX: Float, maxY: Float) {
            let points = strokes.joined()
            return (points.map(\.x).min() ?? 0, points.map(\.y).min() ?? 0,
                    points.map(\.x).max() ?? 0, points.map(\.y).max() ?? 0)
        }
    }

    public let name: String
    /// A–Z then a–z.
    let glyphs: [Glyph]

    init(name: String, jhf: [String]) {
        precondition(jhf.count == 52, "a demo font has A–Z and a–z")
        self.name = name
        glyphs = jhf.map(Glyph.init(jhf:))
    }

    /// The glyph of `label` (1…26, A=1) in upper or lower case.
    public func glyph(label: Int, lowercase: Bool) -> Glyph {
        precondition((1...26).contains(label), "labels are 1…26")
        return glyphs[label - 1 + (lowercase ? 26 : 0)]
    }

    /// Futura light: a plain single-stroke sans, like printed handwriting.
    public static let futura = HersheyFont(name: "futural", jhf: futuralGlyphs)
    /// Script simplex: joined-up, slanted, like cursive handwriting.
    public static let script = HersheyFont(name: "scripts", jhf: scriptsGlyphs)
    /// The fonts the demo draws from.
    public static let demoFonts = [futura, script]
}
