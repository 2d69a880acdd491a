@testable import Engine
import Foundation
import Testing
import TestSupport

/// The OpenAI and Anthropic clients against the loopback server, which speaks both wire protocols
/// and fails on demand. Each test runs for both protocols.
@Suite(.serialized) struct ProviderClientTests {
    enum Wire: String, CaseIterable, CustomTestStringConvertible {
        case openai, anthropic
        var testDescription: String { rawValue }
    }

    static let key = "sk-test-loopback-0123456789"
    let server: LoopbackLLMServer
    let config: AppConfig

    init() throws {
        server = try LoopbackLLMServer(expectKey: Self.key)
        config = try ConfigLoader.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("config.json"))
    }

    func model(_ wire: Wire, id: String? = nil) -> ModelSpec {
        config.model(id: id ?? (wire == .openai ? "gpt-4o-mini" : "claude-haiku-4-5"))!
    }

    func client(_ wire: Wire, model: ModelSpec? = nil, retries: Int = 2, idle: Double = 10) throws -> any ChatModel {
        let spec = model ?? self.model(wire)
        var policy = RetryPolicy(maxRetries: retries, initialDelay: 0.05, maxDelay: 0.2)
        policy.maxServerDelay = 5
        switch spec.provider {
        case .anthropic:
            return StreamingChatClient(wire: AnthropicChatWire(baseURL: server.anthropicBaseURL, apiKey: Self.key), policy: policy, idleTimeout: idle)
        default:
            let field = spec.provider == .openai ? "max_completion_tokens" : "max_tokens"
            return StreamingChatClient(wire: OpenAIChatWire(providerName: spec.provider.rawValue, baseURL: server.openAIBaseURL,
                                                            apiKey: Self.key, maxTokensField: field, includeUsage: true),
                                       policy: policy, idleTimeout: idle)
        }
    }

    func request(_ wire: Wire, model: ModelSpec? = nil, temperature: Double? = 0.5) -> ChatRequest {
        ChatRequest(model: model ?? self.model(wire), system: "You write labeling functions.",
                    messages: [ChatMessage(.user, "Write a function for spam.")], maxOutputTokens: 300, temperature: temperature)
    }

    struct Outcome {
        var events: [ChatEvent] = []
        var error: Error?
        var text: String { events.compactMap { if case .text(let t) = $0 { t } else { nil } }.joined() }
        var usage: TokenUsage? { events.compactMap { if case .usage(let u) = $0 { u } else { nil } }.last }
        var retries: [Double] { events.compactMap { if case .retrying(_, let delay, _) = $0 { delay } else { nil } } }
        var finishReason: String?? { events.compactMap { if case .finished(let r) = $0 { Optional(r) } else { nil } }.last }
        var providerError: ProviderError? { error as? ProviderError }
    }

    func run(_ wire: Wire, _ scenarios: [[String: Any]], client: (any ChatModel)? = nil, request: ChatRequest? = nil) async throws -> Outcome {
        try server.reset()
        try server.script(scenarios)
        var outcome = Outcome()
        do {
            for try await event in (try client ?? self.client(wire)).stream(request ?? self.request(wire)) { outcome.events.append(event) }
        } catch {
            outcome.error = error
        }
        return outcome
    }

    func violations() throws -> [String] {
        try server.requests().flatMap { $0["violations"] as? [String] ?? [] }
    }

    @Test(arguments: Wire.allCases)
    func aNormalStreamGivesTextUsageAndStopReason(wire: Wire) async throws {
        let text = "Rules:\n```python\ndef label_function(text):\n    return 1 if 'héllo 日本 ✓' in text else -1\n```\n"
        let outcome = try await run(wire, [["kind": "normal", "text": text, "input_tokens": 321, "output_tokens": 45, "chunk_size": 3]])
        #expect(outcome.error == nil)
        #expect(outcome.text == text)
        #expect(outcome.usage == TokenUsage(inputTokens: 321, outputTokens: 45, estimated: false))
        #expect(outcome.finishReason == .some(wire == .openai ? "stop" : "end_turn"))
        #expect(outcome.events.filter { if case .text = $0 { true } else { false } }.count > 10)
        #expect(try violations().isEmpty)
        let logged = try server.requests()
        #expect(logged.count == 1)
        let body = logged[0]["body"] as? [String: Any] ?? [:]
        if wire == .openai {
            let messages = body["messages"] as? [[String: Any]] ?? []
            #expect(messages.first?["role"] as? String == "system")
            #expect(body["max_completion_tokens"] as? Int == 300)
            #expect(body["max_tokens"] == nil)
            #expect((body["stream_options"] as? [String: Any])?["include_usage"] as? Bool == true)
        } else {
            #expect(body["system"] as? String == "You write labeling functions.")
            #expect(body["max_tokens"] as? Int == 300)
            #expect((logged[0]["headers"] as? [String: Any])?["anthropic-version"] as? String == "2023-06-01")
        }
        // The server logs keys redacted; nothing else in the log carries the key.
        let raw = String(decoding: try JSONSerialization.data(withJSONObject: logged), as: UTF8.self)
        #expect(!raw.contains(Self.key))
    }

    @Test(arguments: Wire.allCases)
    func crlfCommentsAndEventsSplitInsideCharactersDecodeTheSame(wire: Wire) async throws {
        let text = "héllo 日本 ✓ — ünïcode all the way\n"
        let outcome = try await run(wire, [["kind": "normal", "text": text, "crlf": true, "comments": true, "fragment_bytes": 3]])
        #expect(outcome.error == nil)
        #expect(outcome.text == text)
        #expect(outcome.usage?.estimated == false)
    }

    @Test(arguments: Wire.allCases)
    func textArrivesWhileTheStreamIsStillGoing(wire: Wire) async throws {
        try server.reset()
        try server.script([["kind": "slow", "delay": 0.15, "text": String(repeating: "token ", count: 16), "chunk_size": 6]])
        var arrivals: [ContinuousClock.Instant] = []
        for try await event in try client(wire).stream(request(wire)) {
            if case .text = event { arrivals.append(.now) }
        }
        // 16 deltas 0.15 s apart (2.4 s): streamed, they arrive spread over the stream; buffered, all at
        // once at its end. The spread, not the first arrival, is measured: a loaded machine may delay
        // the consumer's start, never compress what it receives into an instant.
        #expect(arrivals.count >= 2)
        if let first = arrivals.first, let last = arrivals.last { #expect(last - first > .milliseconds(700)) }
    }

    @Test(arguments: Wire.allCases)
    func rateLimitIsRetriedAfterTheServersDelay(wire: Wire) async throws {
        let outcome = try await run(wire, [["kind": "rate_limit", "retry_after": "7", "retry_after_ms": 120], ["kind": "normal"]])
        #expect(outcome.error == nil)
        #expect(outcome.retries == [0.12])  // retry-after-ms wins over retry-after
        #expect(outcome.text.contains("def label_function"))
        #expect(try server.requests().count == 2)
    }

    @Test(arguments: Wire.allCases)
    func serverErrorsAreRetriedTwiceThenReported(wire: Wire) async throws {
        let outcome = try await run(wire, [["kind": "server_error"], ["kind": "overloaded"], ["kind": "overloaded"], ["kind": "normal"]])
        let error = try #require(outcome.providerError)
        #expect(error.kind == .http)
        #expect(error.status == (wire == .openai ? 503 : 529))
        #expect(error.message.lowercased().contains("overloaded"))
        #expect(outcome.retries.count == 2)
        #expect(try server.requests().count == 3)
        #expect(outcome.usage == nil)  // nothing was generated, nothing to pay
    }

    @Test(arguments: Wire.allCases)
    func exhaustedQuotaAndClientErrorsAreNotRetried(wire: Wire) async throws {
        let quota = try await run(wire, [["kind": "insufficient_quota"], ["kind": "normal"]])
        #expect(quota.providerError?.isQuotaExhausted == true)
        #expect(quota.retries.isEmpty)
        #expect(try server.requests().count == 1)
        let notFound = try await run(wire, [["kind": "status", "status": 404, "message": "model gone"], ["kind": "normal"]])
        #expect(notFound.providerError?.status == 404)
        #expect(notFound.providerError?.message == "model gone")
        #expect(try server.requests().count == 1)
    }

    @Test(arguments: Wire.allCases)
    func aWrongKeyIsRefusedWithTheProvidersMessage(wire: Wire) async throws {
        let spec = model(wire)
        let bad: any ChatModel = wire == .anthropic
            ? StreamingChatClient(wire: AnthropicChatWire(baseURL: server.anthropicBaseURL, apiKey: "wrong"))
            : StreamingChatClient(wire: OpenAIChatWire(providerName: "openai", baseURL: server.openAIBaseURL, apiKey: "wrong",
                                                       maxTokensField: "max_completion_tokens", includeUsage: true))
        let outcome = try await run(wire, [], client: bad, request: request(wire, model: spec))
        #expect(outcome.providerError?.status == 401)
        #expect(outcome.providerError?.advice.contains("key") == true)
    }

    @Test(arguments: Wire.allCases)
    func anErrorEventAfter200FailsTheCallWithoutRetryAndKeepsTheSpend(wire: Wire) async throws {
        let outcome = try await run(wire, [["kind": "error_after_200", "deltas_before": 3], ["kind": "normal"]])
        let error = try #require(outcome.providerError)
        #expect(error.kind == .streamError)
        #expect(error.afterFirstByte)
        #expect(!outcome.text.isEmpty)
        #expect(outcome.usage?.estimated == true && (outcome.usage?.outputTokens ?? 0) > 0)
        #expect(try server.requests().count == 1)
    }

    @Test(arguments: Wire.allCases)
    func aDroppedConnectionIsATruncatedStreamNotRetried(wire: Wire) async throws {
        let outcome = try await run(wire, [["kind": "drop", "deltas_before": 2], ["kind": "normal"]])
        let error = try #require(outcome.providerError)
        #expect(error.kind == .truncated)
        #expect(try server.requests().count == 1)
        #expect(outcome.usage?.estimated == true)
    }

    @Test(arguments: Wire.allCases)
    func aMalformedChunkFailsTheCall(wire: Wire) async throws {
        let outcome = try await run(wire, [["kind": "malformed"]])
        #expect(outcome.providerError?.kind == .malformed)
    }

    @Test(arguments: Wire.allCases)
    func missingUsageIsEstimatedAndMarked(wire: Wire) async throws {
        let text = String(repeating: "x", count: 400)
        let outcome = try await run(wire, [["kind": "no_usage", "text": text]])
        #expect(outcome.error == nil)
        let usage = try #require(outcome.usage)
        #expect(usage.estimated)
        #expect(usage.outputTokens == 100)  // 400 bytes / 4
        #expect(usage.inputTokens == request(wire).estimatedInputTokens)
    }

    @Test(arguments: Wire.allCases)
    func aVeryLongAnswerArrivesWhole(wire: Wire) async throws {
        let outcome = try await run(wire, [["kind": "long", "repeat": 3000, "chunk_size": 64]])
        #expect(outcome.error == nil)
        #expect(outcome.text.contains("# filler line 3000"))
        #expect(outcome.text.contains("def label_function"))
    }

    @Test(arguments: Wire.allCases)
    func anAnswerWithoutCodeStreamsNormallyAndHasNoProgram(wire: Wire) async throws {
        let outcome = try await run(wire, [["kind": "no_code"]])
        #expect(outcome.error == nil)
        #expect(!outcome.text.isEmpty)
        #expect(throws: ExtractionError.self) { try ProgramExtractor.extract(from: outcome.text) }
    }

    @Test(arguments: Wire.allCases)
    func aStalledStreamIsEndedByTheIdleTimeout(wire: Wire) async throws {
        let started = ContinuousClock.now
        let outcome = try await run(wire, [["kind": "stall", "stall_seconds": 20], ["kind": "normal"]], client: try client(wire, idle: 1))
        #expect(outcome.providerError?.kind == .timeout)
        #expect(outcome.providerError?.afterFirstByte == true)
        #expect(ContinuousClock.now - started < .seconds(15))
        #expect(try server.requests().count == 1)
    }

    @Test(arguments: Wire.allCases)
    func noAnswerBeforeTheFirstByteIsRetried(wire: Wire) async throws {
        let outcome = try await run(wire, [["kind": "hang_headers", "stall_seconds": 20], ["kind": "normal"]], client: try client(wire, idle: 1))
        #expect(outcome.error == nil)
        #expect(outcome.retries.count == 1)
        #expect(outcome.text.contains("def label_function"))
    }

    @Test(arguments: Wire.allCases)
    func cancellingTheConsumerStopsTheRequest(wire: Wire) async throws {
        try server.reset()
        try server.script([["kind": "slow", "delay": 0.3, "text": String(repeating: "word ", count: 200), "chunk_size": 5]])
        let stream = try client(wire).stream(request(wire))
        let task = Task { () -> Int in
            var count = 0
            for try await event in stream { if case .text = event { count += 1 } }
            return count
        }
        try await Task.sleep(for: .milliseconds(900))
        task.cancel()
        let received = try? await task.value
        #expect((received ?? 0) < 50)
        // The server sees the client go away long before its 60 s stream would end.
        var outcome = ""
        for _ in 0..<40 where outcome != "client_gone" {
            try await Task.sleep(for: .milliseconds(100))
            outcome = try server.requests().first?["outcome"] as? String ?? ""
        }
        #expect(outcome == "client_gone")
    }

    @Test func reasoningModelsGetNoTemperatureAndLocalServersGetMaxTokens() async throws {
        let gpt5 = try #require(config.model(id: "gpt-5-mini"))
        #expect(gpt5.reasoning)
        _ = try await run(.openai, [["kind": "normal"]], client: try client(.openai, model: gpt5), request: request(.openai, model: gpt5))
        var body = try server.requests()[0]["body"] as? [String: Any] ?? [:]
        #expect(body["temperature"] == nil)
        #expect(body["max_completion_tokens"] as? Int == 300)
        #expect(try violations().isEmpty)

        var local = gpt5
        local.provider = .openaiCompatible
        local.reasoning = false
        local.apiModel = "smollm2"
        _ = try await run(.openai, [["kind": "normal"]], client: try client(.openai, model: local), request: request(.openai, model: local))
        body = try server.requests()[0]["body"] as? [String: Any] ?? [:]
        #expect(body["max_tokens"] as? Int == 300)
        #expect(body["temperature"] as? Double == 0.5)
        #expect(body["model"] as? String == "smollm2")
    }

    @Test func aMissingKeyNamesItsVariable() throws {
        let keys = APIKeys(environment: [:], dotEnv: nil)
        for id in ["gpt-4o-mini", "claude-haiku-4-5"] {
            do {
                _ = try ChatModels.make(config.model(id: id)!, config: config, keys: keys, environment: [:])
                Issue.record("no error for \(id)")
            } catch let error as ProviderError {
                #expect(error.kind == .missingKey)
                #expect(error.message.contains(id.hasPrefix("gpt") ? "OPENAI_API_KEY" : "ANTHROPIC_API_KEY"))
            }
        }
    }

    @Test func baseURLsComeFromTheFlagThenTheEnvironmentThenTheConfig() async throws {
        let keys = APIKeys(environment: ["OPENAI_API_KEY": Self.key, "ANTHROPIC_API_KEY": Self.key], dotEnv: nil)
        // The environment points at the loopback server: the call succeeds there.
        let viaEnvironment = try ChatModels.make(model(.anthropic), config: config, keys: keys,
                                                 environment: ["ANTHROPIC_BASE_URL": server.anthropicBaseURL])
        let outcome = try await run(.anthropic, [["kind": "normal"]], client: viaEnvironment)
        #expect(outcome.error == nil)
        // A flag wins over the environment (here an unreachable port: a connection error, after retries).
        var quick = config
        quick.generation.maxRetries = 0
        let viaFlag = try ChatModels.make(model(.openai), config: quick, keys: keys, environment: ["OPENAI_BASE_URL": server.openAIBaseURL],
                                          baseURLOverride: "http://127.0.0.1:9/v1")
        let refused = try await run(.openai, [], client: viaFlag)
        #expect(refused.providerError?.kind == .connection)
    }
}
