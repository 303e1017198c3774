import NeuralNet

extension OpCases {
    /// Softmax and the cross-entropy losses, plain, masked and distilled.
    static var softmax: [OpCase] { plainSoftmax + positionLogSoftmax + maskedLoss + distillationLoss }

    /// The strip reader's scores: log-softmax per position, transposed, from one position and class to
    /// hundreds of positions of 27 classes.
    static var positionLogSoftmax: [OpCase] {
        [(1, 1, 1), (2, 27, 43), (3, 5, 130), (64, 27, 9)].map { batch, classes, positions in
            let make = OperandMaker(seed: UInt64(900 + batch * positions)), n = batch * classes * positions
            return OpCase(op: "log_softmax_positions_forward", group: "log_softmax_positions", shape: "\(batch)x\(classes)x\(positions)",
                          tolerance: 1e-10, operands: [make("logits", n, in: -8..<8), make("out", n)], outputs: ["out"]) { b, t in
                b.logSoftmaxPositions(logits: t["logits"], out: t["out"], batch: batch, classes: classes, positions: positions)
            }
        }
    }

    /// Softmax and softmax cross-entropy, from one class to a thousand.
    static var plainSoftmax: [OpCase] {
        [(1, 1), (5, 26), (130, 10), (3, 1000), (257, 62)].flatMap { batch, classes -> [OpCase] in
            let make = OperandMaker(seed: UInt64(300 + batch)), shape = "\(batch)x\(classes)"
            let logits = make("logits", batch * classes, in: -8..<8)
            let labels = make.values("labels", (0..<batch).map { Float(($0 * 7 + 3) % classes) })
            return [
                OpCase(op: "softmax_forward", group: "softmax", shape: shape, tolerance: 1e-10,
                       operands: [logits, make("probabilities", batch * classes)], outputs: ["probabilities"]) { b, t in
                    b.softmax(logits: t["logits"], probabilities: t["probabilities"], batch: batch, classes: classes)
                },
                OpCase(op: "softmax_cross_entropy", group: "softmax_cross_entropy", shape: shape, tolerance: 1e-10,
                       operands: [logits, labels, make("losses", batch), make("dLogits", batch * classes)],
                       outputs: ["losses", "dLogits"]) { b, t in
                    b.softmaxCrossEntropy(logits: t["logits"], labels: t["labels"], losses: t["losses"],
                                          dLogits: t["dLogits"], batch: batch, classes: classes)
                },
                OpCase(op: "softmax_cross_entropy", group: "softmax_cross_entropy", shape: shape + " ε=0.1",
                       tolerance: 1e-10,
                       operands: [logits, labels, make("losses", batch), make("dLogits", batch * classes)],
                       outputs: ["losses", "dLogits"]) { b, t in
                    b.softmaxCrossEntropy(logits: t["logits"], labels: t["labels"], losses: t["losses"],
                                          dLogits: t["dLogits"], batch: batch, classes: classes, smoothing: 0.1)
                },
            ]
        }
    }

    /// The masked, per-position softmax cross-entropy (the strip reader's loss): one position to a few
    /// hundred, 1 to 27 classes, targets masked here and there, and a batch with no target at all. The
    /// forward case checks the losses; the backward case checks `dLogits` as the derivative of the
    /// losses weighted by `scale`, the mean over targeted positions.
    static var maskedLoss: [OpCase] {
        [(1, 1, 1, 1), (2, 27, 9, 3), (3, 5, 37, 4), (4, 27, 130, 5), (2, 10, 6, 0)].flatMap {
            batch, classes, positions, maskEvery -> [OpCase] in
            let make = OperandMaker(seed: UInt64(700 + batch * positions)), n = batch * positions
            let shape = "\(batch)x\(classes)x\(positions)" + (maskEvery == 0 ? " all masked" : "")
            // Every `maskEvery`-th position has no target (all of them when 0), the others a class.
            let targets = (0..<n).map { i -> Float in
                maskEvery == 0 || i % maskEvery == 1 ? -1 : Float((i * 7 + 3) % classes)
            }
            let scale = 1 / Float(max(targets.filter { $0 >= 0 }.count, 1))
            let operands = [make("logits", n * classes, in: -8..<8), make.values("labels", targets),
                            make("losses", n), make("dLogits", n * classes),
                            make.values("lossWeights", Array(repeating: scale, count: n))]
            let body = { (b: Backend, t: OpCase.Buffers) in
                b.maskedSoftmaxCrossEntropy(logits: t["logits"], labels: t["labels"], losses: t["losses"], dLogits: t["dLogits"],
                                            batch: batch, classes: classes, positions: positions, scale: scale)
            }
            return positionLossPair("masked_softmax_cross_entropy", shape: shape, operands: operands, body: body)
        }
    }

    /// Knowledge distillation per position: one position to a hundred, 1 to 27 classes, masked positions
    /// here and there, a batch with no label at all, one teacher and two (`teacherScale` 1 and ½), shares
    /// 0, ½ and 1. The backward case checks `dLogits` as the derivative of the losses weighted by `scale`.
    static var distillationLoss: [OpCase] {
        [(1, 1, 1, 1, 0.5, 1), (2, 27, 9, 3, 0.5, 0.5), (3, 5, 37, 4, 0, 1), (4, 27, 130, 5, 1, 0.5),
         (2, 10, 6, 0, 0.7, 1)].flatMap {
            batch, classes, positions, maskEvery, share, teacherScale -> [OpCase] in
            let make = OperandMaker(seed: UInt64(1300 + batch * positions)), n = batch * positions
            let shape = "\(batch)x\(classes)x\(positions) α=\(share) teachers=\(Int(1 / teacherScale))"
                + (maskEvery == 0 ? " all masked" : "")
            let targets = (0..<n).map { i -> Float in
                maskEvery == 0 || i % maskEvery == 1 ? -1 : Float((i * 7 + 3) % classes)
            }
            let scale = 1 / Float(max(targets.filter { $0 >= 0 }.count, 1))
            let operands = [make("logits", n * classes, in: -8..<8), make("teacher", n * classes, in: -12..<0),
                            make.values("labels", targets), make("losses", n), make("dLogits", n * classes),
                            make.values("lossWeights", Array(repeating: scale, count: n))]
            let body = { (b: Backend, t: OpCase.Buffers) in
                b.distillationCrossEntropy(logits: t["logits"], teacher: t["teacher"], labels: t["labels"], losses: t["losses"],
                                           dLogits: t["dLogits"], batch: batch, classes: classes, positions: positions,
                                           share: Float(share), teacherScale: Float(teacherScale), scale: scale)
            }
            return positionLossPair("distillation_cross_entropy", shape: shape, operands: operands, body: body)
        }
    }

    /// A per-position loss `op`'s two cases: the forward one checks `losses`; the backward one checks
    /// `dLogits`, also as the derivative of the losses weighted by `lossWeights` (each position's `scale`).
    static func positionLossPair(_ op: String, shape: String, operands: [OpCase.Operand],
                                 body: @escaping (Backend, OpCase.Buffers) -> Void) -> [OpCase] {
        [OpCase(op: op, group: op, shape: shape, tolerance: 1e-10, operands: operands, outputs: ["losses"], body: body),
         OpCase(op: op + "_backward", group: op, shape: shape, tolerance: 1e-10, operands: operands, outputs: ["dLogits"],
                derivative: .init(forwardOp: op, input: "logits", forwardOutput: "losses", outputGradient: "lossWeights",
                                  result: "dLogits"), body: body)]
    }
}
