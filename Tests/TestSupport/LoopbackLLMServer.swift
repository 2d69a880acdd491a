import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The scriptable loopback LLM server of scripts/loopback-llm-server (OpenAI and Anthropic wire
/// protocols, failures on demand, request checks), run as a child process.
public final class LoopbackLLMServer: @unchecked Sendable {
    public let port: Int
    private let process: Process

    public init(expectKey: String? = nil) throws {
        let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-llm-port-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: portFile) }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = ["python3", TestEnvironment.repositoryRoot.appendingPathComponent("scripts/loopback-llm-server").path,
                         "--port-file", portFile.path, "--quiet"]
        if let expectKey { arguments += ["--expect-key", expectKey] }
        process.arguments = arguments
        _ = try ProcessLaunch.run(process)
        var port: Int?
        for _ in 0..<200 where port == nil {
            port = (try? String(contentsOf: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if port == nil { usleep(50_000) }
        }
        guard let port else {
            kill(process.processIdentifier, SIGKILL)
            throw PythonReference.Failure(description: "loopback LLM server did not start within 10 s")
        }
        self.port = port
    }

    deinit { stop() }

    /// For OPENAI_BASE_URL (which includes /v1).
    public var openAIBaseURL: String { "http://127.0.0.1:\(port)/v1" }
    /// For ANTHROPIC_BASE_URL (without /v1).
    public var anthropicBaseURL: String { "http://127.0.0.1:\(port)" }

    /// Queues scenarios, consumed one per provider request (then "normal").
    public func script(_ scenarios: [[String: Any]]) throws {
        _ = try control("POST", "/__script", body: ["scenarios": scenarios])
    }

    public func reset() throws { _ = try control("POST", "/__reset", body: [:]) }

    /// The requests received, as the server logged them (keys redacted), with its protocol violations.
    public func requests() throws -> [[String: Any]] {
        let object = try control("GET", "/__requests", body: nil)
        return object["requests"] as? [[String: Any]] ?? []
    }

    private func control(_ method: String, _ path: String, body: [String: Any]?) throws -> [String: Any] {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!, timeoutInterval: 10)
        request.httpMethod = method
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "content-type")
        }
        let box = ResultBox()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.set(data, (response as? HTTPURLResponse)?.statusCode, error)
            done.signal()
        }.resume()
        done.wait()
        let (data, status, error) = box.get()
        if let error { throw error }
        guard status == 200 else {
            throw PythonReference.Failure(description: "\(path): HTTP \(status ?? 0): \(String(decoding: data ?? Data(), as: UTF8.self))")
        }
        return (try? JSONSerialization.jsonObject(with: data ?? Data())) as? [String: Any] ?? [:]
    }

    /// SIGKILL: children spawned from the test's worker threads inherit their blocked signal mask,
    /// so a SIGTERM would stay pending forever.
    public func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: (Data?, Int?, Error?) = (nil, nil, nil)
    func set(_ data: Data?, _ status: Int?, _ error: Error?) { lock.withLock { value = (data, status, error) } }
    func get() -> (Data?, Int?, Error?) { lock.withLock { value } }
}
