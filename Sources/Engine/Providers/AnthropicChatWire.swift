import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Anthropic Messages (`POST {base}/v1/messages`), streamed as named events.
struct AnthropicChatWire: ChatWire {
    static let version = "2023-06-01"
    var providerName = "anthropic"
    var baseURL: String
    var apiKey: String?

    func urlRequest(_ request: ChatRequest, timeout: Double) throws -> URLRequest {
        var body: [String: Any] = [
            "model": request.model.apiModel, "max_tokens": request.maxOutputTokens, "stream": true,
            "messages": request.messages.map { ["role": $0.role.rawValue, "content": $0.content] },
        ]
        if let system = request.system { body["system"] = system }
        // Anthropic's temperature range is 0…1.
        if let temperature = request.temperature, !request.model.reasoning { body["temperature"] = min(max(temperature, 0), 1) }
        var headers = ["anthropic-version": Self.version]
        if let apiKey { headers["x-api-key"] = apiKey }
        return try JSONPost.request(url: JSONPost.url(base: baseURL, path: "/v1/messages", provider: providerName),
                                    headers: headers, body: body, timeout: timeout)
    }

    func makeParser() -> AnthropicStreamParser { AnthropicStreamParser(provider: providerName) }
}

struct AnthropicStreamParser: ChatStreamParser, FinishReasonReporting {
    let provider: String
    private(set) var isComplete = false
    private(set) var finishReason: String?
    private var inputTokens: Int?
    private var cachedTokens = 0
    private var outputTokens: Int?

    init(provider: String) { self.provider = provider }

    var reportedUsage: TokenUsage? {
        guard inputTokens != nil || outputTokens != nil else { return nil }
        return TokenUsage(inputTokens: inputTokens ?? 0, outputTokens: outputTokens ?? 0, cachedInputTokens: cachedTokens,
                          estimated: false)
    }

    mutating func consume(_ event: SSEEvent) throws -> [ChatEvent] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8))) as? [String: Any] else {
            throw ProviderError(kind: .malformed, provider: provider, message: "a stream event is not JSON: \(event.data.prefix(120))",
                                afterFirstByte: true)
        }
        // Some proxies drop the `event:` line; the JSON's type always names the event.
        switch object["type"] as? String ?? event.name ?? "" {
        case "message_start":
            if let usage = (object["message"] as? [String: Any])?["usage"] as? [String: Any] { take(usage, initial: true) }
        case "content_block_delta":
            if let delta = object["delta"] as? [String: Any], delta["type"] as? String == "text_delta",
               let text = delta["text"] as? String, !text.isEmpty {
                return [.text(text)]
            }
        case "message_delta":
            if let reason = (object["delta"] as? [String: Any])?["stop_reason"] as? String { finishReason = reason }
            if let usage = object["usage"] as? [String: Any] { take(usage, initial: false) }
            if let usage = reportedUsage { return [.usage(usage)] }
        case "message_stop":
            isComplete = true
        case "error":
            let error = object["error"] as? [String: Any] ?? [:]
            throw ProviderError(kind: .streamError, provider: provider, type: error["type"] as? String,
                                message: error["message"] as? String ?? "error event in the stream", afterFirstByte: true)
        default:
            break  // ping, content_block_start/stop, and event types added later
        }
        return []
    }

    /// message_start carries the input count and a provisional output count (ignored);
    /// message_delta's output count is cumulative, so the last one replaces it.
    private mutating func take(_ usage: [String: Any], initial: Bool) {
        func count(_ key: String) -> Int? { (usage[key] as? NSNumber)?.intValue }
        if let input = count("input_tokens") {
            let cacheRead = count("cache_read_input_tokens") ?? 0
            let cacheWrite = count("cache_creation_input_tokens") ?? 0
            inputTokens = input + cacheRead + cacheWrite
            cachedTokens = cacheRead
        }
        if !initial, let output = count("output_tokens") { outputTokens = output }
    }
}
