import Engine
import Foundation

/// The local LLM runtime of `scripts/setup-local-llm`, when installed: ALCHEMIST_LOCAL_LLM_PYTHON
/// names its interpreter (.ci/run sets it), else the app home's default place.
public enum LocalLLMInstall {
    public static var python: URL? {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["ALCHEMIST_LOCAL_LLM_PYTHON"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let python = LocalLLMServer.defaultPython(appHome: AppPaths.appHome(configured: nil, environment: environment))
        return FileManager.default.isExecutableFile(atPath: python.path) ? python : nil
    }
}
