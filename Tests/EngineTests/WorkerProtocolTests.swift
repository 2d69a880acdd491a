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
