/// Why a model's answer ended, as the provider said it ("stop", "length", "end_turn",
/// "max_tokens", …), with what the front ends need to know about it.
public struct FinishReason: Sendable, Equatable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let raw: String

    public init(_ raw: String) { self.raw = raw }
    public init(stringLiteral raw: String) { self.raw = raw }

    /// The answer was cut at the output-token cap (OpenAI `length`, Anthropic `max_tokens`).
    public var hitOutputCap: Bool { raw == "length" || raw == "max_tokens" }

    /// The note both front ends show next to a stage's figures, or nil when there is nothing to say.
    public var note: String? { hitOutputCap ? "cut at the output cap" : nil }

    public var description: String { raw }
}
