import Foundation

/// Makes the chat model for a configured model entry.
public enum ChatModels {
    /// - Parameters:
    ///   - baseURLOverride: a `--base-url` flag; else `OPENAI_BASE_URL` / `ANTHROPIC_BASE_URL` (as
    ///     the official SDKs read them), else the model's own `base_url`, else config.json's provider entry.
    /// - Throws: `ProviderError` of kind `.missingKey` naming the variable when a needed key is absent.
    public static func make(_ model: ModelSpec, config: AppConfig, keys: APIKeys,
                            environment: [String: String] = ProcessInfo.processInfo.environment,
                            baseURLOverride: String? = nil, localProtocol: LocalLLMServer.WireProtocol = .openai,
                            localKey: String? = nil) throws -> any ChatModel {
        let settings = config.generation
        var policy = RetryPolicy()
        policy.maxRetries = settings.maxRetries
        let idle = Double(settings.idleTimeoutSeconds)
        func baseURL(_ endpoint: ProviderSettings.Endpoint, environmentName: String?) -> String {
            if let baseURLOverride, !baseURLOverride.isEmpty { return baseURLOverride }
            if let environmentName, let value = environment[environmentName], !value.isEmpty { return value }
            return model.baseURL ?? endpoint.baseURL
        }
        func key(_ endpoint: ProviderSettings.Endpoint, provider: String, required: Bool) throws -> String? {
            guard let variable = endpoint.apiKeyEnv else { return nil }
            if let value = keys.value(variable) { return value }
            guard required else { return nil }
            throw ProviderError(kind: .missingKey, provider: provider,
                                message: "\(variable) is not set (model \(model.id) needs it)")
        }
        switch model.provider {
        case .openai:
            let endpoint = config.providers.openai
            let wire = OpenAIChatWire(providerName: "openai", baseURL: baseURL(endpoint, environmentName: "OPENAI_BASE_URL"),
                                      apiKey: try key(endpoint, provider: "openai", required: true),
                                      maxTokensField: model.maxTokensField ?? "max_completion_tokens", includeUsage: true)
            return StreamingChatClient(wire: wire, policy: policy, idleTimeout: idle)
        case .openaiCompatible:
            let endpoint = config.providers.openaiCompatible
            let wire = OpenAIChatWire(providerName: "openai-compatible", baseURL: baseURL(endpoint, environmentName: nil),
                                      apiKey: try key(endpoint, provider: "openai-compatible", required: false),
                                      maxTokensField: model.maxTokensField ?? "max_tokens", includeUsage: true)
            return StreamingChatClient(wire: wire, policy: policy, idleTimeout: idle)
        case .anthropic:
            let endpoint = config.providers.anthropic
            let wire = AnthropicChatWire(baseURL: baseURL(endpoint, environmentName: "ANTHROPIC_BASE_URL"),
                                         apiKey: try key(endpoint, provider: "anthropic", required: true))
            return StreamingChatClient(wire: wire, policy: policy, idleTimeout: idle)
        case .local:
            // The app's own llama.cpp server: the caller starts it and passes its address.
            guard let baseURLOverride else {
                throw ProviderError(kind: .badRequest, provider: "local", message: "the local server is not running (start it with LocalLLMServer)")
            }
            if localProtocol == .anthropic {
                return StreamingChatClient(wire: AnthropicChatWire(providerName: "local", baseURL: baseURLOverride, apiKey: localKey),
                                           policy: policy, idleTimeout: idle)
            }
            let wire = OpenAIChatWire(providerName: "local", baseURL: baseURLOverride + "/v1", apiKey: localKey,
                                      maxTokensField: model.maxTokensField ?? "max_tokens", includeUsage: true)
            return StreamingChatClient(wire: wire, policy: policy, idleTimeout: idle)
        case .builtin:
            throw ProviderError(kind: .badRequest, provider: "builtin",
                                message: "the built-in program synthesizer is not available in this build; choose an LLM with --code-model")
        }
    }

    /// The environment variable a model's key comes from, or nil when it needs none.
    public static func keyVariable(_ model: ModelSpec, config: AppConfig) -> String? {
        switch model.provider {
        case .openai: return config.providers.openai.apiKeyEnv
        case .anthropic: return config.providers.anthropic.apiKeyEnv
        case .openaiCompatible, .local, .builtin: return nil
        }
    }
}
