import Foundation

/// What labeling every train row by prompting a chat model directly would cost: one call per row,
/// the dataset's annotator prompt with the row's text in it, and a short answer. Tokens are the
/// project's offline estimate (about four UTF-8 bytes a token, see `TokenEstimate`).
public struct PromptingCostEstimate: Sendable, Equatable {
    /// Answer tokens assumed per row: the same allowance as `alchemist pricing` (`PromptingEstimate`),
    /// so both show the same figure for the same rows.
    public static let defaultOutputTokensPerRow = PromptingEstimate.outputTokensPerExample

    public var model: ModelSpec
    public var rows: Int
    public var inputTokens: Int
    public var outputTokens: Int
    public var cost: Decimal

    public init(model: ModelSpec, template: PromptTemplate, texts: [String], outputTokensPerRow: Int = defaultOutputTokensPerRow) {
        var tally = Tally(template: template)
        tally.add(texts)
        self.init(model: model, tally: tally, outputTokensPerRow: outputTokensPerRow)
    }

    /// From the prompt tokens of a split counted window by window as it streamed past.
    public init(model: ModelSpec, tally: Tally, outputTokensPerRow: Int = defaultOutputTokensPerRow) {
        self.model = model
        rows = tally.rows
        inputTokens = tally.inputTokens
        outputTokens = outputTokensPerRow * tally.rows
        // The price is linear in tokens, so pricing the totals equals summing the rows' costs.
        cost = TokenCost.cost(model: model, inputTokens: inputTokens, outputTokens: outputTokens)
    }

    /// The rows and prompt tokens of the texts seen so far.
    public struct Tally: Sendable {
        let template: PromptTemplate
        public private(set) var rows = 0
        public private(set) var inputTokens = 0

        public init(template: PromptTemplate) { self.template = template }

        /// Each row priced as a one-message request, so the estimate matches what a call would count.
        public mutating func add(_ texts: [String]) {
            rows += texts.count
            for text in texts { inputTokens += TokenEstimate.message(template.annotatorPrompt(for: text)) }
        }
    }

    /// "$0.0042 for the programs vs ≈$1.93 to label 1,586 rows by prompting gpt-4o-mini (1/460)".
    public func comparison(programsCost: Decimal) -> String {
        let prompting = "≈\(Self.dollars(cost)) to label \(Self.grouped(rows)) rows by prompting \(model.id)"
        guard programsCost > 0 else { return "the programs were free vs \(prompting)" }
        return "\(Self.dollars(programsCost)) for the programs vs \(prompting) (\(ratio(programsCost: programsCost)))"
    }

    /// Programs' cost : prompting cost as "1/460" (programs cheaper), "1/2.5", or "3.1×" (programs dearer).
    public func ratio(programsCost: Decimal) -> String {
        let programs = NSDecimalNumber(decimal: programsCost).doubleValue
        let prompting = NSDecimalNumber(decimal: cost).doubleValue
        guard programs > 0 else { return "free" }
        guard prompting > 0 else { return "∞×" }
        let times = prompting / programs
        if times >= 10 { return "1/\(grouped(Int(times.rounded())))" }
        if times >= 1 { return "1/\(String(format: "%.1f", times))" }
        return "\(String(format: "%.1f", programs / prompting))×"
    }

    /// The programs' cost alone, for when there is nothing to compare with.
    public static func programsText(_ cost: Decimal) -> String {
        cost > 0 ? "\(dollars(cost)) for the programs" : "the programs were free"
    }

    /// Two decimals from a cent up, four below ("$0.0042"); "<$0.0001" for less than that.
    public static func dollars(_ amount: Decimal) -> String { Money.format(amount, .summary) }

    /// 1586 → "1,586" (`CountText`).
    public static func grouped(_ number: Int) -> String { CountText.grouped(number) }

    private func grouped(_ number: Int) -> String { Self.grouped(number) }
}
