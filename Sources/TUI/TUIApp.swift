import Dispatch
import Engine
import Foundation
import Synchronization

/// Why the TUI cannot start.
public struct TUIError: InputError {
    public let description: String
}

/// The full-screen front end: the loop of key → update → render.
public enum TUIApp {
    /// Frames are drawn at most this often (about 30 a second).
    static let frameInterval: Duration = .milliseconds(33)
    static let interrupted = Atomic<Bool>(false)

    /// Runs the TUI on this terminal until the user quits. Restores the terminal on every exit
    /// path, including SIGINT, SIGTERM and SIGHUP.
    public static func run(config: AppConfig, paths: AppPaths, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard isatty(0) != 0, isatty(1) != 0 else { throw TUIError(description: "tui needs a terminal (stdin and stdout must be a TTY)") }
        let options = try SetupOptions.load(config: config, paths: paths)
        let theme = Theme.resolved(try loadTheme(config: config), environment: environment)
        let backend = NcursesBackend(theme: theme)
        let signals = [SIGINT, SIGTERM, SIGHUP].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { interrupted.store(true, ordering: .relaxed) }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        backend.open()
        defer { backend.close() }
        let size = backend.size()
        loop(state: AppState(options: options, width: size.width, height: size.height), backend: backend)
    }

    /// themes/default.json beside config.json, else the built-in default.
    static func loadTheme(config: AppConfig) throws -> Theme {
        let file = config.sourceFile.deletingLastPathComponent().appendingPathComponent("themes/default.json")
        guard FileManager.default.fileExists(atPath: file.path) else { return .builtIn }
        return try Theme.load(from: file)
    }

    /// Reads keys, updates the state, and draws when something changed, paced to ~30 frames a second.
    /// Returns the final state.
    @discardableResult
    public static func loop(state initial: AppState, backend: some TerminalBackend) -> AppState {
        var state = initial
        let clock = ContinuousClock()
        var lastFrame = clock.now - frameInterval
        var isDirty = true
        while true {
            if interrupted.load(ordering: .relaxed) { break }
            if isDirty, clock.now - lastFrame >= frameInterval {
                backend.draw(SetupScreen.render(state))
                lastFrame = clock.now
                isDirty = false
            }
            let wait = isDirty ? max(1, Int((frameInterval - (clock.now - lastFrame)).components.attoseconds / 1_000_000_000_000_000)) : 50
            let message: AppMessage
            switch backend.readKey(timeoutMilliseconds: wait) {
            case nil: message = .tick
            case .resize:
                let size = backend.size()
                message = .resize(width: size.width, height: size.height)
            case let key?: message = .key(key)
            }
            let effects = update(&state, message)
            if effects.contains(.quit) { break }
            if effects.contains(.render) { isDirty = true }
        }
        return state
    }
}
