import Foundation

/// The one formatter of dollar amounts, with the few styles the screens and commands need. Amounts
/// stay exact (`USD`, or `Decimal`) until they are shown; `USD.formatted` comes here.
public enum Money {
    public enum Style: Sendable {
        /// "$0" for nothing, "<$0.0001" for less than shows, else four decimals ("$0.0120"): the browser, the panes.
        case fourDecimals
        /// Two decimals from a cent up, four below ("$0.0042", "$1.25"), "<$0.0001" for less: summaries.
        case summary
        /// Exact to seven decimals, at least two ("$0.0001234", "$3.00"): the pricing tables.
        case ledger
        /// Four decimals rounded up, no sign ("0.0013"): a worst case, never shown lower than it can be.
        case upperBound
    }

    public static func format(_ amount: Decimal, _ style: Style = .fourDecimals) -> String {
        switch style {
        case .fourDecimals:
            if amount == 0 { return "$0" }
            let value = rounded(amount, 4, .plain)
            if value == 0 { return amount > 0 ? "<$0.0001" : "-<$0.0001" }
            return signed(padded(value, to: 4))
        case .summary:
            if amount > 0, amount < Decimal(sign: .plus, exponent: -4, significand: 1) { return "<$0.0001" }
            let places = amount >= Decimal(sign: .plus, exponent: -2, significand: 1) ? 2 : 4
            return signed(padded(rounded(amount, places, .plain), to: places))
        case .ledger:
            return signed(padded(rounded(amount, 7, .plain), atLeast: 2))
        case .upperBound:
            return "\(rounded(amount, 4, .up))"
        }
    }

    /// The browser's style, the most used one.
    public static func text(_ amount: Decimal) -> String { format(amount, .fourDecimals) }

    private static func rounded(_ amount: Decimal, _ places: Int, _ mode: NSDecimalNumber.RoundingMode) -> Decimal {
        var input = amount, output = Decimal()
        NSDecimalRound(&output, &input, places, mode)
        return output
    }

    /// The decimal text with exactly `places` decimals (or at least `atLeast`).
    private static func padded(_ value: Decimal, to places: Int? = nil, atLeast: Int = 0) -> String {
        var text = "\(value)"
        let decimals = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 }
        let wanted = max(places ?? 0, atLeast, decimals ?? 0)
        if decimals == nil, wanted > 0 { text += "." }
        return text + String(repeating: "0", count: wanted - (decimals ?? 0))
    }

    private static func signed(_ text: String) -> String { text.hasPrefix("-") ? "-$" + text.dropFirst() : "$" + text }
}
