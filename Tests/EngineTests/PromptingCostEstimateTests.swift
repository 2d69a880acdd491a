@testable import Engine
import Foundation
import Testing
import TestSupport

@Suite struct PromptingCostEstimateTests {
    static func model() throws -> ModelSpec {
        try #require(try TestEnvironment.config().model(id: "gpt-4o-mini"))
    }

    static func template(_ prompt: String) throws -> PromptTemplate {
        var template = try #require(try PromptTemplates.bundled().byDataset["youtube"])
        template.annotatorPrompt = prompt
        return template
    }

    @Test func tokensAndCostAreExact() throws {
        let model = try Self.model()
        #expect(model.inputPerMTok == Decimal(string: "0.15") && model.outputPerMTok == Decimal(string: "0.6"))
        // "Label: abcd" is 11 bytes → 3 tokens, "Label: héllo" 13 bytes → 4; each call adds 4 for its message.
        let estimate = PromptingCostEstimate(model: model, template: try Self.template("Label: [text]"), texts: ["abcd", "héllo"])
        #expect(estimate.rows == 2)
        #expect(estimate.inputTokens == 7 + 8)
        // The same answer allowance as `alchemist pricing`: 2 tokens a row.
        #expect(PromptingCostEstimate.defaultOutputTokensPerRow == PromptingEstimate.outputTokensPerExample)
        #expect(estimate.outputTokens == 2 * 2)
        // 15 × $0.15 + 4 × $0.60, per million tokens.
        #expect(estimate.cost == Decimal(string: "0.00000465"))
    }

    @Test func theDemoTrainSplitPricesEveryRow() throws {
        let config = try TestEnvironment.config()
        let paths = AppPaths.resolve(config: config, environment: ["ALCHEMIST_HOME": NSTemporaryDirectory()])
        let train = try DatasetCatalog(config: config, paths: paths).load("demo").split(.train)
        let template = try Self.template("Is this ticket urgent? [text]")
        let estimate = PromptingCostEstimate(model: try Self.model(), template: template, texts: train.texts, outputTokensPerRow: 3)
        let tokens = train.texts.reduce(0) { $0 + ("Is this ticket urgent? " + $1).utf8.count.quotientRoundedUp(4) + 4 }
        #expect(estimate.inputTokens == tokens)
        #expect(estimate.cost == (Decimal(tokens) * Decimal(string: "0.15")! + Decimal(3 * train.count) * Decimal(string: "0.6")!) / 1_000_000)
    }

    @Test func theComparisonReadsAsARatio() throws {
        var estimate = PromptingCostEstimate(model: try Self.model(), template: try Self.template("[text]"), texts: [])
        estimate.rows = 1586
        estimate.cost = Decimal(string: "1.932")!
        #expect(estimate.comparison(programsCost: Decimal(string: "0.0042")!)
            == "$0.0042 for the programs vs ≈$1.93 to label 1,586 rows by prompting gpt-4o-mini (1/460)")
        #expect(estimate.comparison(programsCost: 0) == "the programs were free vs ≈$1.93 to label 1,586 rows by prompting gpt-4o-mini")
        estimate.cost = Decimal(string: "0.5")!
        #expect(estimate.ratio(programsCost: Decimal(string: "0.2")!) == "1/2.5")
        #expect(estimate.ratio(programsCost: Decimal(string: "1.25")!) == "2.5×")
        #expect(estimate.ratio(programsCost: 0) == "free")
        estimate.cost = 12_345
        #expect(estimate.ratio(programsCost: Decimal(string: "0.01")!) == "1/1,234,500")
    }

    @Test func dollarAmountsKeepFourDecimalsBelowACent() {
        #expect(PromptingCostEstimate.dollars(Decimal(string: "0.0042")!) == "$0.0042")
        #expect(PromptingCostEstimate.dollars(Decimal(string: "1.935")!) == "$1.94")
        #expect(PromptingCostEstimate.dollars(12) == "$12.00")
        #expect(PromptingCostEstimate.dollars(Decimal(string: "0.05")!) == "$0.05")
        #expect(PromptingCostEstimate.dollars(Decimal(string: "0.00004")!) == "<$0.0001")
        #expect(PromptingCostEstimate.programsText(0) == "the programs were free")
        #expect(PromptingCostEstimate.grouped(1586) == "1,586")
        #expect(PromptingCostEstimate.grouped(999) == "999")
    }
}

extension Int {
    fileprivate func quotientRoundedUp(_ divisor: Int) -> Int { (self + divisor - 1) / divisor }
}
