import Foundation

/// API keys from the environment, else from a `.env` file in the working folder. Keys are only
/// ever put into request headers: never into files, logs, the ledger, or child processes (the
/// sandbox starts its workers with an environment of its own that holds no key).
public struct APIKeys: Sendable {
    private let values: [String: String]

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                dotEnv: URL? = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(".env")) {
        var values: [String: String] = [:]
        if let dotEnv, let text = try? String(contentsOf: dotEnv, encoding: .utf8) { values = Self.parseDotEnv(text) }
        for (name, value) in environment where !value.isEmpty { values[name] = value }
        self.values = values
    }

    /// The value of `variable`, or nil when it is unset or empty.
    public func value(_ variable: String) -> String? {
        values[variable].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `environment` without API keys (every `*_API_KEY` variable): the one rule for the environment
    /// of a child process that may run code the user did not write (an editor, spark-submit and its executors).
    public static func withoutKeys(_ environment: [String: String]) -> [String: String] {
        environment.filter { name, _ in !isKeyVariable(name) }
    }

    /// True for a variable that holds an API key by the rule of `withoutKeys`.
    public static func isKeyVariable(_ name: String) -> Bool { name.hasSuffix("_API_KEY") }

    /// `NAME=value` lines; `export` prefixes, quotes, blank lines and `#` comments are allowed.
    static func parseDotEnv(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for raw in text.split(whereSeparator: \.isNewline) {
            var line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if let quote = value.first, quote == "\"" || quote == "'", value.count >= 2, value.last == quote {
                value = String(value.dropFirst().dropLast())
            } else if let hash = value.range(of: " #") {
                value = value[..<hash.lowerBound].trimmingCharacters(in: .whitespaces)
            }
            if !name.isEmpty { result[name] = value }
        }
        return result
    }
}
