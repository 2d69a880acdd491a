import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// A problem with the ledger file; the description names the file.
public struct LedgerError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }

    init(_ path: URL, _ reason: String) {
        self.path = path.path
        self.reason = reason
    }
}

/// The SQLite record of every run, LLM call and saved program, with tokens and cost.
///
/// One file, `<app home>/ledger.sqlite`, opened as a GRDB `DatabasePool` in WAL mode: readers do not
/// wait for the writer, and writers of other processes (a second `alchemist`, the TUI and a script)
/// wait for each other up to `busyTimeout` instead of failing with "database is locked".
/// Costs are exact decimal strings, dates ISO 8601 UTC text to the millisecond.
///
/// The ledger never stores API keys or other credentials: nothing in its API carries one.
public final class Ledger: Sendable {
    /// The SQLite file.
    public let path: URL
    private let pool: DatabasePool

    /// How long a write waits for another connection's write to finish.
    public static let busyTimeout: TimeInterval = 15

    /// Opens the ledger at `path`, creating its folder and file when needed, and brings the schema up to date.
    ///
    /// - Throws: `LedgerError` naming the file when it cannot be created, opened or migrated.
    public init(path: URL) throws {
        self.path = path
        let folder = path.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw LedgerError(path, "cannot create the folder \(folder.path) (\(error.localizedDescription))")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "ledger"
        // Two processes opening a new ledger at once would both see "v1" missing and both run it:
        // the migrator checks and applies in separate transactions. An advisory lock on a file next
        // to the database (not the database itself: closing any descriptor of that file would drop
        // SQLite's own POSIX locks) lets one process open and migrate at a time.
        let lock = try MigrationLock(path.appendingPathExtension("migration-lock"), ledger: path)
        defer { lock.release() }
        do {
            pool = try DatabasePool(path: path.path, configuration: configuration)
        } catch {
            throw LedgerError(path, "cannot open the ledger (\(Self.reason(error)))")
        }
        do {
            try Self.migrator.migrate(pool)
        } catch {
            throw LedgerError(path, "cannot bring the ledger's schema up to date (\(Self.reason(error)))")
        }
    }

    /// `<app home>/ledger.sqlite`.
    public static func defaultPath(appHome: URL) -> URL {
        appHome.appendingPathComponent("ledger.sqlite")
    }

