import Foundation

/// When to repeat a failed call, as the official OpenAI and Anthropic SDKs do: 2 retries; 408,
/// 409, 429 and every 5xx (529 included) and connection failures are retried; other 4xx, an
/// exhausted quota and any failure after the first byte of a stream are not. The server's
/// `x-should-retry` header overrides the status rule. The delay is the server's `retry-after(-ms)`
/// when given and at most `maxServerDelay`; a longer request is not waited for. Otherwise
/// `min(initial·2^n, max)` with up to 25 % jitter taken off.
///
/// A pure value: the caller supplies the jitter, so tests walk the state machine exactly.
public struct RetryPolicy: Sendable, Equatable {
    public var maxRetries = 2
    public var initialDelay = 0.5
    public var maxDelay = 8.0
    public var maxServerDelay = 60.0

    public init(maxRetries: Int = 2, initialDelay: Double = 0.5, maxDelay: Double = 8.0, maxServerDelay: Double = 60.0) {
        self.maxRetries = maxRetries
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
        self.maxServerDelay = maxServerDelay
    }

    public enum Decision: Sendable, Equatable {
        case retry(after: Double)
        case giveUp
    }

    /// Whether the failure, in itself, is worth another attempt.
    public func isRetryable(_ error: ProviderError) -> Bool {
        if error.afterFirstByte { return false }
        if error.isQuotaExhausted { return false }
        switch error.kind {
        case .connection, .timeout: return true
        case .missingKey, .badRequest, .streamError, .truncated, .malformed: return false
        case .http:
            if let header = error.shouldRetryHeader { return header }
            guard let status = error.status else { return false }
            return [408, 409, 429].contains(status) || status >= 500
        }
    }

    /// - Parameters:
    ///   - retriesDone: how many retries have already been made for this call (0 after the first attempt).
    ///   - jitter: a number in 0..<1 (random in use, fixed in tests).
    public func decide(_ error: ProviderError, retriesDone: Int, jitter: Double) -> Decision {
        guard retriesDone < maxRetries, isRetryable(error) else { return .giveUp }
        if let asked = error.retryAfter, asked > 0 {
            return asked <= maxServerDelay ? .retry(after: asked) : .giveUp
        }
        let base = min(initialDelay * pow(2, Double(retriesDone)), maxDelay)
        return .retry(after: base * (1 - 0.25 * min(max(jitter, 0), 1)))
    }

    /// Seconds from `retry-after-ms` (preferred) or `retry-after` (seconds or an HTTP date).
    public static func serverDelay(headers: [String: String], now: Date = Date()) -> Double? {
        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name }?.value.trimmingCharacters(in: .whitespaces)
        }
        if let ms = header("retry-after-ms"), let value = Double(ms), value >= 0 { return value / 1000 }
        guard let text = header("retry-after") else { return nil }
        if let seconds = Double(text), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: text) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
