/// The label models a labeling run can fit, by the ids the CLI, the log and the JSON use.
public enum LabelModelID: String, CaseIterable, Sendable, Codable {
    case mv, wmv, ds, snorkel, fs

    /// Parses an id as given on the command line.
    /// - Throws: `LabelModelError` naming the known ids when `id` is none of them.
    public init(parsing id: String) throws {
        guard let known = Self(rawValue: id) else {
            throw LabelModelError("unknown label model \"\(id)\" (known: \(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = known
    }

    public func make() -> any LabelModel {
        switch self {
        case .mv: return MajorityVote()
        case .wmv: return WeightedMajorityVote()
        case .ds: return DawidSkene()
        case .snorkel: return SnorkelLabelModel()
        case .fs: return FlyingSquid()
        }
    }

    /// How notes name the model.
    public var name: String {
        switch self {
        case .mv: return "majority vote"
        case .wmv: return "weighted majority vote"
        case .ds: return "Dawid-Skene"
        case .snorkel: return "Snorkel"
        case .fs: return "FlyingSquid"
        }
    }

    /// Fewer programs than this and the model cannot be fitted (FlyingSquid needs triplets); 0 when
    /// the model has no minimum of its own.
    public var minimumPrograms: Int { self == .fs ? FlyingSquid.minimumPrograms : 0 }
}

/// The end models trained on the best label model's soft labels.
public enum EndModelID: String, CaseIterable, Sendable, Codable {
    case lr, mlp

    /// Parses an id as given on the command line.
    /// - Throws: `LabelModelError` naming the known ids when `id` is none of them.
    public init(parsing id: String) throws {
        guard let known = Self(rawValue: id) else {
            throw LabelModelError("unknown end model \"\(id)\" (known: \(Self.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        self = known
    }

    public func make() -> any EndModel {
        switch self {
        case .lr: return LogisticRegression()
        case .mlp: return MultilayerPerceptron()
        }
    }
}
