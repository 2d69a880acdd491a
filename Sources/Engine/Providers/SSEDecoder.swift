/// One server-sent event: the `event:` name (nil when absent) and its `data:` lines joined by "\n".
public struct SSEEvent: Sendable, Equatable {
    public var name: String?
    public var data: String

    public init(name: String? = nil, data: String) {
        self.name = name
        self.data = data
    }
}

/// Incremental decoder for `text/event-stream` bodies. Bytes may arrive split anywhere: inside a
/// line, between CR and LF, or inside a multi-byte UTF-8 character. Lines are decoded only once
/// complete, so no character is ever cut; LF, CRLF and lone CR all end a line.
public struct SSEDecoder: Sendable {
    private var pending: [UInt8] = []
    private var lastWasCR = false
    private var name: String?
    private var dataLines: [String] = []

    public init() {}

    /// Feeds the next bytes; returns the events completed by them.
    public mutating func feed<Bytes: Sequence>(_ bytes: Bytes) -> [SSEEvent] where Bytes.Element == UInt8 {
        var events: [SSEEvent] = []
        for byte in bytes {
            if lastWasCR {
                lastWasCR = false
                if byte == 0x0A { continue }  // the LF of a CRLF whose CR ended the line already
            }
            switch byte {
            case 0x0A, 0x0D:
                lastWasCR = byte == 0x0D
                if let event = endLine() { events.append(event) }
            default:
                pending.append(byte)
            }
        }
        return events
    }

    /// Ends the stream: a last event without its blank line is still delivered.
    public mutating func finish() -> [SSEEvent] {
        var events: [SSEEvent] = []
        if !pending.isEmpty, let event = endLine() { events.append(event) }
        if let event = dispatch() { events.append(event) }
        return events
    }

    private mutating func endLine() -> SSEEvent? {
        let line = String(decoding: pending, as: UTF8.self)
        pending.removeAll(keepingCapacity: true)
        if line.isEmpty { return dispatch() }
        if line.first == ":" { return nil }  // comment, used as keep-alive
        let field: Substring, value: Substring
        if let colon = line.firstIndex(of: ":") {
            field = line[..<colon]
            let rest = line[line.index(after: colon)...]
            value = rest.first == " " ? rest.dropFirst() : rest
        } else {
            field = Substring(line)
            value = ""
        }
        switch field {
        case "event": name = String(value)
        case "data": dataLines.append(String(value))
        default: break  // id, retry and unknown fields do not matter for chat streams
        }
        return nil
    }

    private mutating func dispatch() -> SSEEvent? {
        defer {
            name = nil
            dataLines.removeAll()
        }
        guard !dataLines.isEmpty else { return nil }
        return SSEEvent(name: name, data: dataLines.joined(separator: "\n"))
    }
}
