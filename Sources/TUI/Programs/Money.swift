import Foundation

/// Dollar amounts as the programs browser shows them.
enum Money {
    /// "$0" for nothing, "<$0.0001" for less than shows, else four decimal places ("$0.0120").
    static func text(_ amount: Decimal) -> String {
        if amount == 0 { return "$0" }
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 4, .plain)
        if rounded == 0 { return amount > 0 ? "<$0.0001" : "-<$0.0001" }
        var text = "\(rounded)"
        let decimals = text.firstIndex(of: ".").map { text.distance(from: $0, to: text.endIndex) - 1 }
        if decimals == nil { text += "." }
        text += String(repeating: "0", count: 4 - (decimals ?? 0))
        return text.hasPrefix("-") ? "-$" + text.dropFirst() : "$" + text
    }
}
