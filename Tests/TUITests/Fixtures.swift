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

    static func state(width: Int = 80, height: Int = 24) throws -> AppState {
        AppState(options: try options(), width: width, height: height)
    }
}

extension AppState {
    mutating func press(_ keys: Key...) {
        for key in keys { _ = update(&self, .key(key)) }
    }
}