    /// The schema, one migration per version, applied in order and each once.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY NOT NULL,
                    started TEXT NOT NULL,
                    dataset TEXT NOT NULL,
                    mode TEXT NOT NULL,
                    code_model TEXT NOT NULL,
                    knowledge_model TEXT,
                    prior TEXT,
                    mission TEXT,
                    query TEXT
                );
                CREATE TABLE calls (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    stage TEXT NOT NULL,
                    provider TEXT NOT NULL,
                    model TEXT NOT NULL,
                    prompt TEXT NOT NULL,
                    input_tokens INTEGER NOT NULL,
                    output_tokens INTEGER NOT NULL,
                    estimated INTEGER NOT NULL,
                    cost TEXT NOT NULL,
                    latency_seconds REAL NOT NULL,
                    status TEXT NOT NULL,
                    http_status INTEGER,
                    error TEXT,
                    started TEXT NOT NULL
                );
                CREATE INDEX calls_by_run ON calls(run_id);
                CREATE TABLE programs (
                    path TEXT PRIMARY KEY NOT NULL,
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    content_hash TEXT NOT NULL,
                    cost TEXT NOT NULL,
                    saved TEXT NOT NULL
                );
                CREATE INDEX programs_by_run ON programs(run_id);
                """)
        }
        // Alchemist with RAG: the passages each run retrieved, part of its record.
        migrator.registerMigration("v2-retrievals") { db in
            try db.execute(sql: """
                CREATE TABLE retrievals (
                    run_id TEXT NOT NULL REFERENCES runs(id),
                    rank INTEGER NOT NULL,
                    source TEXT NOT NULL,
                    chunk INTEGER NOT NULL,
                    score REAL NOT NULL,
                    text TEXT NOT NULL,
                    PRIMARY KEY (run_id, rank)
                );
                """)
        }
        return migrator
    }

    /// Identifiers of the schema migrations applied to this file, in order.
    public func appliedMigrations() throws -> [String] {
        try reading { db in try Self.migrator.appliedMigrations(db) }
    }

    // MARK: Writing

    /// Records a run; its id must be new.
    public func record(_ run: LedgerRun) throws {
        try writing("record run \(run.id)") { db in
            try db.execute(sql: """
                INSERT INTO runs (id, started, dataset, mode, code_model, knowledge_model, prior, mission, query)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run.id, RecordText.date(run.started), run.dataset, run.mode, run.codeModel,
                                 run.knowledgeModel, run.prior, run.mission, run.query])
        }
    }

    /// Records a call of a recorded run and returns the id the ledger gave it (`call.id` is ignored).
    @discardableResult
    public func record(_ call: LedgerCall) throws -> Int64 {
        try check(call.cost, "call of run \(call.runID)")
        guard call.inputTokens >= 0, call.outputTokens >= 0 else {
            throw LedgerError(path, "cannot record a call of run \(call.runID) with negative token counts")
        }
        return try writing("record a call of run \(call.runID)") { db in
            try db.execute(sql: """
                INSERT INTO calls (run_id, stage, provider, model, prompt, input_tokens, output_tokens, estimated, cost,
                                   latency_seconds, status, http_status, error, started)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [call.runID, call.stage, call.provider, call.model, call.prompt, call.inputTokens,
                                 call.outputTokens, call.estimated, RecordText.amount(call.cost), call.latencySeconds,
                                 call.status.rawValue, call.httpStatus, call.error, RecordText.date(call.started)])
            return db.lastInsertedRowID
        }
    }

    /// Records the passages a run retrieved, best first.
    public func record(retrieved passages: [LedgerRetrieval], runID: String) throws {
        try writing("record the passages of run \(runID)") { db in
            for (rank, passage) in passages.enumerated() {
                try db.execute(sql: "INSERT INTO retrievals (run_id, rank, source, chunk, score, text) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [runID, rank + 1, passage.source, passage.chunk, passage.score, passage.text])
            }
        }
    }

    /// The passages a run retrieved: (rank, source, chunk index, score, text), best first.
    public func retrieved(runID: String) throws -> [(rank: Int, source: String, chunk: Int, score: Double, text: String)] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT rank, source, chunk, score, text FROM retrievals WHERE run_id = ? ORDER BY rank",
                             arguments: [runID]).map { row in
                (rank: row["rank"], source: row["source"], chunk: row["chunk"], score: row["score"], text: row["text"])
            }
        }
    }

    /// Changes the status of a recorded call, e.g. to `.discarded` once its output turned out unusable.
    public func setStatus(callID: Int64, _ status: CallStatus) throws {
        let changed = try writing("set the status of call \(callID)") { db in
            try db.execute(sql: "UPDATE calls SET status = ? WHERE id = ?", arguments: [status.rawValue, callID])
            return db.changesCount
        }
        guard changed == 1 else { throw LedgerError(path, "no call with id \(callID)") }
    }

    /// Records a saved program of a recorded run. A row for the same path is replaced
    /// (a file saved again where a deleted one was).
    public func record(_ program: LedgerProgram) throws {
        try check(program.cost, "program \(program.path)")
        try writing("record program \(program.path)") { db in
            try db.execute(sql: """
                INSERT INTO programs (path, run_id, content_hash, cost, saved) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(path) DO UPDATE SET run_id = excluded.run_id, content_hash = excluded.content_hash,
                    cost = excluded.cost, saved = excluded.saved
                """, arguments: [program.path, program.runID, program.contentHash, RecordText.amount(program.cost),
                                 RecordText.date(program.saved)])
        }
    }

    // MARK: Reading

    /// Every run, oldest first.
    public func runs() throws -> [LedgerRun] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY started, id").map { row in
                let fields = RowReader(row: row, table: "runs", ledger: path)
                return LedgerRun(
                    id: try fields.text("id"), started: try fields.date("started"), dataset: try fields.text("dataset"),
                    mode: try fields.text("mode"), codeModel: try fields.text("code_model"),
                    knowledgeModel: try fields.optionalText("knowledge_model"), prior: try fields.optionalText("prior"),
                    mission: try fields.optionalText("mission"), query: try fields.optionalText("query"))
            }
        }
    }

    /// The calls of one run (or of all runs), in the order they were recorded.
    public func calls(runID: String? = nil) throws -> [LedgerCall] {
        try reading { db in
            let rows = if let runID {
                try Row.fetchAll(db, sql: "SELECT * FROM calls WHERE run_id = ? ORDER BY id", arguments: [runID])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM calls ORDER BY id")
            }
            return try rows.map { row in
                let fields = RowReader(row: row, table: "calls", ledger: path)
                let statusText = try fields.text("status")
                guard let status = CallStatus(rawValue: statusText) else { throw fields.failure("status", "unknown status \"\(statusText)\"") }
                return LedgerCall(
                    id: try fields.integer("id"), runID: try fields.text("run_id"), stage: try fields.text("stage"),
                    provider: try fields.text("provider"), model: try fields.text("model"), prompt: try fields.text("prompt"),
                    inputTokens: Int(try fields.integer("input_tokens")), outputTokens: Int(try fields.integer("output_tokens")),
                    estimated: try fields.integer("estimated") != 0, cost: try fields.amount("cost"),
                    latencySeconds: try fields.real("latency_seconds"), status: status,
                    httpStatus: try fields.optionalInteger("http_status").map { Int($0) }, error: try fields.optionalText("error"),
                    started: try fields.date("started"))
            }
        }
    }

    /// Every program row, in the order they were saved.
    public func programs() throws -> [LedgerProgram] {
        try reading { db in
            try Row.fetchAll(db, sql: "SELECT * FROM programs ORDER BY saved, path").map { row in
                let fields = RowReader(row: row, table: "programs", ledger: path)
                return LedgerProgram(
                    runID: try fields.text("run_id"), path: try fields.text("path"), contentHash: try fields.text("content_hash"),
                    cost: try fields.amount("cost"), saved: try fields.date("saved"))
            }
        }
    }

    // MARK: Plumbing

    private func check(_ cost: Decimal, _ what: String) throws {
        guard !cost.isNaN else { throw LedgerError(path, "cannot record \(what): its cost is not a number") }
    }

    private func writing<T>(_ what: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.write(body)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(path, "cannot \(what) (\(Self.reason(error)))")
        }
    }

    private func reading<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try pool.read(body)
        } catch let error as LedgerError {
            throw error
        } catch {
            throw LedgerError(path, "cannot read the ledger (\(Self.reason(error)))")
        }
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError {
            return error.message.map { "SQLite: \($0)" } ?? "SQLite error \(error.resultCode.rawValue)"
        }
        return "\(error)"
    }
}

/// Typed access to one row's columns; a missing or mistyped value is an error naming the file,
/// the table and the column, never a crash.
private struct RowReader {
    let row: Row
    let table: String
    let ledger: URL

    func failure(_ column: String, _ reason: String) -> LedgerError {
        LedgerError(ledger, "table \(table), column \(column): \(reason)")
    }

    func optionalText(_ column: String) throws -> String? {
        let value: DatabaseValue = row[column]
        if value.isNull { return nil }
        guard case .string(let text) = value.storage else { throw failure(column, "expected text") }
        return text
    }

    func text(_ column: String) throws -> String {
        guard let text = try optionalText(column) else { throw failure(column, "missing value") }
        return text
    }

    func optionalInteger(_ column: String) throws -> Int64? {
        let value: DatabaseValue = row[column]
        if value.isNull { return nil }
        guard case .int64(let number) = value.storage else { throw failure(column, "expected an integer") }
        return number
    }

    func integer(_ column: String) throws -> Int64 {
        guard let number = try optionalInteger(column) else { throw failure(column, "missing value") }
        return number
    }

    func real(_ column: String) throws -> Double {
        let value: DatabaseValue = row[column]
        switch value.storage {
        case .double(let number): return number
        case .int64(let number): return Double(number)
        default: throw failure(column, "expected a number")
        }
    }

    func amount(_ column: String) throws -> Decimal {
        let text = try text(column)
        guard let value = RecordText.amount(text) else { throw failure(column, "\"\(text)\" is not a decimal amount") }
        return value
    }

    func date(_ column: String) throws -> Date {
        let text = try text(column)
        guard let value = RecordText.date(text) else { throw failure(column, "\"\(text)\" is not an ISO 8601 UTC date") }
        return value
    }
}

/// An exclusive `flock` on a small file beside the ledger, held while the ledger is opened and migrated.
private struct MigrationLock {
    let descriptor: Int32

    init(_ url: URL, ledger: URL) throws {
        descriptor = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw LedgerError(ledger, "cannot open the lock file \(url.path) (\(String(cString: strerror(errno))))")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(descriptor)
            throw LedgerError(ledger, "cannot lock \(url.path) (\(String(cString: strerror(code))))")
        }
    }

    func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

extension LedgerError: InputError {}
