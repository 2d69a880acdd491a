import Foundation

/// One program's votes on one batch, as its worker reported them (already checked).
struct BatchResult: Sendable, Equatable {
    var batch: Int
    var votes: [LabelMatrix.Vote]
    /// Calls that raised (memory and recursion errors included).
    var errors: Int
    /// Calls cut off at the time budget.
    var timeouts: Int
    /// Calls that hit the memory or the recursion limit (also counted in `errors`).
    var limitHits: Int
    /// Calls that returned anything but an int in -1..<classes.
    var invalid: Int
    /// The worker stopped the program within the batch (too many limit hits).
    var stopped: Bool
    var message: String?
}

/// What a worker's output means, one protocol line at a time.
enum WorkerEvent: Sendable, Equatable {
    /// Facts about the confinement, sent once after lock-down and before any program code runs.
    case hello([String: String])
    /// The program loaded (nil) or did not (why).
    case loaded(error: String?)
    case result(BatchResult)
    /// The worker could not set itself up (before any program ran).
    case fatal(String)
    /// Anything the protocol does not allow at this point; the engine kills the process.
    case violation(String)
}

/// The engine's side of the worker protocol as a value: fed the bytes a worker writes, it returns
/// what they mean and checks every line against what may come next. It does no I/O, so the
/// protocol is tested on scripted byte sequences (WorkerProtocolTests).
///
/// A worker runs one program. It says `hello` (before the program's code runs, so the facts are
/// the worker's own), then `loaded`, then one result line per batch sent, in order. Everything a
/// program can influence (results, counts, messages) is checked or cleaned here; after a
/// violation the session ignores the rest.
struct WorkerSession: Sendable {
    enum Phase: Sendable, Equatable { case starting, loading, running, broken }

    let classCount: Int
    /// A line longer than this is a flood: the longest honest line is a result for the largest batch.
    let maxLineBytes: Int
    private(set) var phase: Phase = .starting
    /// Batches sent and not yet answered, oldest first: (batch, rows).
    private(set) var pending: [(batch: Int, rows: Int)] = []
    private var buffer: [UInt8] = []
    private var scanned = 0

    init(classCount: Int, maxBatchRows: Int) {
        self.classCount = classCount
        maxLineBytes = (1 << 16) + maxBatchRows * 12
    }

    /// The engine wrote a batch of `rows` texts.
    mutating func sent(batch: Int, rows: Int) { pending.append((batch, rows)) }

    /// Interprets the bytes read from the worker's protocol channel.
    mutating func receive<Bytes: Collection>(_ bytes: Bytes) -> [WorkerEvent] where Bytes.Element == UInt8 {
        guard phase != .broken else { return [] }
        buffer.append(contentsOf: bytes)
        var events: [WorkerEvent] = []
        var lineStart = 0
        var index = scanned
        while index < buffer.count {
            if buffer[index] == 0x0A {
                let event = interpret(buffer[lineStart..<index])
                events.append(event)
                lineStart = index + 1
                if case .violation = event {
                    phase = .broken
                    buffer = []
                    scanned = 0
                    return events
                }
            }
            index += 1
        }
        buffer.removeFirst(lineStart)
        scanned = buffer.count
        if buffer.count > maxLineBytes {
            phase = .broken
            buffer = []
            events.append(.violation("a line of more than \(maxLineBytes) bytes"))
        }
        return events
    }

    private mutating func interpret(_ line: ArraySlice<UInt8>) -> WorkerEvent {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any] else {
            return .violation("a line that is not a JSON object")
        }
        switch phase {
        case .starting:
            if let fatal = object["fatal"] as? String { phase = .broken; return .fatal(ProgramOutputText.clean(fatal)) }
            guard let hello = object["hello"] as? [String: Any] else { return .violation("expected hello, got \(Self.keys(object))") }
            phase = .loading
            return .hello(hello.mapValues { ProgramOutputText.clean("\($0)") })
        case .loading:
            guard let loaded = object["loaded"] as? Bool else { return .violation("expected loaded, got \(Self.keys(object))") }
            if loaded {
                phase = .running
                return .loaded(error: nil)
            }
            phase = .broken
            return .loaded(error: ProgramOutputText.clean(object["error"] as? String ?? "failed to load"))
        case .running:
            return result(object)
        case .broken:
            return .violation("output after a violation")
        }
    }

    private mutating func result(_ object: [String: Any]) -> WorkerEvent {
        guard let expected = pending.first else { return .violation("a result when no batch was sent") }
        guard let batch = object["b"] as? Int, batch == expected.batch else {
            return .violation("a result for batch \(String(describing: object["b"])) while batch \(expected.batch) was expected")
        }
        guard let text = object["l"] as? String,
              let votes = JSONText.parseVotes(text, expected: expected.rows, classCount: classCount) else {
            return .violation("votes that are not \(expected.rows) values in -1..\(classCount - 1)")
        }
        func count(_ key: String) -> Int? {
            guard let value = object[key] as? Int, (0...expected.rows).contains(value) else { return nil }
            return value
        }
        guard let errors = count("e"), let timeouts = count("t"), let invalid = count("x"), let limitHits = count("m"),
              limitHits <= errors, errors + timeouts + invalid <= expected.rows else {
            return .violation("fault counts out of range for \(expected.rows) rows")
        }
        pending.removeFirst()
        let message = (object["msg"] as? String).map { ProgramOutputText.clean($0) }
        return .result(BatchResult(batch: batch, votes: votes, errors: errors, timeouts: timeouts, limitHits: limitHits,
                                   invalid: invalid, stopped: object["stop"] as? Bool ?? false, message: message))
    }

    private static func keys(_ object: [String: Any]) -> String {
        "{" + object.keys.sorted().prefix(4).map { ProgramOutputText.clean($0, limit: 20) }.joined(separator: ", ") + "}"
    }
}
