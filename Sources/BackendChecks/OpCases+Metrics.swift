import NeuralNet

extension OpCases {
    /// A step's mean loss and hits written into one slot of a record: losses around the work-group
    /// size and beyond, a loss that is not finite (its mean must be NaN on each backend, not compared),
    /// and logits full of ties. The record's other slots start as garbage and are compared too (they
    /// must stay as they were).
    static var metrics: [OpCase] {
        let means = counts.enumerated().map { i, n -> OpCase in
            let make = OperandMaker(seed: UInt64(900 + i))
            return OpCase(op: "mean_loss", group: "mean_loss", shape: "n=\(n) slot 3 of 5", tolerance: 1e-10,
                          operands: [make("losses", n, in: 0..<5), make("record", 5)], outputs: ["record"]) { b, t in
                b.meanLoss(losses: t["losses"], count: n, divisor: Float(n) + 0.5, record: t["record"], index: 3)
            }
        }
        let make = OperandMaker(seed: 950)
        var losses = make("losses", 300, in: 0..<5).values
        losses[123] = .nan
        let notFinite = OpCase(op: "mean_loss", group: "mean_loss", shape: "n=300 one NaN", tolerance: 1e-10,
                               operands: [make.values("losses", losses), make("record", 2)], outputs: [],
                               property: { values in values("record")[1].isNaN ? nil : "mean \(values("record")[1]) is not NaN" }) { b, t in
            b.meanLoss(losses: t["losses"], count: 300, divisor: 300, record: t["record"], index: 1)
        }
        let hits = [(1, 1), (5, 26), (130, 10), (300, 27)].map { batch, classes -> OpCase in
            let make = OperandMaker(seed: UInt64(960 + batch))
            // Whole numbers in −2…1: many rows have tied largest values.
            let logits = make("logits", batch * classes, in: -2..<2).values.map { $0.rounded(.down) }
            let labels = (0..<batch).map { b -> Float in
                let row = logits[(b * classes)..<((b + 1) * classes)]
                let first = row.indices.max { row[$0] < row[$1] }! - b * classes
                return Float(b % 3 == 0 ? (b * 7) % classes : first)
            }
            return OpCase(op: "count_hits", group: "count_hits", shape: "\(batch)x\(classes) ties slot 1 of 3",
                          tolerance: 1e-10, operands: [make.values("logits", logits), make.values("labels", labels),
                                                       make("record", 3)], outputs: ["record"]) { b, t in
                b.countHits(logits: t["logits"], labels: t["labels"], batch: batch, classes: classes,
                            record: t["record"], index: 1)
            }
        }
        return means + [notFinite] + hits
    }
}
