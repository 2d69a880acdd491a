/// One step of a labeling job, in the order the job takes them.
public enum LabelingStep: Sendable, Hashable, CustomStringConvertible {
    /// Running the programs on one split in the sandbox (units: votes).
    case apply(SplitName)
    /// Seeded runs of one label model (units: runs).
    case labelModel(LabelModelID)
    /// Hashed TF-IDF features of every text (one unit).
    case features
    /// Seeded runs of one end model on the best label model's soft labels (units: runs).
    case endModel(EndModelID)

    public var description: String {
        switch self {
        case .apply(let split): return "apply to \(split.rawValue)"
        case .labelModel(let id): return "label model \(id.rawValue)"
        case .features: return "text features"
        case .endModel(let id): return "end model \(id.rawValue)"
        }
    }
}

/// What a labeling job reports while it works: first its plan, then counts per step (a step's
/// counts only grow; `done == total` means the step is over), and notes that do not stop it.
public enum LabelingProgress: Sendable, Equatable {
    /// Every step the job will take, in order; sent once, first.
    case planned([LabelingStep])
    /// `done` of `total` units of `step` are finished.
    case step(LabelingStep, done: Int, total: Int)
    /// Something the user should know that is not an error, e.g. a label model left out.
    case note(String)
}
