import Foundation
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

public struct LocalLLMError: InputError, Equatable {
    public let reason: String
    public var description: String { reason }
}

/// The app's own llama.cpp server for `local` models: xllamacpp's embedded server, run by the
/// Python of the virtual environment `scripts/setup-local-llm` makes. Started on 127.0.0.1 with an
/// ephemeral port and one thread (two threads on two busy cores collapse its speed), ready once
/// `/health` answers, stopped by its process id. The child's environment holds no API key.
public final class LocalLLMServer: @unchecked Sendable {
    public enum WireProtocol: String, Sendable, CaseIterable {
        case openai, anthropic
    }

    public let address: String
    private let process: Process
    /// Running servers, so an interrupted app can end them (`killAll`).
    private static let running = Mutex<Set<pid_t>>([])

    /// Kills every server this process started (for SIGINT/SIGTERM handlers).
    public static func killAll() {
        for pid in running.withLock({ $0 }) { _ = kill(pid, SIGKILL) }
    }
    private let lock = NSLock()
    private var stopped = false

    /// Where the setup script puts the interpreter.
    public static func defaultPython(appHome: URL) -> URL {
        appHome.appendingPathComponent("tools/llm-venv/bin/python")
    }

    /// - Parameters:
    ///   - modelFile: a GGUF file, or "smollm2" for the demo model.
    ///   - apiKey: when set, the server refuses requests without it.
    public init(python: URL, modelFile: String, threads: Int = 1, contextSize: Int = 4096, alias: String = "local",
                apiKey: String? = nil, startupTimeout: Double = 60) async throws {
        guard FileManager.default.isExecutableFile(atPath: python.path) else {
            throw LocalLLMError(reason: "no local LLM runtime at \(python.path): run ./scripts/setup-local-llm")
        }
        if modelFile != "smollm2", !FileManager.default.fileExists(atPath: modelFile) {
            throw LocalLLMError(reason: "model file \(modelFile) not found")
        }
        guard let script = Bundle.module.url(forResource: "local_llm_server", withExtension: "py") else {
            throw LocalLLMError(reason: "local_llm_server.py missing from the Engine bundle")
        }
        let process = Process()
        process.executableURL = python
        process.arguments = ["-I", "-u", script.path, modelFile, "0", "\(threads)", "\(contextSize)", alias, apiKey ?? ""]
        process.environment = ["PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path, "LANG": "C.UTF-8"]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        try process.run()
        self.process = process
        Self.running.withLock { _ = $0.insert(process.processIdentifier) }
        let log = LineCollector(errors.fileHandleForReading)
        // The launcher prints "listening http://127.0.0.1:PORT" once the server is up.
        let line = await Self.firstLine(output.fileHandleForReading, timeout: startupTimeout)
        guard let line, line.hasPrefix("listening ") else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            Self.running.withLock { _ = $0.remove(process.processIdentifier) }
            throw LocalLLMError(reason: "the local LLM server did not start: \(log.tail())")
        }
        address = String(line.dropFirst("listening ".count)).trimmingCharacters(in: .whitespacesAndNewlines)
        try await waitForHealth(timeout: startupTimeout)
    }

    deinit { stop() }

    public var processIdentifier: Int32 { process.processIdentifier }

    /// Ends the server (SIGKILL by process id: it keeps no state worth flushing, and a child spawned
    /// from a worker thread may have SIGTERM blocked).
    public func stop() {
        let first = lock.withLock { () -> Bool in
            defer { stopped = true }
            return !stopped
        }
        Self.running.withLock { _ = $0.remove(process.processIdentifier) }
        guard first, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private func waitForHealth(timeout: Double) async throws {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        guard let url = URL(string: address + "/health") else { throw LocalLLMError(reason: "bad server address \(address)") }
        while ContinuousClock.now < deadline {
            if let (_, response) = try? await URLSession.shared.data(from: url), (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        stop()
        throw LocalLLMError(reason: "the local LLM server at \(address) did not become healthy within \(Int(timeout)) s")
    }

    private static func firstLine(_ handle: FileHandle, timeout: Double) async -> String? {
        await withCheckedContinuation { continuation in
            let once = OnceBox(continuation)
            Thread {
                var data = Data()
                while true {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    data.append(chunk)
                    if let newline = data.firstIndex(of: 0x0A) {
                        once.resume(String(decoding: data[..<newline], as: UTF8.self))
                        return
                    }
                }
                once.resume(nil)
            }.start()
            DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { once.resume(nil) }
        }
    }
}

private final class OnceBox: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<String?, Never>?
    init(_ continuation: CheckedContinuation<String?, Never>) { self.continuation = continuation }
    func resume(_ value: String?) {
        let taken: CheckedContinuation<String?, Never>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        taken?.resume(returning: value)
    }
}

/// Keeps the last lines a child wrote on stderr, for error messages.
private final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    init(_ handle: FileHandle) {
        Thread { [weak self] in
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                self?.lock.withLock {
                    self?.data.append(chunk)
                    if let count = self?.data.count, count > 65536 { self?.data.removeFirst(count - 65536) }
                }
            }
        }.start()
    }
    func tail() -> String {
        let text = lock.withLock { String(decoding: data, as: UTF8.self) }
        return text.split(separator: "\n").suffix(3).joined(separator: " / ")
    }
}
