import Foundation

extension SandboxSettings {
    /// The settings as config.json's `sandbox` section, one line of JSON: how the driver hands them
    /// to `spark-worker`, which reads them back with the config loader's own rules
    /// (`init(sandboxSection:origin:)`). `allowWithoutOSSandbox` is not part of it (never in config.json).
    public var sandboxSection: String {
        var object: [String: Any] = [
            "workers": workers, "batch_size": batchSize, "call_timeout_seconds": callTimeoutSeconds,
            "max_limit_hits": maxLimitHits, "max_kills": maxKills, "memory_mb": memoryMB,
            "cpu_ms_per_row": cpuMillisecondsPerRow, "load_seconds": loadSeconds, "drop_privileges_to": dropPrivilegesTo,
            "window_rows": windowRows,
        ]
        object["python"] = python ?? NSNull()
        // Only numbers and strings: serialization cannot fail.
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads a `sandbox` section as config.json's loader does: every key checked, limits validated.
    /// - Parameter origin: what errors name as the file (an option, say).
    /// - Throws: `JSONReadError` naming `origin` and the key.
    public init(sandboxSection text: String, origin: String) throws {
        var reader = try JSONReader.parse(Data(text.utf8), file: origin)
        self = try ConfigLoader.sandboxSettings(&reader)
    }
}
