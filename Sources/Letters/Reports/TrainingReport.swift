import Foundation

/// The `train --report` page: loss, accuracy, learning rate and speed per epoch, and the settings.
public struct TrainingReport {
    public var options: TrainingOptions
    public var history: [EpochRecord]
    public var device: String
    public var parameters: Int
    public var data: [String]
    public var trainImages: Int, validationImages: Int

    public init(options: TrainingOptions, history: [EpochRecord], device: String, parameters: Int, data: [String],
                trainImages: Int, validationImages: Int) {
        self.options = options; self.history = history; self.device = device; self.parameters = parameters
        self.data = data; self.trainImages = trainImages; self.validationImages = validationImages
    }

    /// Everything from a trainer after its run.
    public init(trainer: Trainer, device: String, data: [String]) {
        self.init(options: trainer.options, history: trainer.history, device: device,
                  parameters: trainer.classifier.model.parameterCount, data: data,
                  trainImages: trainer.trainIndices.count, validationImages: trainer.validationIndices.count)
    }

    public func page() -> HTMLPage {
        var page = HTMLPage(title: "LetterNet training report",
                            subtitle: "\(options.architecture.rawValue) on \(device), \(data.joined(separator: ", "))")
        let hasValidation = validationImages > 0
        let best = hasValidation ? history.max { $0.validationAccuracy < $1.validationAccuracy } : history.last
        let seconds = history.reduce(0) { $0 + $1.seconds }
        let images = history.reduce(0.0) { $0 + $1.imagesPerSecond * $1.seconds }
        page.section("Summary", HTMLPage.cards([
            ("architecture", options.architecture.rawValue),
            ("parameters", "\(parameters)"),
            ("device", device),
            ("epochs run", "\(history.count) of \(options.epochs)"),
            ("best validation accuracy", best.map { hasValidation ? Self.percent($0.validationAccuracy) + " (epoch \($0.epoch))" : "no validation" } ?? "—"),
            ("last training accuracy", history.last.map { Self.percent($0.trainAccuracy) } ?? "—"),
            ("images/s", seconds > 0 ? String(format: "%.0f", images / seconds) : "—"),
            ("time", String(format: "%.1f s", seconds)),
            ("images", "\(trainImages) train, \(validationImages) validation"),
        ]))
        guard !history.isEmpty else {
            page.section("Epochs", "<p>No epoch finished.</p>")
            page.section("Settings", settingsTable())
            return page
        }
        let x = history.map { Double($0.epoch) }
        var loss = LineChart(title: "Loss (cross-entropy)", x: x, series: [.init("training", color: "#2563b2", history.map(\.trainLoss))])
        var accuracy = LineChart(title: "Accuracy", x: x, series: [.init("training", color: "#2563b2", history.map(\.trainAccuracy))])
        if hasValidation {
            loss.series.append(.init("validation", color: "#d9822b", history.map(\.validationLoss)))
            accuracy.series.append(.init("validation", color: "#d9822b", history.map(\.validationAccuracy)))
        }
        accuracy.yRange = 0...1
        accuracy.format = { String(format: "%.0f%%", 100 * $0) }
        let rate = LineChart(title: "Learning rate (end of epoch)", x: x,
                             series: [.init("learning rate", color: "#7a4cc2", history.map { Double($0.learningRate) })])
        let speed = LineChart(title: "Training speed (images/s)", x: x,
                              series: [.init("images/s", color: "#2f7d4f", history.map(\.imagesPerSecond))])
        page.section("Curves", "<div class=\"charts\">" + [loss, accuracy, rate, speed].map { $0.svg() }.joined() + "</div>")
        let rows = history.map { r in [
            "\(r.epoch)", String(format: "%.4f", r.trainLoss), Self.percent(r.trainAccuracy),
            hasValidation ? String(format: "%.4f", r.validationLoss) : "—", hasValidation ? Self.percent(r.validationAccuracy) : "—",
            String(format: "%.2e", r.learningRate), String(format: "%.0f", r.imagesPerSecond), String(format: "%.1f", r.seconds),
        ] }
        page.section("Epochs", HTMLPage.table(header: ["epoch", "train loss", "train acc", "val loss", "val acc", "lr", "images/s", "seconds"],
                                              rows: rows, numeric: true))
        page.section("Settings", settingsTable(), note: "TrainingOptions as stored in the checkpoint (OUT.ckpt).")
        return page
    }

    /// The options, one row per field, values as JSON.
    func settingsTable() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let encoded = try? encoder.encode(options),
              let object = try? JSONSerialization.jsonObject(with: encoded) as? [String: Any] else { return "" }
        let rows = object.keys.sorted().map { key -> [String] in
            let value = object[key]!
            let text: String
            if let nested = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
                text = String(decoding: nested, as: UTF8.self)
            } else { text = "\(value)" }
            return ["<span class=\"mono\">\(HTMLPage.escape(key))</span>", "<span class=\"mono\">\(HTMLPage.escape(text))</span>"]
        }
        return HTMLPage.table(header: ["setting", "value"], rows: rows + [["device", HTMLPage.escape(device)],
                                                                       ["data", HTMLPage.escape(data.joined(separator: ", "))]])
    }

    public func write(to url: URL) throws { try page().write(to: url) }

    static func percent(_ v: Double) -> String { String(format: "%.2f%%", 100 * v) }
}
