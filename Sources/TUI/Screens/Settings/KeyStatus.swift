import Engine
import Foundation

/// Whether a provider's API key is set and where it came from. Holds the variable's name only:
/// the key itself is never read into this value, so no screen can show it.
public struct KeyStatus: Sendable, Equatable {
    public enum Source: String, Sendable {
        case environment
        case dotEnv = ".env"
    }

    public var variable: String
    /// nil: missing.
    public var source: Source?

    public var isPresent: Bool { source != nil }

    /// "present (environment)", "present (.env)" or "missing".
    public var summary: String { source.map { "present (\($0.rawValue))" } ?? "missing" }

    /// One row per key variable the configured providers use, in config order, each once.
    /// A variable set (non-empty) in `environment` comes from there; otherwise `keys` found it in .env.
    public static func rows(config: AppConfig, keys: APIKeys, environment: [String: String]) -> [KeyStatus] {
        let providers = config.providers
        var variables: [String] = []
        for variable in [providers.openai.apiKeyEnv, providers.anthropic.apiKeyEnv, providers.openaiCompatible.apiKeyEnv].compactMap({ $0 })
        where !variables.contains(variable) {
            variables.append(variable)
        }
        return variables.map { variable in
            let source: Source?
            if let value = environment[variable], !value.isEmpty { source = .environment }
            else if keys.value(variable) != nil { source = .dotEnv }
            else { source = nil }
            return KeyStatus(variable: variable, source: source)
        }
    }
}
