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

@Suite struct AnthropicParserQuirkTests {
    /// llama.cpp's server sometimes leaves out message_start (when the first token is an incomplete
    /// UTF-8 sequence): the text and the output count must still come through.
    @Test func aStreamWithoutMessageStartStillGivesTextAndUsage() throws {
        var parser = AnthropicStreamParser(provider: "local")
        let events = [
            SSEEvent(name: "content_block_start", data: #"{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"#),
            SSEEvent(name: "content_block_delta", data: #"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"🙂 hi"}}"#),
            SSEEvent(name: "content_block_stop", data: #"{"type":"content_block_stop","index":0}"#),
            SSEEvent(name: "message_delta", data: #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":3}}"#),
            SSEEvent(name: "message_stop", data: #"{"type":"message_stop"}"#),
        ]
        var chat: [ChatEvent] = []
        for event in events { chat += try parser.consume(event) }
        #expect(chat.contains(.text("🙂 hi")))
        #expect(parser.isComplete && parser.finishReason == "end_turn")
        #expect(parser.reportedUsage?.outputTokens == 3 && parser.reportedUsage?.inputTokens == 0)
        // The client fills the missing input count with an estimate and marks it.
        let request = ChatRequest(model: ModelSpec(id: "m", provider: .local, kind: .chat, apiModel: "m", inputPerMTok: 0, outputPerMTok: 0),
                                  system: nil, messages: [ChatMessage(.user, "hello there")])
        let usage = StreamingChatClient<AnthropicChatWire>.usage(parser.reportedUsage, request, "🙂 hi")
        #expect(usage.estimated && usage.inputTokens == request.estimatedInputTokens && usage.outputTokens == 3)
    }
}
