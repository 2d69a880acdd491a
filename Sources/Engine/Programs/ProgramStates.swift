import Foundation

/// The latest test of a program on a labeled split, as kept in the program states file.
public struct ProgramTestRecord: Sendable, Equatable {
    public var split: String
    public var rows: Int
    public var coverage: Double
    /// Accuracy on the covered rows with a gold label; nil without labels or votes.
    public var accuracy: Double?
    /// Rows whose call raised, returned something invalid or killed its worker.
    public var errors: Int
    public var timeouts: Int
    /// Why the program does not load; nil when it loads.
    public var loadError: String?
    /// Kept to the millisecond.
    public var date: Date

    public init(split: String, rows: Int, coverage: Double, accuracy: Double?, errors: Int, timeouts: Int,
                loadError: String?, date: Date) {
        self.split = split
        self.rows = rows
        self.coverage = coverage
        self.accuracy = accuracy
        self.errors = errors
        self.timeouts = timeouts
        self.loadError = loadError
        self.date = date
    }

    public init(_ result: SmokeTestResult, date: Date) {
        self.init(split: result.split, rows: result.rows, coverage: result.coverage, accuracy: result.accuracy,
                  errors: result.errors, timeouts: result.timeouts, loadError: result.loadError, date: date)
    }
}

/// What the user decided about one program file, and how it last did.
public struct ProgramState: Sendable, Equatable {
    /// Whether labeling runs use the program; new programs are enabled.
    public var enabled: Bool
    public var latestTest: ProgramTestRecord?

    public init(enabled: Bool = true, latestTest: ProgramTestRecord? = nil) {
        self.enabled = enabled
        self.latestTest = latestTest
    }
}

/// Per-program state kept in one JSON file in the programs folder, `<lf-dir>/.program-states.json`,
/// keyed by each file's path relative to that folder. The file is hidden, so `ProgramStore` never
/// lists it as a program. A program without an entry is enabled and untested.
///
/// Load, change and save close together: the file is rewritten whole (atomically), so two
/// processes that both hold an old copy keep the last writer's version.
public struct ProgramStates: Sendable, Equatable {
    public static let fileName = ".program-states.json"

    public let root: URL
    public private(set) var entries: [String: ProgramState]

    /// The states file of `root`.
    public var file: URL { root.appendingPathComponent(Self.fileName) }

    public init(root: URL, entries: [String: ProgramState] = [:]) {
        self.root = root
        self.entries = entries
    }

    /// Reads `<root>/.program-states.json`; an absent file means no states yet.
    ///
    /// - Throws: `JSONReadError` naming the file and the key when the file is not what `save` writes.
    public static func load(root: URL) throws -> ProgramStates {
        var states = ProgramStates(root: root)
        let file = states.file
        guard FileManager.default.fileExists(atPath: file.path) else { return states }
        let data: Data
        do { data = try Data(contentsOf: file) } catch {
            throw JSONReadError(file: file.path, keyPath: "", reason: "cannot read (\(error.localizedDescription))")
        }
        var reader = try JSONReader.parse(data, file: file.path)
        let version = try reader.int("version")
        guard version == 1 else { throw reader.error("version", "unknown version \(version) (expected 1)") }
        var programs = try reader.object("programs")
        for (key, var entry) in try programs.objectsByKey() {
            var state = ProgramState(enabled: try entry.optionalBool("enabled") ?? true)
            if entry.has("latest_test") {
                var test = try entry.object("latest_test")
                let dateText = try test.string("date")
                guard let date = RecordText.date(dateText) else {
                    throw test.error("date", "\"\(dateText)\" is not an ISO 8601 UTC date")
                }
                // Program output read back from disk is shown in the browser: cleaned like fresh output.
                let loadError = try test.optionalString("load_error").map { ProgramOutputText.clean($0) }
                state.latestTest = ProgramTestRecord(
                    split: try test.string("split"), rows: try test.int("rows"), coverage: try test.double("coverage"),
                    accuracy: try test.optionalDouble("accuracy"), errors: try test.int("errors"),
                    timeouts: try test.optionalInt("timeouts") ?? 0, loadError: loadError, date: date)
                try test.finish()
            }
            try entry.finish()
            states.entries[key] = state
        }
        try programs.finish()
        try reader.finish()
        return states
    }

