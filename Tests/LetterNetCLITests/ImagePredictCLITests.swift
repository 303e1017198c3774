import Foundation
import LetterFormats
import XCTest
import Letters
import NeuralNet

/// `predict --strips` on PNG images: a folder of course-style strips reads exactly as the `.npy` does
/// (widths mixed, file-name order kept), and photographed-style strips — dark ink on unevenly lit
/// paper, enlarged — read as the strips they were made from.
final class ImagePredictCLITests: CLITestCase {
    /// `count` course-style strips, values rounded to 0…255 as an 8-bit image holds them: of `letters`
    /// when given, else of Hershey demo letters.
    func strips(count: Int, letters: Int, width: Int, seed: UInt64, noise: Double = 0.02,
                from source: LetterDataset? = nil) throws -> (set: StripSet, labels: [[Int]]) {
        var rng = SeededGenerator(seed: seed)
        var synth = StripSynthesizer(letters: letters, width: width)
        synth.noise = noise...noise
        var pixels = [Float](), labels = [[Int]]()
        for _ in 0..<count {
            let strip: StripSynthesizer.Strip
            if let source {
                strip = synth.make(from: source, rng: &rng)
            } else {
                let word = (0..<letters).map { _ in Int.random(in: 1...26, using: &rng) }
                strip = synth.make(images: word.map { DemoLetters.image(label: $0, rng: &rng) }, labels: word, rng: &rng)
            }
            pixels += strip.pixels.map { min(255, max(0, $0.rounded())) }
            labels.append(strip.labels)
        }
        return (try StripSet(name: "strips", count: count, height: 30, width: width, pixels: pixels), labels)
    }

    /// Writes an 8-bit PNG (through libpng) of `pixels` into the test's folder.
    @discardableResult
    func png(_ name: String, _ pixels: some Collection<Float>, width: Int, height: Int = 30) throws -> String {
        try Data(PNGFile.encode(GrayImage(width: width, height: height, values: pixels))).write(to: dir.appendingPathComponent(name))
        return path(name)
    }

    func predict(_ arguments: [String], out: String) throws -> [String] {
        let r = try run(["predict", "--out", path(out)] + arguments)
        XCTAssertEqual(r.status, 0, r.stderr)
        return (try? String(contentsOfFile: path(out), encoding: .utf8))?.split(separator: "\n").map(String.init) ?? []
    }

