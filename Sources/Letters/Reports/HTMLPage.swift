import Foundation
import FileIO
import LetterFormats
import NeuralNet

/// A self-contained HTML report page: inline CSS, inline SVG and `data:` images only, so it opens
/// offline from any folder and can be mailed as one file. Sections are added as HTML fragments.
public struct HTMLPage {
    public var title: String
    public var subtitle: String
    private var sections: [String] = []

    public init(title: String, subtitle: String = "") {
        self.title = title; self.subtitle = subtitle
    }

    /// Adds a `<section>` with a heading and the given HTML (not escaped).
    public mutating func section(_ heading: String, _ html: String, note: String? = nil) {
        var s = "<section><h2>\(Self.escape(heading))</h2>\n"
        if let note { s += "<p class=\"note\">\(Self.escape(note))</p>\n" }
        sections.append(s + html + "\n</section>")
    }

    /// The whole page.
    public func render(generated: Date = Date()) -> String {
        let stamp = ISO8601DateFormatter().string(from: generated)
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Self.escape(title))</title>
        <style>\(Self.css)</style>
        </head>
        <body>
        <header><h1>\(Self.escape(title))</h1><p>\(Self.escape(subtitle))</p></header>
        <main>
        \(sections.joined(separator: "\n"))
        </main>
        <footer>Written by letternet on \(stamp).</footer>
        </body>
        </html>

        """
    }

    /// Writes the page atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(render(), to: url)
    }

    // MARK: Fragments

    /// `text` with `& < > " '` escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Headline numbers as a row of cards.
    public static func cards(_ items: [(label: String, value: String)]) -> String {
        "<div class=\"cards\">" + items.map {
            "<div class=\"card\"><div class=\"value\">\(escape($0.value))</div><div class=\"label\">\(escape($0.label))</div></div>"
        }.joined() + "</div>"
    }

    /// A table; cells are HTML (escape text yourself).
    public static func table(header: [String], rows: [[String]], numeric: Bool = false) -> String {
        var s = "<table\(numeric ? " class=\"numeric\"" : "")><thead><tr>"
        s += header.map { "<th>\(escape($0))</th>" }.joined() + "</tr></thead><tbody>\n"
        for row in rows { s += "<tr>" + row.map { "<td>\($0)</td>" }.joined() + "</tr>\n" }
        return s + "</tbody></table>"
    }

    /// A grayscale image (`width`×`height` floats, 0…`maximum`) shown `zoom` times larger, pixels kept sharp.
    public static func image<C: Collection>(_ pixels: C, width: Int, height: Int, zoom: Int = 2, maximum: Float = 255,
                                            alt: String) -> String where C.Element == Float {
        "<img class=\"px\" width=\"\(width * zoom)\" height=\"\(height * zoom)\" alt=\"\(escape(alt))\" src=\""
            + pngDataURI(pixels, width: width, height: height, maximum: maximum) + "\">"
    }

    /// A `data:image/png;base64,…` URI of the image (floats 0…`maximum`, clamped; brighter is whiter), an
    /// 8-bit grayscale PNG written by libpng. Writing to memory fails only when memory runs out; the page
    /// then shows the image's alt text.
    public static func pngDataURI<C: Collection>(_ pixels: C, width: Int, height: Int, maximum: Float = 255) -> String
        where C.Element == Float {
        let bytes = pixels.map { UInt8(min(max($0 / maximum * 255, 0), 255).rounded()) }
        let png = (try? PNGFile.encode(GrayImage(width: width, height: height, pixels: bytes))) ?? []
        return "data:image/png;base64," + Data(png).base64EncodedString()
    }

    static let css = """
    body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d2330;background:#f5f6f8}
    header{background:#1d2330;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;color:#b9c0cc}
    main{padding:8px 28px 24px;max-width:1180px}
    section{background:#fff;border:1px solid #e1e4ea;border-radius:8px;padding:14px 18px;margin:16px 0}
    h2{font-size:16px;margin:0 0 10px}.note{color:#5b6475;margin:-4px 0 10px}
    .cards{display:flex;flex-wrap:wrap;gap:12px}.card{border:1px solid #e1e4ea;border-radius:6px;padding:8px 14px;min-width:110px}
    .card .value{font-size:20px;font-weight:600}.card .label{color:#5b6475;font-size:12px}
    table{border-collapse:collapse;font-size:13px}th,td{padding:3px 10px;border-bottom:1px solid #eceef2;text-align:left;vertical-align:middle}
    table.numeric td{font-variant-numeric:tabular-nums}th{color:#5b6475;font-weight:600}
    .charts{display:flex;flex-wrap:wrap;gap:16px}svg{font-family:inherit}
    img.px{image-rendering:pixelated;image-rendering:crisp-edges;background:#000;display:block}
    .grid{display:flex;flex-wrap:wrap;gap:10px}.tile{font-size:11px;text-align:center;width:76px}
    .tile img{margin:0 auto 2px}.bad{color:#b3261e}.good{color:#1b7f3b}
    .flag{background:#fff4d6;color:#8a5a00;border-radius:4px;padding:1px 6px;font-size:12px;white-space:nowrap}
    tr.close td{background:#fffaeb}.mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace}
    footer{color:#8a92a3;font-size:12px;padding:0 28px 20px}
    """
}
