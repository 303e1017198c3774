/// What an exported graph's input and outputs are, beyond the layers themselves: their names,
/// shapes (fixed or named, e.g. a batch `N`) and meaning, the input scaling that runs before the first
/// layer, and the model's metadata. The caller (who knows the domain) says; the exporter only writes it.
public struct ONNXSignature: Sendable {
    /// One dimension of a graph input or output.
    public enum Dimension: Sendable, Equatable {
        case fixed(Int)
        /// A dimension that varies from run to run (`dim_param`), e.g. the batch.
        case named(String)
    }

    /// `(min(max(x, lower), upper) / divisor − mean) / std`, element-wise, in this order (as float32).
    public struct InputScaling: Sendable, Equatable {
        public var lower: Float, upper: Float, divisor: Float, mean: Float, std: Float
        public init(lower: Float, upper: Float, divisor: Float, mean: Float, std: Float) {
            self.lower = lower; self.upper = upper; self.divisor = divisor; self.mean = mean; self.std = std
        }
    }

    /// A named graph input or output, float32.
    public struct Value: Sendable {
        public var name: String, shape: [Dimension], doc: String
        public init(name: String, shape: [Dimension], doc: String) { self.name = name; self.shape = shape; self.doc = doc }
    }

    public var input: Value
    /// Scaling of the raw input into what the first layer expects; nil when the input goes in as is.
    public var scaling: InputScaling?
    /// The last layer's output.
    public var logits: Value
    /// A softmax of the logits over `softmaxAxis`, as a second output; nil for logits only.
    public var probabilities: Value?
    public var softmaxAxis = 1
    /// The graph's name and the model's description (`doc_string`).
    public var name: String, doc: String
    /// `metadata_props`, written sorted by key.
    public var metadata: [String: String]

    public init(input: Value, scaling: InputScaling?, logits: Value, probabilities: Value?,
                name: String, doc: String, metadata: [String: String]) {
        self.input = input; self.scaling = scaling; self.logits = logits; self.probabilities = probabilities
        self.name = name; self.doc = doc; self.metadata = metadata
    }
}
