import Dispatch
import Engine
import Foundation
import Synchronization

/// Why the TUI cannot start.
public struct TUIError: InputError {
    public let description: String
}

/// The full-screen front end: the loop of (key | engine message) → update → effects → render.
public enum TUIApp {
    /// Frames are drawn at most this often (about 30 a second).
    static let frameInterval: Duration = .milliseconds(33)
    /// Spinners advance this often while engine work runs.
    static let tickInterval: Duration = .milliseconds(120)
    static let interrupted = Atomic<Bool>(false)

    /// Runs the TUI on this terminal until the user quits. Restores the terminal on every exit
    /// path, including SIGINT, SIGTERM and SIGHUP.
    public static func run(config: AppConfig, paths: AppPaths, themeFlags: ThemeFlags = ThemeFlags(),
                           environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        // The theme first, so a wrong --theme is reported even without a terminal.
        let theme = try loadTheme(config: config, paths: paths, flags: themeFlags, environment: environment)
        guard isatty(0) != 0, isatty(1) != 0 else { throw TUIError(description: "tui needs a terminal (stdin and stdout must be a TTY)") }
        let keys = APIKeys()
        let options = try SetupOptions.load(config: config, paths: paths, keys: keys)
        let backend = NcursesBackend(theme: theme)
        let runner = EngineRunner(config: config, paths: paths, keys: keys)
        let signals = [SIGINT, SIGTERM, SIGHUP].map { number -> DispatchSourceSignal in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { interrupted.store(true, ordering: .relaxed) }
            source.resume()
            return source
        }
        defer { signals.forEach { $0.cancel() } }
        backend.open()
        defer {
            backend.close()
            runner.shutdown()
            // The process is about to exit: no sandbox worker may outlive it.
            WorkerRegistry.shared.killAll()
        }
        let size = backend.size()
        var state = AppState(options: options, width: size.width, height: size.height)
        state.theme = theme
        state.colorPolicy = ColorPolicy(noColorFlag: themeFlags.noColor, environment: environment)
        let settingsFile = UserSettings.file(appHome: paths.appHome)
        if let remembered = (try? UserSettings.load(from: settingsFile))?.setup { state.restore(remembered) }
        runner.checkSandbox()
        if !requestDatasetInfo(&state).isEmpty, let name = state.dataset?.name { runner.loadDatasetInfo(name) }
        let final = loop(state: state, backend: backend, runner: runner)
        // Best effort: a settings file that cannot be written must not turn a clean exit into an error.
        try? UserSettings.rememberSetup(final.rememberedSetup, appHome: paths.appHome)
    }

    /// `run` on a thread of its own: the loop blocks while it waits for keys, and must not hold a
    /// thread of Swift's cooperative pool, which the engine's tasks need (on a one-core machine
    /// they would otherwise never run).
    public static func runOnOwnThread(config: AppConfig, paths: AppPaths, themeFlags: ThemeFlags = ThemeFlags()) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            let thread = Thread {
                do {
                    try run(config: config, paths: paths, themeFlags: themeFlags)
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "alchemist-ui"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// `loop` on a thread of its own (see `runOnOwnThread`), for tests and embedders.
    public static func loopOnOwnThread(state: AppState, backend: some TerminalBackend & Sendable, runner: EngineRunner? = nil) async -> AppState {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: loop(state: state, backend: backend, runner: runner)) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    /// `--theme`, else the pick remembered in settings.json, else `default` (themes/ beside config.json
    /// or `<app home>/themes`); without colours under `--no-color` or NO_COLOR.
    static func loadTheme(config: AppConfig, paths: AppPaths, flags: ThemeFlags, environment: [String: String]) throws -> Theme {
        try ThemeSelection.resolve(config: config, paths: paths, flags: flags, environment: environment)
    }

    /// Reads keys and engine messages, updates the state, carries out effects, and draws when
    /// something changed, paced to ~30 frames a second. Returns the final state.
    @discardableResult
    public static func loop(state initial: AppState, backend: some TerminalBackend, runner: EngineRunner? = nil) -> AppState {
        var state = initial
        let clock = ContinuousClock()
        var lastFrame = clock.now - frameInterval
        var lastTick = clock.now
        var isDirty = true

        let effects = EffectInterpreter(terminal: backend, runner: runner)

        /// Applies one message and its effects (and the news they make at once); false when the app must quit.
        func handle(_ message: AppMessage) -> Bool {
            var pending = [message]
            while !pending.isEmpty {
                for effect in update(&state, pending.removeFirst()) {
                    switch effect {
                    case .quit: return false
                    case .render: isDirty = true
                    default: pending += effects.perform(effect, state: state)
                    }
                }
            }
            return true
        }

        while true {
            if interrupted.load(ordering: .relaxed) || backend.isGone() { break }
            for message in runner?.drain() ?? [] where !handle(message) { return state }
            if isDirty, clock.now - lastFrame >= frameInterval {
                backend.draw(AppView.render(state))
                lastFrame = clock.now
                isDirty = false
            }
            // Short waits while work runs (its news must show promptly), longer ones when idle.
            let busy = runner?.isBusy == true || state.generation?.isBusy == true || state.results?.isRunning == true
            let wait = isDirty || busy ? 15 : 100
            let message: AppMessage
            switch backend.readKey(timeoutMilliseconds: wait) {
            case nil:
                guard busy, clock.now - lastTick >= tickInterval else { continue }
                lastTick = clock.now
                message = .tick
            case .resize:
                let size = backend.size()
                message = .resize(width: size.width, height: size.height)
            case let key?:
                message = .key(key)
            }
            if !handle(message) { break }
        }
        return state
    }
}
