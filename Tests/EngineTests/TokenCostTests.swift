import Engine
import Foundation
import Testing
import TestSupport

@Suite struct TokenCostTests {
    let config: AppConfig

    init() throws { config = try TestEnvironment.config() }

    func model(_ id: String) throws -> ModelSpec { try #require(config.model(id: id), "\(id) in config.json") }

    @Test func pricesPerMillionTokensExactly() throws {
        let mini = try model("gpt-4o-mini")  // 0.15 in, 0.60 out, 0.075 cached, USD per 1M tokens
        // 1234 × 0.15 = 185.1 and 567 × 0.60 = 340.2 micro-dollars: 525.3 µ$ = $0.0005253.
        #expect(TokenCost.cost(model: mini, inputTokens: 1234, outputTokens: 567) == Decimal(string: "0.0005253")!)
        // 1000 of the 1234 input tokens cached: 234 × 0.15 + 1000 × 0.075 + 340.2 = 35.1 + 75 + 340.2 = 450.3 µ$.
        #expect(TokenCost.cost(model: mini, inputTokens: 1234, outputTokens: 567, cachedInputTokens: 1000) == Decimal(string: "0.0004503")!)
        let gpt4 = try model("gpt-4-0613")  // 30 in, 60 out
        #expect(TokenCost.cost(model: gpt4, inputTokens: 1, outputTokens: 1) == Decimal(string: "0.00009")!)
        #expect(TokenCost.cost(model: gpt4, inputTokens: 1_000_000, outputTokens: 1_000_000) == 90)
        #expect(TokenCost.cost(model: gpt4, inputTokens: 0, outputTokens: 0) == 0)
    }

    @Test func cachedTokensWithoutACachedPriceAreBilledAsInput() throws {
        let turbo = try model("gpt-3.5-turbo-0125")  // 0.50 in, 1.50 out, no cached price
        #expect(turbo.cachedInputPerMTok == nil)
        // 1234 × 0.5 + 567 × 1.5 = 617 + 850.5 = 1467.5 µ$, cached or not.
        #expect(TokenCost.cost(model: turbo, inputTokens: 1234, outputTokens: 567, cachedInputTokens: 1000) == Decimal(string: "0.0014675")!)
        #expect(TokenCost.cost(model: turbo, inputTokens: 1234, outputTokens: 567) == Decimal(string: "0.0014675")!)
        // More cached tokens than input tokens count as all input cached.
        let mini = try model("gpt-4o-mini")
        #expect(TokenCost.cost(model: mini, inputTokens: 10, outputTokens: 0, cachedInputTokens: 50) == Decimal(string: "0.00000075")!)
    }

    @Test func summingAThousandSmallCostsDoesNotDrift() throws {
        let mini = try model("gpt-4o-mini")
        let one = TokenCost.cost(model: mini, inputTokens: 1, outputTokens: 0)
        #expect(one == Decimal(string: "0.00000015")!)
        var total = Decimal(0)
        var binary = 0.0
        for _ in 0..<1000 {
            total += one
            binary += 0.00000015
        }
        #expect(total == Decimal(string: "0.00015")!)
        #expect(binary != 0.00015)  // what summing in Double would have given instead
        var calls = Decimal(0)
        for _ in 0..<1000 { calls += TokenCost.cost(model: mini, inputTokens: 1234, outputTokens: 567) }
        #expect(calls == Decimal(string: "0.5253")!)
    }
}

/// The typed amount of program metadata: exact sums, the same text in JSON as before it was typed.
@Suite struct USDTests {
    @Test func sumsStayExact() {
        #expect(USD("0.1")! + USD("0.2")! == USD("0.3")!)
        #expect([USD("0.1")!, USD("0.2")!].sum().description == "0.3")
        var total = USD.zero
        for _ in 0..<1000 { total += USD("0.00000015")! }
        #expect(total == USD("0.00015")! && total.description == "0.00015")
        #expect(USD("0.0005")! - USD("0.0002")! == USD("0.0003")! && USD("0.0002")! < USD("0.0005")!)
    }

    @Test func encodesAsTheSameDecimalStringAsBefore() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for text in ["0.0012345", "0.00162", "0.05", "0", "12", "-0.5", "0.000000000000000000000000000001"] {
            let amount = try #require(USD(text))
            #expect(String(decoding: try encoder.encode([amount]), as: UTF8.self) == "[\"\(text)\"]")
            #expect(try JSONDecoder().decode([USD].self, from: Data("[\"\(text)\"]".utf8)) == [amount])
            // What `StageUsage.cost` held as a string: the Decimal's own text.
            #expect(amount.description == "\(try #require(Decimal(string: text)))")
        }
        let stage = StageUsage(stage: "code", model: "gpt-4o-mini", inputTokens: 1, outputTokens: 2, cost: USD("0.0012345")!, estimated: false)
        #expect(String(decoding: try encoder.encode(stage), as: UTF8.self)
                == #"{"cost":"0.0012345","estimated":false,"input_tokens":1,"model":"gpt-4o-mini","output_tokens":2,"stage":"code"}"#)
    }

    @Test func readsOnlyPlainDecimalText() {
        for bad in ["", "abc", "0.1x", "1e-3", "NaN", "$0.1", "0,1"] { #expect(USD(bad) == nil, "\(bad)") }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([USD].self, from: Data(#"["abc"]"#.utf8)) }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode([USD].self, from: Data("[0.1]".utf8)) }
    }

    @Test func formatsThroughMoney() {
        let amount = USD("0.0042")!
        #expect(amount.formatted() == Money.format(amount.decimal) && amount.formatted() == "$0.0042")
        #expect(USD("1.25")!.formatted(.summary) == "$1.25" && USD.zero.formatted() == "$0")
    }
}

@Suite struct FinishReasonTests {
    /// Both wires' words for "cut at the output cap", and nothing else, give the note both front ends show.
    @Test func theOutputCapIsRecognisedForBothWires() {
        #expect(FinishReason("length").hitOutputCap && FinishReason("max_tokens").hitOutputCap)
        #expect(FinishReason("length").note == "cut at the output cap")
        for other in ["stop", "end_turn", "tool_use", "content_filter"] { #expect(FinishReason(other).note == nil) }
    }
}

@Suite struct MoneyTests {
    func d(_ text: String) -> Decimal { Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) ?? .nan }

    /// The one formatter's styles, each as a screen or command shows it.
    @Test func eachStyleShowsWhatItsScreensShow() {
        #expect(Money.text(0) == "$0")
        #expect(Money.text(d("0.00004")) == "<$0.0001")
        #expect(Money.text(d("0.012")) == "$0.0120")
        #expect(Money.text(d("-0.5")) == "-$0.5000")
        #expect(Money.format(d("0.0042"), .summary) == "$0.0042")
        #expect(Money.format(d("1.256"), .summary) == "$1.26")
        #expect(Money.format(d("0.00001"), .summary) == "<$0.0001")
        #expect(Money.format(d("3"), .ledger) == "$3.00")
        #expect(Money.format(d("0.00012345678"), .ledger) == "$0.0001235")
        #expect(Money.format(d("0.00121"), .upperBound) == "0.0013")
    }
}
