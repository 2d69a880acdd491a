import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// OpenAI Chat Completions (`POST {base}/chat/completions`, base ending in `/v1`), also spoken by
/// llama.cpp's server, Ollama and vLLM.
struct OpenAIChatWire: ChatWire {
    var providerName: String
    var baseURL: String
    /// nil for servers that need none (local ones); the header is then left out.
    var apiKey: String?
    /// "max_completion_tokens" (current OpenAI) or "max_tokens" (older and local servers).
    var maxTokensField: String
    /// Ask for the usage chunk (`stream_options.include_usage`); some gateways reject the field.
    var includeUsage: Bool

    func urlRequest(_ request: ChatRequest, timeout: Double) throws -> URLRequest {
        var messages: [[String: Any]] = []
        if let system = request.system { messages.append(["role": "system", "content": system]) }
        messages += request.messages.map { ["role": $0.role.rawValue, "content": $0.content] }
        var body: [String: Any] = ["model": request.model.apiModel, "messages": messages, "stream": true]
        body[request.model.reasoning ? "max_completion_tokens" : maxTokensField] = request.maxOutputTokens
        if includeUsage { body["stream_options"] = ["include_usage": true] }
        if let temperature = request.temperature, !request.model.reasoning { body["temperature"] = temperature }
        var headers: [String: String] = [:]
        if let apiKey { headers["authorization"] = "Bearer \(apiKey)" }
        return try JSONPost.request(url: JSONPost.url(base: baseURL, path: "/chat/completions", provider: providerName),
                                    headers: headers, body: body, timeout: timeout)
    }

    func makeParser() -> OpenAIStreamParser { OpenAIStreamParser(provider: providerName) }
}

struct OpenAIStreamParser: ChatStreamParser, FinishReasonReporting {
    let provider: String
    private(set) var isComplete = false
    private(set) var reportedUsage: TokenUsage?
    private(set) var finishReason: String?

    init(provider: String) { self.provider = provider }

    mutating func consume(_ event: SSEEvent) throws -> [ChatEvent] {
        if event.data.trimmingCharacters(in: .whitespaces) == "[DONE]" {
            isComplete = true
            return []
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(event.data.utf8))) as? [String: Any] else {
            throw ProviderError(kind: .malformed, provider: provider, message: "a stream chunk is not JSON: \(event.data.prefix(120))",
                                afterFirstByte: true)
        }
        if let error = object["error"] as? [String: Any] ?? (event.name == "error" ? object : nil) {
            throw ProviderError(kind: .streamError, provider: provider, type: error["type"] as? String, code: error["code"] as? String,
                                message: error["message"] as? String ?? "error event in the stream", afterFirstByte: true)
        }
        var events: [ChatEvent] = []
        if let choices = object["choices"] as? [[String: Any]], let choice = choices.first {
            if let delta = choice["delta"] as? [String: Any], let content = delta["content"] as? String, !content.isEmpty {
                events.append(.text(content))
            }
            if let reason = choice["finish_reason"] as? String { finishReason = reason }
        }
        if let usage = object["usage"] as? [String: Any] {
            let prompt = (usage["prompt_tokens"] as? NSNumber)?.intValue ?? 0
            let completion = (usage["completion_tokens"] as? NSNumber)?.intValue ?? 0
            let cached = ((usage["prompt_tokens_details"] as? [String: Any])?["cached_tokens"] as? NSNumber)?.intValue ?? 0
            let reported = TokenUsage(inputTokens: prompt, outputTokens: completion, cachedInputTokens: cached, estimated: false)
            reportedUsage = reported
            events.append(.usage(reported))
        }
        return events
    }
}