    func testAFolderOfPNGStripsReadsExactlyAsTheNpy() throws {
        let model = try modelFile("reader.lnet", layers: StripReader.Variant.fast.layers, inputShape: [1, 28, 178])
        let (wide, _) = try strips(count: 4, letters: 5, width: 150, seed: 1)
        let (narrow, _) = try strips(count: 3, letters: 4, width: 120, seed: 2)
        try wide.write(to: dir.appendingPathComponent("wide.npy"), as: .uint8)
        try narrow.write(to: dir.appendingPathComponent("narrow.npy"), as: .uint8)
        // File-name order interleaves the widths: b-1 wide 0, b-2 narrow 0, b-3 wide 1, …
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("images"), withIntermediateDirectories: true)
        for i in 0..<7 {
            let set = i % 2 == 0 ? wide : narrow
            try png("images/b-\(i + 1).png", set.strip(at: i / 2), width: set.width)
        }
        try textFile("images/notes.txt", "not an image")
        try png("images/.hidden.png", [Float](repeating: 9, count: 30 * 40), width: 40)
        let fromImages = try predict(["--strips", path("images"), "--model", model, "--letters", "4"], out: "images.csv")
        let fromWide = try predict(["--strips", path("wide.npy"), "--model", model, "--letters", "4"], out: "wide.csv")
        let fromNarrow = try predict(["--strips", path("narrow.npy"), "--model", model, "--letters", "4"], out: "narrow.csv")
        XCTAssertEqual(fromImages, (0..<7).map { $0 % 2 == 0 ? fromWide[$0 / 2] : fromNarrow[$0 / 2] })
        XCTAssertEqual(try predict(["--strips", path("images/b-2.png"), "--model", model, "--letters", "4"], out: "one.csv"), [fromNarrow[0]])
        // Images of strips that do not fit the count: refused, naming one of the files.
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("narrow"), withIntermediateDirectories: true)
        try png("narrow/a.png", wide.strip(at: 0), width: 150)
        try png("narrow/b.png", [Float](repeating: 0, count: 30 * 40), width: 40)
        assertRefused(try run(["predict", "--strips", path("narrow"), "--model", model, "--letters", "7", "--out", path("x.csv")]),
                      "narrow/b.png", "40 px wide", "too narrow for --letters 7")
        // A broken image: one line naming it, and no output.
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0]).write(to: dir.appendingPathComponent("images/b-9.png"))
        assertRefused(try run(["predict", "--strips", path("images"), "--model", model, "--out", path("broken.csv")]), "images/b-9.png", "PNG")
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("broken.csv")))
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("none"), withIntermediateDirectories: true)
        assertRefused(try run(["predict", "--strips", path("none"), "--model", model, "--out", path("x.csv")]), "none", "no .png, .jpg or .jpeg")
    }

    /// A strip as a photo of handwriting: 2.5× larger (bilinear), dark ink on paper lit unevenly
    /// (brighter to the right and top) with grain, wide paper margins.
    func photo(_ strip: ArraySlice<Float>, width: Int, seed: UInt64) -> (pixels: [Float], width: Int, height: Int) {
        let scale = 2.5, top = 25, bottom = 35, side = 40
        let w = Int(Double(width) * scale) + 2 * side, h = Int(30 * scale) + top + bottom
        var rng = SeededGenerator(seed: seed)
        func ink(_ x: Double, _ y: Double) -> Float {  // bilinear in the strip, 0 outside
            let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down)), tx = Float(x - Double(x0)), ty = Float(y - Double(y0))
            func at(_ c: Int, _ r: Int) -> Float { c >= 0 && c < width && r >= 0 && r < 30 ? strip[strip.startIndex + r * width + c] : 0 }
            return (at(x0, y0) * (1 - tx) + at(x0 + 1, y0) * tx) * (1 - ty) + (at(x0, y0 + 1) * (1 - tx) + at(x0 + 1, y0 + 1) * tx) * ty
        }
        var pixels = [Float](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let paper = Float(185 + 50 * Double(x) / Double(w) - 30 * Double(y) / Double(h)) + Float.random(in: -6...6, using: &rng)
                let a = min(1, ink((Double(x - side) + 0.5) / scale - 0.5, (Double(y - top) + 0.5) / scale - 0.5) / 255)
                pixels[y * w + x] = paper * (1 - a) + 30 * a
            }
        }
        return (pixels, w, h)
    }

    /// Photographed-style strips read as the strips they were made from, by the shipped reader: of the
    /// shared EMNIST letters when present (handwriting, which the reader reads well), else of Hershey
    /// demo letters. The reader is being retrained, so the test asks for agreement with the clean
    /// strips' reading, letter by letter, and for the truth among the photos' guesses about as often.
    func testPhotographedStripsReadAsTheirStrips() throws {
        let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/data/emnist-letters/emnist-letters-test-dev-upright.npz").standardized
        let source = FileManager.default.fileExists(atPath: shared.path) ? try LetterDataset.load(url: shared) : nil
        let (set, labels) = try strips(count: 8, letters: 5, width: 150, seed: 11, noise: 0, from: source)
        try set.write(to: dir.appendingPathComponent("clean.npy"), as: .uint8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("photos"), withIntermediateDirectories: true)
        for i in 0..<set.count {
            let p = photo(set.strip(at: i), width: set.width, seed: UInt64(i))
            try png("photos/photo-\(i).png", p.pixels, width: p.width, height: p.height)
            // What predict will see: a 30-px strip, light on black, the letters 24 px tall.
            let strip = PhotoStrip.strip(from: try GrayImage.read(url: dir.appendingPathComponent("photos/photo-\(i).png")))
            XCTAssertTrue(strip.inverted)
            XCTAssertEqual(strip.scale ?? 0, 24 / (2.5 * 24), accuracy: 0.08, "the demo letters' ink is about 24 rows of the strip")
            let rows = (0..<30).filter { r in (0..<strip.width).contains { strip.pixels[r * strip.width + $0] > 128 } }
            XCTAssertGreaterThanOrEqual(rows.first ?? 0, 2); XCTAssertLessThanOrEqual(rows.last ?? 99, 27)
        }
        let r = try run(["predict", "--strips", path("photos"), "--out", path("photos.csv")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("8 of 8 images: dark ink on light paper, inverted"), r.stderr)
        let photos = try PredictionCSV.read(url: dir.appendingPathComponent("photos.csv"))
        _ = try predict(["--strips", path("clean.npy")], out: "clean.csv")
        let clean = try PredictionCSV.read(url: dir.appendingPathComponent("clean.csv"))
        let agree = zip(photos, clean).map { p, c in zip(p[0], c[0]).filter { $0 == $1 }.count }.reduce(0, +)
        let found = zip(photos, labels).filter { $0.contains($1) }.count
        let cleanFound = zip(clean, labels).filter { $0.contains($1) }.count
        print("photographed strips (\(source == nil ? "Hershey" : "EMNIST") letters): \(agree) of 40 first-guess letters as the strips'; truth in the top 5: photos \(found), strips \(cleanFound) of 8")
        // Measured 36 of 40 on EMNIST letters; the reader reads font letters less surely (about 83% agreed).
        XCTAssertGreaterThanOrEqual(agree, source == nil ? 26 : 32, "first guesses: photos \(photos.map { $0[0] }), strips \(clean.map { $0[0] })")
        XCTAssertGreaterThanOrEqual(found, cleanFound - 1, "the photos' top 5 hold the truth about as often as the strips'")
    }
}
