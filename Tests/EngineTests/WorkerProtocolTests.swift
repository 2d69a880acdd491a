@testable import Engine
import Foundation
import Testing

@Suite struct WorkerProtocolTests {
    @Test func textsSurviveOurJSONEncodingExactly() throws {
        let texts = ["plain", "quote \" and backslash \\ ", "tab\tnew\nline\r", "\u{0}\u{1}\u{1F}", "café 日本 🙂", "", "\\\"\\"]
        var bytes: [UInt8] = []
        JSONText.appendArray(texts[...], to: &bytes)
        let decoded = try JSONSerialization.jsonObject(with: Data(bytes)) as? [String]
        #expect(decoded == texts)
    }

    @Test func votesParseInBothFormsAndOutOfRangeIsRejected() {
        #expect(JSONText.parseVotes("0122", expected: 4, classCount: 2) == [-1, 0, 1, 1])
        #expect(JSONText.parseVotes("013", expected: 3, classCount: 2) == nil)  // vote 2 with two classes
        #expect(JSONText.parseVotes("01", expected: 3, classCount: 2) == nil)   // too few
        #expect(JSONText.parseVotes("0/1", expected: 3, classCount: 2) == nil)  // vote -2
        #expect(JSONText.parseVotes("-1,0,49", expected: 3, classCount: 50) == [-1, 0, 49])
        #expect(JSONText.parseVotes("-1,50", expected: 2, classCount: 50) == nil)
        #expect(JSONText.parseVotes("1,,2", expected: 3, classCount: 50) == nil)
    }
}

/// The engine's side of the worker protocol, fed scripted bytes: no process involved.
@Suite struct WorkerSessionTests {
    func session() -> WorkerSession {
        var session = WorkerSession(classCount: 2, maxBatchRows: 4)
        _ = session.receive(Array("{\"hello\": {\"python\": \"3.11\"}}\n{\"loaded\": true}\n".utf8))
        return session
    }

    @Test func goodLinesInPiecesGiveHelloLoadedAndResults() {
        var session = WorkerSession(classCount: 2, maxBatchRows: 4)
        var events = session.receive(Array("{\"hello\": {\"uid\": 65534}}\n{\"load".utf8))
        #expect(events == [.hello(["uid": "65534"])])
        events = session.receive(Array("ed\": true}\n".utf8))
        #expect(events == [.loaded(error: nil)])
        session.sent(batch: 0, rows: 3)
        session.sent(batch: 1, rows: 2)
        events = session.receive(Array("{\"b\": 0, \"e\": 1, \"t\": 0, \"m\": 1, \"x\": 0, \"stop\": false, \"msg\": \"MemoryError\", \"l\": \"012\"}\n{\"b\": 1, \"e\": 0, \"t\": 0, \"m\": 0, \"x\": 0, \"l\": \"22\"}\n".utf8))
        #expect(events == [
            .result(BatchResult(batch: 0, votes: [-1, 0, 1], errors: 1, timeouts: 0, limitHits: 1, invalid: 0, stopped: false, message: "MemoryError")),
            .result(BatchResult(batch: 1, votes: [1, 1], errors: 0, timeouts: 0, limitHits: 0, invalid: 0, stopped: false, message: nil)),
        ])
        #expect(session.pending.isEmpty)
    }

    @Test func aLoadErrorEndsTheSession() {
        var session = WorkerSession(classCount: 2, maxBatchRows: 4)
        let events = session.receive(Array("{\"hello\": {}}\n{\"loaded\": false, \"error\": \"line 1: import of os\\u001b[2J is not allowed\"}\n".utf8))
        #expect(events == [.hello([:]), .loaded(error: "line 1: import of os is not allowed")])
        #expect(session.phase == .broken)
    }

    @Test func garbageOutOfOrderAndOutOfRangeAreViolations() {
        for line in [
            "not json",
            "{\"b\": 1, \"e\": 0, \"t\": 0, \"m\": 0, \"x\": 0, \"l\": \"22\"}",          // batch 0 was expected
            "{\"b\": 0, \"e\": 0, \"t\": 0, \"m\": 0, \"x\": 0, \"l\": \"2\"}",           // too few votes
            "{\"b\": 0, \"e\": 0, \"t\": 0, \"m\": 0, \"x\": 0, \"l\": \"23\"}",          // vote 2 with two classes
            "{\"b\": 0, \"e\": 5, \"t\": 0, \"m\": 0, \"x\": 0, \"l\": \"22\"}",          // more errors than rows
            "{\"b\": 0, \"e\": 0, \"t\": 0, \"m\": 1, \"x\": 0, \"l\": \"22\"}",          // a limit hit that is no error
            "{\"hello\": {}}",                                                          // hello again
        ] {
            var session = session()
            session.sent(batch: 0, rows: 2)
            let events = session.receive(Array((line + "\n{\"b\": 0, \"e\": 0, \"t\": 0, \"m\": 0, \"x\": 0, \"l\": \"22\"}\n").utf8))
            guard case .violation = events.first else {
                Issue.record("\(line): \(events)")
                continue
            }
            #expect(events.count == 1, "nothing is read after a violation")
            #expect(session.phase == .broken)
        }
    }

    @Test func aResultWithNoBatchSentAndAFloodAreViolations() {
        var unasked = session()
        guard case .violation = unasked.receive(Array("{\"b\": 0, \"e\": 0, \"t\": 0, \"m\": 0, \"x\": 0, \"l\": \"2\"}\n".utf8)).first else {
            Issue.record("a result nobody asked for was accepted")
            return
        }
        var flooded = session()
        flooded.sent(batch: 0, rows: 4)
        var events: [WorkerEvent] = []
        for _ in 0..<100 { events += flooded.receive([UInt8](repeating: 0x78, count: 1000)) }
        #expect(events.count == 1)
        guard case .violation(let reason) = events.first else { return }
        #expect(reason.contains("a line of more than"))
    }

    @Test func aDeathMidBatchLeavesTheBatchPending() {
        var session = session()
        session.sent(batch: 3, rows: 2)
        session.sent(batch: 4, rows: 2)
        let events = session.receive(Array("{\"b\": 3, \"e\": 0, \"t\": 0, \"m\": 0, \"x\": 0, \"l\": \"11\"}\n{\"b\": 4, \"e\"".utf8))
        #expect(events.count == 1)
        #expect(session.pending.map(\.batch) == [4])  // the scheduler blames batch 4 when the output ends here
    }

    @Test func batchFramesCarryTextsExactly() {
        let texts = ["plain", "", "café 日本 🙂", "tab\tnew\nline"]
        let frame = BatchFrame.encode(batch: 7, texts: texts[...])
        let newline = frame.firstIndex(of: 0x0A) ?? 0
        #expect(String(decoding: frame[..<newline], as: UTF8.self) == "B 7 4 \(frame.count - newline - 1)")
        let payload = String(decoding: frame[(newline + 1)...], as: UTF8.self)
        #expect(payload.split(separator: "\0", omittingEmptySubsequences: false).map(String.init) == texts)
        let withNUL = BatchFrame.encode(batch: 8, texts: ["a\0b", "c"][...])
        #expect(withNUL.starts(with: Array("J 8 2 ".utf8)))
    }
}
