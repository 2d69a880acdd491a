@testable import Engine
import Foundation
import Testing
import TestSupport

/// `alchemist generate` with the real local server in both modes: each program is saved or
/// rejected with a reason, the server is stopped afterwards. Never asserts label quality.
@Suite(.serialized, .enabled(if: LocalLLMInstall.python != nil, "local LLM not installed (scripts/setup-local-llm)"))
struct LocalGenerateTests {
    @Test(arguments: ["scriptorium", "alchemist"])
    func threeProgramsAreSavedOrRejectedWithAReason(mode: String) throws {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-local-\(UUID().uuidString)")
        let venvHome = LocalLLMInstall.python!.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        try FileManager.default.createDirectory(at: home.appendingPathComponent("tools"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: home.appendingPathComponent("tools/llm-venv"),
                                                   withDestinationURL: venvHome.appendingPathComponent("tools/llm-venv"))
        let runner = try CommandRunner.locate()
        let result = try runner.run(["generate", "--dataset", "demo", "--lf-dir", home.appendingPathComponent("programs").path,
                                     "--mode", mode, "--code-model", "smollm2-135m", "--count", "3", "--max-output-tokens", "256"],
                                    environment: ["ALCHEMIST_HOME": home.path, "OPENAI_API_KEY": "", "ANTHROPIC_API_KEY": ""])
        #expect([0, 1].contains(result.status), "\(result.stderr)")
        let saved = result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("saved: ") }.count
        let rejected = result.stdout.components(separatedBy: "\n").filter { $0.hasPrefix("not saved: ") }.count
        #expect(saved + rejected == 3, "\(result.stdout)")
        let calls = try Ledger(path: home.appendingPathComponent("ledger.sqlite")).calls()
        #expect(calls.count == (mode == "alchemist" ? 6 : 3))
        #expect(calls.allSatisfy { $0.provider == "local" && !$0.estimated && $0.outputTokens > 0 && $0.cost == 0 })
        // The server was stopped by its process id.
        let pid = result.stderr.components(separatedBy: "pid ").last.flatMap { Int32($0.prefix { $0.isNumber }) }
        #expect(pid != nil && kill(pid!, 0) != 0)
    }
}
