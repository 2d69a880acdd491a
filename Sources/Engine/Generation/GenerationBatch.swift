/// A batch of generations (`alchemist generate --count N`, `n` in the TUI): what happens to each
/// finished program and when the batch is over. Both front ends follow this one rule.
public struct GenerationBatch: Sendable, Equatable {
    public enum Decision: Sendable, Equatable {
        case save
        /// Not saved, and why, in words for the user.
        case discard(String)
    }

    public let total: Int
    public private(set) var finished = 0
    public private(set) var saved = 0

    public init(total: Int) { self.total = max(1, total) }

    /// A program is saved when it has code that loads in the sandbox (or, with `keepBroken`, any
    /// code at all); otherwise it is discarded, and the batch goes on either way.
    public static func decision(for program: GeneratedProgram, keepBroken: Bool = false) -> Decision {
        guard program.code != nil else { return .discard(program.extractionError ?? "no program in the answer") }
        if let smoke = program.smokeTest, !smoke.loads, !keepBroken {
            return .discard("the program does not load" + (smoke.loadError.map { ": \($0)" } ?? ""))
        }
        return .save
    }

    /// Notes that one program of the batch is over, saved or not.
    public mutating func record(saved wasSaved: Bool) {
        finished += 1
        if wasSaved { saved += 1 }
    }

    public var remaining: Int { max(0, total - finished) }
    public var isDone: Bool { finished >= total }
    public var summary: String { "batch done: \(saved) program\(saved == 1 ? "" : "s") saved of \(total)" }
}
