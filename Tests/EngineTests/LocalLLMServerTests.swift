@testable import Engine
import Foundation
import Testing
import TestSupport

/// Both wire protocols against a real LLM server: llama.cpp's own, started by the app, with the
/// tiny SmolLM2 demo model. Runs when `scripts/setup-local-llm` has installed it
/// (ALCHEMIST_LOCAL_LLM_PYTHON names its interpreter; .ci/run sets it). Never asserts label quality.
@Suite(.serialized, .enabled(if: LocalLLMInstall.python != nil, "local LLM not installed (scripts/setup-local-llm)"))
struct LocalLLMServerTests {
    static let config: AppConfig = try! ConfigLoader.load(from: TestEnvironment.repositoryRoot.appendingPathComponent("config.json"))

    func request(_ text: String = "Write one short sentence about spam.", maxTokens: Int = 40) -> ChatRequest {
        ChatRequest(model: Self.config.model(id: "smollm2-135m")!, system: "You are a helpful assistant.",
                    messages: [ChatMessage(.user, text)], maxOutputTokens: maxTokens, temperature: 0)
    }

    func client(_ server: LocalLLMServer, _ wire: LocalLLMServer.WireProtocol, key: String? = nil) throws -> any ChatModel {
        try ChatModels.make(Self.config.model(id: "smollm2-135m")!, config: Self.config, keys: APIKeys(environment: [:], dotEnv: nil),
                            baseURLOverride: server.address, localProtocol: wire, localKey: key)
    }

    func collect(_ model: any ChatModel, _ request: ChatRequest) async -> (text: String, usage: TokenUsage?, finish: String?, error: Error?) {
        var text = "", usage: TokenUsage?, finish: String?
        do {
            for try await event in model.stream(request) {
                switch event {
                case .text(let piece): text += piece
                case .usage(let reported): usage = reported
                case .finished(let reason): finish = reason
                case .retrying: break
                }
            }
        } catch {
            return (text, usage, finish, error)
        }
        return (text, usage, finish, nil)
    }

    @Test func bothProtocolsStreamWithReportedUsageLengthStopsAndDeterminism() async throws {
        let server = try await LocalLLMServer(python: LocalLLMInstall.python!, modelFile: "smollm2", alias: "smollm2")
        defer { server.stop() }
        for wire in LocalLLMServer.WireProtocol.allCases {
            let first = await collect(try client(server, wire), request())
            #expect(first.error == nil, "\(wire): \(String(describing: first.error))")
            #expect(!first.text.isEmpty)
            #expect(first.usage?.estimated == false && (first.usage?.inputTokens ?? 0) > 10 && (first.usage?.outputTokens ?? 0) > 0)
            let again = await collect(try client(server, wire), request())
            #expect(again.text == first.text, "temperature 0 gives the same answer")
            let cut = await collect(try client(server, wire), request("Tell a long story about a dragon.", maxTokens: 5))
            #expect(cut.finish == (wire == .openai ? "length" : "max_tokens"))
            #expect(cut.usage?.outputTokens == 5)
        }
    }

    @Test func cancellationStopsTheStreamAndTheServerGoesOn() async throws {
        let server = try await LocalLLMServer(python: LocalLLMInstall.python!, modelFile: "smollm2", alias: "smollm2")
        defer { server.stop() }
        for wire in LocalLLMServer.WireProtocol.allCases {
            let stream = try client(server, wire).stream(request("Count from one to five hundred in words.", maxTokens: 1500))
            let task = Task { () -> Int in
                var pieces = 0
                for try await event in stream { if case .text = event { pieces += 1 } }
                return pieces
            }
            try await Task.sleep(for: .milliseconds(700))
            task.cancel()
            let pieces = (try? await task.value) ?? 0
            #expect(pieces < 1500)
            let after = await collect(try client(server, wire), request())
            #expect(after.error == nil && !after.text.isEmpty)
        }
    }

    @Test func aWrongKeyAndAnOverlongPromptAreTypedErrors() async throws {
        let server = try await LocalLLMServer(python: LocalLLMInstall.python!, modelFile: "smollm2", contextSize: 256, alias: "smollm2", apiKey: "right-key")
        defer { server.stop() }
        for wire in LocalLLMServer.WireProtocol.allCases {
            let refused = await collect(try client(server, wire, key: "wrong-key"), request())
            #expect((refused.error as? ProviderError)?.status == 401, "\(wire)")
            let long = String(repeating: "spam and ham and more words ", count: 200)
            let overflow = await collect(try client(server, wire, key: "right-key"), request(long))
            let error = overflow.error as? ProviderError
            #expect(error?.status == 400, "\(wire): \(String(describing: overflow.error))")
            #expect(error?.message.lowercased().contains("context") == true || error?.type?.contains("context") == true)
        }
    }
}
