/// A batch of generations (`alchemist generate --count N`, `n` in the TUI): what happens to each
/// finished program. Both front ends follow this one rule; each counts its batch itself.
public enum GenerationBatch {
    public enum Decision: Sendable, Equatable {
        case save
        /// Not saved, and why, in words for the user.
        case discard(String)
    }

    /// A program is saved when it has code that loads in the sandbox (or, with `keepBroken`, any
    /// code at all); otherwise it is discarded, and the batch goes on either way.
    public static func decision(for program: GeneratedProgram, keepBroken: Bool = false) -> Decision {
        guard program.code != nil else { return .discard(program.extractionError ?? "no program in the answer") }
        if let smoke = program.smokeTest, !smoke.loads, !keepBroken {
            return .discard("the program does not load" + (smoke.loadError.map { ": \($0)" } ?? ""))
        }
        return .save
    }
}
