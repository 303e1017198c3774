/// Why a training run stopped early.
public enum TrainingError: Error, CustomStringConvertible {
    case diverged(step: Int, learningRate: Float)
    case resumeMismatch(String)
    case interrupted(epochsDone: Int)
    case noTrainingImages(total: Int, heldOut: Int)
    case noCheckpoint(path: String)
    case badTeacher(String)

    public var description: String {
        switch self {
        case let .diverged(step, lr): return "training diverged at step \(step) (loss is not finite; learning rate \(lr)): try a lower --lr"
        case let .resumeMismatch(why): return "cannot resume: \(why)"
        case let .interrupted(n): return "interrupted after \(n) complete epoch(s)"
        case let .noTrainingImages(total, held):
            return total == 0 ? "the data holds no images to train on"
                : "no image is left to train on: \(total) image(s), \(held) held out for validation (lower --validation)"
        case let .noCheckpoint(path): return "\(path): no checkpoint to resume from"
        case let .badTeacher(why): return "cannot distil: \(why)"
        }
    }
}
