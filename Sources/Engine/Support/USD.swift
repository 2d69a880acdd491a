import Foundation

/// An exact amount of US dollars: what a program's stages cost and what they add up to.
///
/// It encodes as its decimal text ("0.0012345"), the form program files and the ledger have always
/// stored, so they read back and re-write byte for byte. Prices, the ledger's records and the
/// pipeline's events keep plain `Decimal`s; `USD(_:)` and `decimal` convert.
public struct USD: Sendable, Hashable, Comparable, AdditiveArithmetic, Codable, CustomStringConvertible,
                   ExpressibleByIntegerLiteral {
    public var decimal: Decimal

    public init(_ decimal: Decimal) { self.decimal = decimal }

    public init(integerLiteral value: Int) { decimal = Decimal(value) }

    /// Reads a plain decimal text such as "0.0012" or "-3" (a dot whatever the locale, no exponent);
    /// nil for anything else.
    public init?(_ text: String) {
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "." || $0 == "-") }),
              let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), !value.isNaN else { return nil }
        decimal = value
    }

    public static let zero = USD(Decimal(0))

    public static func + (lhs: USD, rhs: USD) -> USD { USD(lhs.decimal + rhs.decimal) }
    public static func - (lhs: USD, rhs: USD) -> USD { USD(lhs.decimal - rhs.decimal) }
    public static func < (lhs: USD, rhs: USD) -> Bool { lhs.decimal < rhs.decimal }

    /// The shortest exact decimal text, no sign of currency: "0.0012345", "3", "0".
    public var description: String { decimal.description }

    /// The amount as the screens and commands show it, through `Money.format`.
    public func formatted(_ style: Money.Style = .fourDecimals) -> String { Money.format(decimal, style) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let amount = USD(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" is not an amount of dollars")
        }
        self = amount
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Sequence where Element == USD {
    /// The amounts added up, exactly.
    public func sum() -> USD { reduce(.zero, +) }
}