    /// Writes the file atomically (entries in sorted order, so the file diffs well).
    public func save() throws {
        var programs: [String: Any] = [:]
        for (key, state) in entries {
            var entry: [String: Any] = ["enabled": state.enabled]
            if let test = state.latestTest {
                var object: [String: Any] = ["split": test.split, "rows": test.rows, "coverage": test.coverage,
                                             "errors": test.errors, "timeouts": test.timeouts, "date": RecordText.date(test.date)]
                if let accuracy = test.accuracy { object["accuracy"] = accuracy }
                if let loadError = test.loadError { object["load_error"] = loadError }
                entry["latest_test"] = object
            }
            programs[key] = entry
        }
        let data = try JSONSerialization.data(withJSONObject: ["version": 1, "programs": programs],
                                              options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        do {
            try AtomicFile.write(data + Data("\n".utf8), to: file)
        } catch {
            throw ProgramStoreError(path: file.path, reason: "cannot write the program states (\(error.localizedDescription))")
        }
    }

    /// The key of a program file: its path relative to the root (the absolute path when outside it).
    public func key(for url: URL) -> String {
        let base = root.resolvingSymlinksInPath().standardizedFileURL.path
        let path = Self.normalized(url)
        return path.hasPrefix(base + "/") ? String(path.dropFirst(base.count + 1)) : path
    }

    public func state(_ url: URL) -> ProgramState { entries[key(for: url)] ?? ProgramState() }

    public func isEnabled(_ url: URL) -> Bool { state(url).enabled }

    public func latestTest(_ url: URL) -> ProgramTestRecord? { state(url).latestTest }

    public mutating func setEnabled(_ url: URL, _ enabled: Bool) {
        update(url) { $0.enabled = enabled }
    }

    public mutating func recordTest(_ url: URL, _ result: SmokeTestResult, date: Date = Date()) {
        recordTest(url, ProgramTestRecord(result, date: date))
    }

    public mutating func recordTest(_ url: URL, _ record: ProgramTestRecord) {
        update(url) { $0.latestTest = record }
    }

    /// Forgets a program (its file was deleted).
    public mutating func remove(_ url: URL) {
        entries[key(for: url)] = nil
    }

    /// Reads the states, applies `change` and writes them back while holding an exclusive lock on
    /// `<root>/.program-states.lock`, so two processes (or two tasks) changing states at once both
    /// keep their change instead of the last writer winning.
    public static func modify(root: URL, _ change: (inout ProgramStates) throws -> Void) throws {
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let lockPath = root.appendingPathComponent(".program-states.lock").path
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw ProgramStoreError(path: lockPath, reason: "cannot open the lock file (errno \(errno))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw ProgramStoreError(path: lockPath, reason: "cannot lock (errno \(errno))") }
        }
        defer { flock(descriptor, LOCK_UN) }
        var states = try load(root: root)
        try change(&states)
        try states.save()
    }

    /// Deletes a program file under `root` and forgets its state.
    ///
    /// - Throws: `ProgramStoreError` naming the file when it cannot be removed; `JSONReadError`
    ///   when the states file is damaged (the program is then left alone).
    public static func deleteProgram(at url: URL, root: URL) throws {
        try modify(root: root) { states in
            do {
                try FileManager.default.removeItem(at: url)
            } catch {
                throw ProgramStoreError(path: url.path, reason: "cannot delete (\(error.localizedDescription))")
            }
            states.remove(url)
        }
    }

    /// The programs labeling runs should use: those not disabled.
    public func enabled(_ programs: [LabelingProgram]) -> [LabelingProgram] {
        programs.filter { program in program.path.map(isEnabled) ?? true }
    }

    /// The programs a labeling run of `dataset` uses unless told otherwise: its enabled saved ones.
    /// - Throws: `ProgramStoreError` saying how to get some when there are none.
    public static func labelingPrograms(dataset: String, root: URL) throws -> [LabelingProgram] {
        let folder = root.appendingPathComponent(dataset)
        let programs = FileManager.default.fileExists(atPath: folder.path) ? try load(root: root).enabledPrograms(under: folder) : []
        guard !programs.isEmpty else {
            throw ProgramStoreError(path: folder.path, reason: "\(dataset) has no enabled programs yet: generate some, or enable them in the programs browser")
        }
        return programs
    }

    /// The enabled programs under `folder` (a folder inside the root, or the root itself).
    public func enabledPrograms(under folder: URL) throws -> [LabelingProgram] {
        enabled(try ProgramStore.programs(under: folder))
    }

    /// An entry equal to the default is dropped, so the file only holds decisions and results.
    private mutating func update(_ url: URL, _ change: (inout ProgramState) -> Void) {
        let key = key(for: url)
        var state = entries[key] ?? ProgramState()
        change(&state)
        entries[key] = state == ProgramState() ? nil : state
    }

    /// The folder resolved (symbolic links too) and the name kept, so a deleted file keys as it did.
    static func normalized(_ url: URL) -> String {
        let standard = url.standardizedFileURL
        let folder = standard.deletingLastPathComponent().resolvingSymlinksInPath().standardizedFileURL.path
        return (folder == "/" ? "" : folder) + "/" + standard.lastPathComponent
    }
}
