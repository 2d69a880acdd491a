import Engine
import Foundation
import TestSupport
@testable import TUI

/// Setup options from the project's config.json and its datasets/ folder (the demo dataset is
/// present, the named ones absent), with an OpenAI key set and no Anthropic key.
enum Fixtures {
    static func options() throws -> SetupOptions {
        let config = try TestEnvironment.config()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("alchemist-tui-tests-home")
        let paths = TestEnvironment.paths(config: config, dataDir: nil, home: home)
        return try SetupOptions.load(config: config, paths: paths, keys: APIKeys(environment: ["OPENAI_API_KEY": "test"], dotEnv: nil))
    }

    /// The initial state, switched to scriptorium (the default is alchemist) unless `mode` says otherwise.
    static func state(width: Int = 80, height: Int = 24, mode: GenerationMode = .scriptorium) throws -> AppState {
        var state = AppState(options: try options(), width: width, height: height)
        state.selection[.mode] = state.options.modes.firstIndex { $0.id == mode.rawValue }
        return state
    }
}

extension AppState {
    mutating func press(_ keys: Key...) {
        for key in keys { _ = update(&self, .key(key)) }
    }
}
