import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What differs between wire protocols: how a request is built, how an error body reads, and
/// how stream events become `ChatEvent`s.
protocol ChatWire: Sendable {
    associatedtype Parser: ChatStreamParser
    var providerName: String { get }
    func urlRequest(_ request: ChatRequest, timeout: Double) throws -> URLRequest
    func makeParser() -> Parser
}

/// Turns one attempt's SSE events into chat events. `isComplete` becomes true at the protocol's
/// end marker (`[DONE]`, `message_stop`); a body that ends before it was cut off.
protocol ChatStreamParser {
    mutating func consume(_ event: SSEEvent) throws -> [ChatEvent]
    var isComplete: Bool { get }
    /// Usage as reported so far (nil when the provider reported none).
    var reportedUsage: TokenUsage? { get }
}

/// A chat model behind an HTTP streaming API, with the SDKs' retry rules.
struct StreamingChatClient<Wire: ChatWire>: ChatModel {
    let wire: Wire
    var policy = RetryPolicy()
    /// Seconds without a byte after which a call fails.
    var idleTimeout: Double = 120

    var providerName: String { wire.providerName }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<ChatEvent, Error> {
        let (events, continuation) = AsyncThrowingStream<ChatEvent, Error>.makeStream()
        let task = Task {
            do {
                try await run(request, continuation)
                continuation.finish()
            } catch {
                continuation.finish(throwing: Task.isCancelled ? CancellationError() : error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return events
    }

    private func run(_ request: ChatRequest, _ out: AsyncThrowingStream<ChatEvent, Error>.Continuation) async throws {
        var retries = 0
        while true {
            do {
                try await attempt(request, out)
                return
            } catch let error as ProviderError {
                try Task.checkCancellation()
                switch policy.decide(error, retriesDone: retries, jitter: Double.random(in: 0..<1)) {
                case .giveUp:
                    throw error
                case .retry(let delay):
                    retries += 1
                    out.yield(.retrying(attempt: retries, delay: delay, error: error))
                    try await Task.sleep(for: .milliseconds(Int((delay * 1000).rounded())))
                }
            }
        }
    }

    private func attempt(_ request: ChatRequest, _ out: AsyncThrowingStream<ChatEvent, Error>.Continuation) async throws {
        // Foundation's own timeout is a backstop; the stream's idle watchdog is the one that acts.
        let urlRequest = try wire.urlRequest(request, timeout: max(1, idleTimeout.rounded(.up)) + 30)
        let provider = wire.providerName
        let head: HTTPURLResponse, body: AsyncThrowingStream<Data, Error>
        do {
            (head, body) = try await HTTPStream.open(urlRequest, idleTimeout: idleTimeout)
        } catch {
            throw Self.transportError(error, provider: provider, afterFirstByte: false)
        }
        let headers = Self.headers(head)
        guard head.statusCode == 200 else {
            var data = Data()
            do {
                for try await chunk in body where data.count < 1 << 20 { data.append(chunk) }
            } catch {}
            var error = ErrorBody.parse(data, provider: provider, status: head.statusCode)
            error.retryAfter = RetryPolicy.serverDelay(headers: headers)
            if let should = headers["x-should-retry"] { error.shouldRetryHeader = should == "true" ? true : should == "false" ? false : nil }
            throw error
        }
        var decoder = SSEDecoder()
        var parser = wire.makeParser()
        var text = ""
        var receivedAny = false
        func deliver(_ events: [SSEEvent]) throws {
            for event in events {
                for chat in try parser.consume(event) {
                    if case .text(let piece) = chat { text += piece }
                    if case .usage = chat { continue }  // the final usage is sent once, below
                    if case .finished = chat { continue }
                    out.yield(chat)
                }
            }
        }
        do {
            for try await chunk in body {
                receivedAny = true
                try deliver(decoder.feed(chunk))
                if parser.isComplete { break }
            }
            if !parser.isComplete { try deliver(decoder.finish()) }
        } catch let error as ProviderError {
            out.yield(.usage(Self.usage(parser.reportedUsage, request, text)))
            throw error
        } catch {
            if Task.isCancelled {
                out.yield(.usage(Self.usage(parser.reportedUsage, request, text)))
                throw CancellationError()
            }
            out.yield(.usage(Self.usage(parser.reportedUsage, request, text)))
            throw Self.transportError(error, provider: provider, afterFirstByte: receivedAny)
        }
        out.yield(.usage(Self.usage(parser.reportedUsage, request, text)))
        guard parser.isComplete else {
            throw ProviderError(kind: .truncated, provider: provider, message: "the stream ended before the provider's end marker",
                                afterFirstByte: true)
        }
        out.yield(.finished(reason: (parser as? any FinishReasonReporting)?.finishReason))
    }

    /// Reported usage, completed with estimates where the provider left counts out.
    static func usage(_ reported: TokenUsage?, _ request: ChatRequest, _ text: String) -> TokenUsage {
        guard var usage = reported else {
            return TokenUsage(inputTokens: request.estimatedInputTokens, outputTokens: TokenEstimate.tokens(text), estimated: true)
        }
        if usage.inputTokens == 0 && !request.messages.isEmpty {
            usage.inputTokens = request.estimatedInputTokens
            usage.estimated = true
        }
        if usage.outputTokens == 0 && !text.isEmpty {
            usage.outputTokens = TokenEstimate.tokens(text)
            usage.estimated = true
        }
        return usage
    }

    static func headers(_ response: HTTPURLResponse) -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in response.allHeaderFields {
            if let key = key as? String, let value = value as? String { result[key.lowercased()] = value }
        }
        return result
    }

    static func transportError(_ error: Error, provider: String, afterFirstByte: Bool) -> Error {
        if error is CancellationError { return error }
        if let url = error as? URLError {
            if url.code == .cancelled { return CancellationError() }
            if url.code == .timedOut {
                return ProviderError(kind: .timeout, provider: provider,
                                     message: afterFirstByte ? "the stream stalled (no data within the idle timeout)" : "no answer within the idle timeout",
                                     afterFirstByte: afterFirstByte)
            }
            let kind: ProviderError.Kind = afterFirstByte ? .truncated : .connection
            return ProviderError(kind: kind, provider: provider, message: url.localizedDescription + " (\(url.code.rawValue))",
                                 afterFirstByte: afterFirstByte)
        }
        if let provider = error as? ProviderError { return provider }
        return ProviderError(kind: afterFirstByte ? .truncated : .connection, provider: provider, message: "\(error)",
                             afterFirstByte: afterFirstByte)
    }
}

/// Parsers that know the provider's stop reason.
protocol FinishReasonReporting {
    var finishReason: String? { get }
}

/// Error bodies of both providers: OpenAI `{"error": {"message", "type", "code"}}`, Anthropic
/// `{"type": "error", "error": {"type", "message"}}`; anything else is quoted (shortened).
enum ErrorBody {
    static func parse(_ data: Data, provider: String, status: Int?) -> ProviderError {
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        if let error = object?["error"] as? [String: Any] {
            let message = error["message"] as? String ?? "no message"
            var code = error["code"] as? String
            if code == nil, let details = error["details"] as? [String: Any] { code = details["error_code"] as? String }
            return ProviderError(kind: .http, provider: provider, status: status, type: error["type"] as? String, code: code,
                                 message: message)
        }
        let text = String(decoding: data.prefix(500), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return ProviderError(kind: .http, provider: provider, status: status, message: text.isEmpty ? "no details" : text)
    }
}

/// Builds a POST with a JSON body.
enum JSONPost {
    static func request(url: URL, headers: [String: String], body: [String: Any], timeout: Double) throws -> URLRequest {
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "content-type")
        request.setValue("text/event-stream", forHTTPHeaderField: "accept")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])
        return request
    }

    /// `base` + `path`, keeping any path the base already has (e.g. ".../v1" + "/chat/completions").
    static func url(base: String, path: String, provider: String) throws -> URL {
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        guard let url = URL(string: trimmed + path), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw ProviderError(kind: .badRequest, provider: provider, message: "base URL \"\(base)\" is not an http(s) URL")
        }
        return url
    }
}
