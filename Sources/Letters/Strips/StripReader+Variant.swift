import NeuralNet

extension StripReader {
    /// The reader's networks: the one place that says what they are. Their window geometry
    /// (``StripReader/geometry``) is derived from these layers.
    ///
    /// All see a 28-px window per position through two 2×2 poolings and a 7×7 head (a dense layer per
    /// window); `fast` has a lighter trunk for quicker reading; `context` adds two 3-position
    /// convolutions over the head's features, so each position also sees its neighbours' windows
    /// (±8 px more), to tell two overlapping letters apart; `deep` is `context` with three more
    /// 3×3 convolutions in the trunk (one at half, two at quarter resolution), grown from a context
    /// reader with the new layers starting as identities; `residual` is trained from scratch: the
    /// standard trunk with two residual blocks at quarter resolution, a 256-wide head and three
    /// context convolutions (±12 px more).
    public enum Variant: String, CaseIterable, Codable, Sendable {
        case standard, fast, context, deep, residual

        public var layers: [LayerSpec] {
            let out = LayerSpec.conv2d(inChannels: head, outChannels: StripReader.classes, kernelSize: 1, stride: 1, padding: 0)
            let classifier: [LayerSpec] = [.dropout(probability: 0.3), out]
            switch self {
            case .standard:
                return Self.standardTrunk + classifier
            case .fast:
                return Self.block(1, 32) + [Self.pool] + Self.block(32, 64) + [Self.pool] + Self.block(64, 64)
                    + Self.block(64, head, 7) + classifier
            case .context:
                return Self.standardTrunk + Self.contextLayers + classifier
            case .deep:
                return Self.deepTrunk + Self.contextLayers + classifier
            case .residual:
                return Self.residualTrunk + Self.context(channels: head, count: 3) + classifier
            }
        }

        /// The strip rows every variant reads: rows 1…28 of a 30-row strip, one letter box.
        public static let rows = StripGeometry.standard.boxRows

        /// This network's window geometry (the same for every variant; a test checks).
        public var geometry: ReaderGeometry { ReaderGeometry(layers: layers, rows: Self.rows)! }

        /// Convolution (3×3 padded, or `k`×`k` unpadded), batch norm, ReLU.
        static func block(_ i: Int, _ o: Int, _ k: Int = 3) -> [LayerSpec] {
            [.conv2d(inChannels: i, outChannels: o, kernelSize: k, stride: 1, padding: k == 3 ? 1 : 0),
             .batchNorm2d(channels: o), .relu]
        }

        static let pool = LayerSpec.maxPool2d(kernelSize: 2, stride: 2)

        /// The standard network up to its head's features (`[N, 192, 1, P]`, after a ReLU).
        static let standardTrunk = block(1, 32) + [pool] + block(32, 64) + block(64, 64) + [pool] + block(64, 192, 7)

        /// `deep`'s extra trunk layers and where they go in the standard trunk: a 64-channel convolution
        /// before the second pooling (layer 10) and two after it (before the 7×7 head), each with a ReLU.
        static let deepInsertions: [(index: Int, layers: [LayerSpec])] = [
            (10, [.conv2d(inChannels: 64, outChannels: 64, kernelSize: 3, stride: 1, padding: 1), .relu]),
            (11, (0..<2).flatMap { _ in [LayerSpec.conv2d(inChannels: 64, outChannels: 64, kernelSize: 3, stride: 1, padding: 1), .relu] }),
        ]

        /// The standard trunk with `deepInsertions` in place.
        static let deepTrunk: [LayerSpec] = deepInsertions.reversed().reduce(standardTrunk) { trunk, insertion in
            Array(trunk[..<insertion.index]) + insertion.layers + Array(trunk[insertion.index...])
        }

        /// `context`'s additions: on a one-row feature map a padded 3×3 convolution mixes each
        /// position with its two neighbours.
        static let contextLayers = context(channels: 192, count: 2)

        /// `count` context convolutions of `channels` features, each with a ReLU.
        static func context(channels c: Int, count: Int) -> [LayerSpec] {
            (0..<count).flatMap { _ in [LayerSpec.conv2d(inChannels: c, outChannels: c, kernelSize: 3, stride: 1, padding: 1), .relu] }
        }

        /// A residual block of two 3×3 convolutions of `c` channels (He et al. 2016) and its ReLU.
        static func residualBlock(_ c: Int) -> [LayerSpec] {
            [.residual(body: block(c, c) + [.conv2d(inChannels: c, outChannels: c, kernelSize: 3, stride: 1, padding: 1),
                                            .batchNorm2d(channels: c)], shortcut: []), .relu]
        }

        /// `residual`'s trunk: the standard one with two residual blocks before its 7×7 head (256 wide).
        static let residualTrunk = block(1, 32) + [pool] + block(32, 64) + block(64, 64) + [pool]
            + residualBlock(64) + residualBlock(64) + block(64, 256, 7)

        var head: Int {
            switch self {
            case .fast: return 160
            case .residual: return 256
            default: return 192
            }
        }

        /// A `deep` reader that reads exactly as the context reader `c` does (its new convolutions start
        /// as identities after ReLUs or a pooling of them). Nil when `c` is not a context reader.
        public static func deep(growing c: Checkpoint) -> Checkpoint? {
            guard Variant(recognising: c) == .context else { return nil }
            var grown = c
            for insertion in deepInsertions.reversed() { grown = grown.insertingIdentityLayers(insertion.layers, at: insertion.index) }
            grown.metadata["kind"] = kind
            grown.metadata["variant"] = Variant.deep.rawValue
            return grown
        }

        /// The kind a strip reader's checkpoint records in its metadata (`kind`).
        public static let kind = "strip-reader"

        /// The variant of a strip-reader checkpoint: the one its metadata records (`kind`, `variant`),
        /// or, for readers written before they recorded it, the one whose layers it has. Nil when it
        /// is not a strip reader. The recorded variant's layers must be the checkpoint's.
        public init?(recognising c: Checkpoint) {
            if let name = c.metadata["variant"], c.metadata["kind"] == nil || c.metadata["kind"] == Self.kind {
                guard let v = Variant(rawValue: name), v.layers == c.layers else { return nil }
                self = v
            } else if c.metadata["kind"] == nil || c.metadata["kind"] == Self.kind,
                      let v = Self.allCases.first(where: { $0.layers == c.layers }) {
                self = v
            } else {
                return nil
            }
        }

        /// A `context` reader that reads exactly as the standard reader `c` does: its two new
        /// convolutions start as identities (the features they see are ReLU outputs, ≥ 0), so
        /// fine-tuning starts from the standard reader's accuracy. Nil when `c` is not standard.
        public static func context(growing c: Checkpoint) -> Checkpoint? {
            guard Variant(recognising: c) == .standard else { return nil }
            var grown = c.insertingIdentityLayers(contextLayers, at: standardTrunk.count)
            grown.metadata["kind"] = kind
            grown.metadata["variant"] = Variant.context.rawValue
            return grown
        }
    }
}
