import Foundation

public struct ChatMessage: Sendable, Equatable {
    public enum Role: String, Sendable { case user, assistant }
    public var role: Role
    public var content: String

    public init(_ role: Role, _ content: String) {
        self.role = role
        self.content = content
    }
}

/// One request to a chat model: a system prompt and the conversation so far.
public struct ChatRequest: Sendable, Equatable {
    public var model: ModelSpec
    public var system: String?
    public var messages: [ChatMessage]
    public var maxOutputTokens: Int
    /// nil sends no temperature (the provider's default); always omitted for reasoning models.
    public var temperature: Double?
    /// What the call is for; never sent. The built-in synthesizer answers each stage differently.
    public var purpose: Purpose?

    public enum Purpose: String, Sendable {
        case extract, knowledge, code
    }

    public init(model: ModelSpec, system: String?, messages: [ChatMessage], maxOutputTokens: Int = 2048, temperature: Double? = nil) {
        self.model = model
        self.system = system
        self.messages = messages
        self.maxOutputTokens = maxOutputTokens
        self.temperature = temperature
    }

    /// Estimated input tokens (system and messages), for budgets and when a provider sends no usage.
    public var estimatedInputTokens: Int {
        (system.map(TokenEstimate.message) ?? 0) + messages.reduce(0) { $0 + TokenEstimate.message($1.content) }
    }
}

/// Token counts of one call. `estimated` is true when the provider did not report them.
public struct TokenUsage: Sendable, Equatable {
    public var inputTokens: Int
    public var outputTokens: Int
    public var cachedInputTokens: Int
    public var estimated: Bool

    public init(inputTokens: Int, outputTokens: Int, cachedInputTokens: Int = 0, estimated: Bool) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.cachedInputTokens = cachedInputTokens
        self.estimated = estimated
    }
}

/// What a streaming chat call reports, in order: possibly `retrying` (before any text), then
/// `text` deltas, `usage` (zero, one or more; the last one counts), then `finished`.
public enum ChatEvent: Sendable, Equatable {
    case text(String)
    case usage(TokenUsage)
    /// The provider's stop reason ("stop", "end_turn", "length", "max_tokens", …), nil if it gave none.
    case finished(reason: String?)
    /// A failed attempt will be repeated after `delay` seconds.
    case retrying(attempt: Int, delay: Double, error: ProviderError)
}

/// A streaming chat model. Cancelling the consuming task stops the HTTP request.
public protocol ChatModel: Sendable {
    var providerName: String { get }
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error>
}

/// Offline token estimates: about one token per four UTF-8 bytes (see docs/PROTOCOLS notes), plus a
/// small overhead per message. Always shown as "est." and replaced by reported usage when it comes.
/// The one token estimator (about 4 UTF-8 bytes a token, rounded up, and 4 tokens of framing a
/// message), for budgets, calls whose provider sent no usage, and the cost of prompting.
public enum TokenEstimate {
    public static let perMessage = 4

    public static func tokens(_ text: String) -> Int { (text.utf8.count + 3) / 4 }

    /// One message of `text`, its framing included.
    public static func message(_ text: String) -> Int { tokens(text) + perMessage }
}
