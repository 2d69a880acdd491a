@testable import Engine
import Testing

@Suite struct SSEDecoderTests {
    /// An Anthropic-like stream with a comment, a ping, a two-line data field and multi-byte text.
    static let stream = """
    event: message_start
    data: {"type":"message_start"}

    : keep-alive

    event: ping
    data: {"type": "ping"}

    event: content_block_delta
    data: {"type":"content_block_delta","delta":{"type":"text_delta","text":"héllo 日本 ✓"}}

    data: first line
    data: second line

    data: [DONE]
    """ + "\n\n"

    static let expected = [
        SSEEvent(name: "message_start", data: #"{"type":"message_start"}"#),
        SSEEvent(name: "ping", data: #"{"type": "ping"}"#),
        SSEEvent(name: "content_block_delta", data: #"{"type":"content_block_delta","delta":{"type":"text_delta","text":"héllo 日本 ✓"}}"#),
        SSEEvent(name: nil, data: "first line\nsecond line"),
        SSEEvent(name: nil, data: "[DONE]"),
    ]

    static func decode(_ bytes: [UInt8], splitAt cut: Int) -> [SSEEvent] {
        var decoder = SSEDecoder()
        var events = decoder.feed(bytes[..<cut])
        events += decoder.feed(bytes[cut...])
        return events + decoder.finish()
    }

    @Test(arguments: ["\n", "\r\n", "\r"])
    func everySplitPointGivesTheSameEvents(lineEnd: String) {
        let bytes = Array(Self.stream.replacingOccurrences(of: "\n", with: lineEnd).utf8)
        for cut in 0...bytes.count {
            #expect(Self.decode(bytes, splitAt: cut) == Self.expected, "split at byte \(cut) with \(lineEnd.debugDescription)")
        }
    }

    @Test func byteByByteFeedingGivesTheSameEvents() {
        var decoder = SSEDecoder()
        var events: [SSEEvent] = []
        for byte in Array(Self.stream.replacingOccurrences(of: "\n", with: "\r\n").utf8) { events += decoder.feed([byte]) }
        #expect(events + decoder.finish() == Self.expected)
    }

    @Test func aLastEventWithoutBlankLineIsDeliveredAtFinish() {
        var decoder = SSEDecoder()
        #expect(decoder.feed(Array("data: [DONE]".utf8)).isEmpty)
        #expect(decoder.finish() == [SSEEvent(data: "[DONE]")])
    }

    @Test func fieldsWithoutSpaceAndUnknownFieldsFollowTheSpec() {
        var decoder = SSEDecoder()
        let events = decoder.feed(Array("id: 7\nretry: 10\ndata:no space\nevent:x\n\n".utf8))
        #expect(events == [SSEEvent(name: "x", data: "no space")])
    }
}
