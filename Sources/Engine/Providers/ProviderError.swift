import Foundation

/// Every way a provider call can fail, with what the provider said.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// A non-200 answer; `status` and the provider's `type`/`code`/`message` say why.
        case http
        /// An error event inside a stream that had started with HTTP 200.
        case streamError
        /// Could not connect, or the connection broke.
        case connection
        /// No byte for longer than the idle timeout.
        case timeout
        /// The stream ended before the provider said it was complete.
        case truncated
        /// A chunk that is not the JSON the protocol promises.
        case malformed
        /// The API key's environment variable is not set.
        case missingKey
        /// The request could not be built (bad base URL, …).
        case badRequest
    }

    public var kind: Kind
    public var provider: String
    public var status: Int?
    /// The provider's error type, e.g. "rate_limit_error", "insufficient_quota", "overloaded_error".
    public var type: String?
    public var code: String?
    public var message: String
    /// Seconds the server asked to wait (`retry-after-ms` / `retry-after`).
    public var retryAfter: Double?
    /// The server's `x-should-retry` header, when present.
    public var shouldRetryHeader: Bool?
    /// True once any byte of the response body had arrived: such a stream is never retried.
    public var afterFirstByte: Bool

    public init(kind: Kind, provider: String, status: Int? = nil, type: String? = nil, code: String? = nil, message: String,
                retryAfter: Double? = nil, shouldRetryHeader: Bool? = nil, afterFirstByte: Bool = false) {
        self.kind = kind
        self.provider = provider
        self.status = status
        self.type = type
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
        self.shouldRetryHeader = shouldRetryHeader
        self.afterFirstByte = afterFirstByte
    }

    public var description: String {
        var parts: [String] = []
        if let status { parts.append("HTTP \(status)") }
        if let type { parts.append(type) }
        if let code, code != type { parts.append(code) }
        let head = parts.isEmpty ? kind.rawValue : parts.joined(separator: " ")
        return "\(provider): \(head): \(message)"
    }

    /// Retrying cannot help: out of credit or over a spend limit.
    public var isQuotaExhausted: Bool {
        let markers = ["insufficient_quota", "billing_error", "enforced_spend_limit_reached"]
        return markers.contains { $0 == type || $0 == code } || message.lowercased().contains("credit balance is too low")
    }

    /// What the user can do about it, for the terminal and the UI.
    public var advice: String {
        switch kind {
        case .missingKey: return "set the variable in the environment or in a .env file in the working folder"
        case .timeout: return "the provider went silent; try again, or raise generation.idle_timeout_seconds in config.json"
        case .connection: return "check the network and the base URL (config.json providers, OPENAI_BASE_URL, ANTHROPIC_BASE_URL)"
        case .truncated, .malformed, .streamError: return "the answer was cut off; generate again"
        case .badRequest: return "check the provider settings in config.json"
        case .http:
            if isQuotaExhausted { return "the account is out of credit or over its spend limit; waiting will not help" }
            switch status ?? 0 {
            case 401: return "the API key was refused; check it"
            case 403: return "the key has no access to this model"
            case 404: return "the model id is unknown or retired; choose another model"
            case 429: return "rate limited; wait a little or use a lower tier model"
            case 529, 503: return "the provider is overloaded; try again in a minute"
            case 400: return "the provider refused the request; see its message"
            default: return (status ?? 0) >= 500 ? "the provider failed; try again" : "see the provider's message"
            }
        }
    }
}
