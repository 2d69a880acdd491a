import Foundation

/// What a call costs at a model's prices, in exact `Decimal` arithmetic (never `Double`), so that
/// summing many small costs does not drift.
public enum TokenCost {
    /// One millionth, exactly.
    static let perMillion = Decimal(sign: .plus, exponent: -6, significand: 1)

    /// USD for one call: (input − cached) × input price + cached × cached-input price + output × output price,
    /// prices being USD per million tokens.
    ///
    /// - Parameters:
    ///   - inputTokens: all prompt tokens, the cached ones included (as OpenAI reports `prompt_tokens`).
    ///   - cachedInputTokens: the part of `inputTokens` served from the provider's cache; billed at
    ///     `cachedInputPerMTok` when the model has one, else at the input price. Clamped to `0...inputTokens`.
    public static func cost(model: ModelSpec, inputTokens: Int, outputTokens: Int, cachedInputTokens: Int = 0) -> Decimal {
        let cached = min(max(cachedInputTokens, 0), max(inputTokens, 0))
        let uncached = max(inputTokens, 0) - cached
        let cachedPrice = model.cachedInputPerMTok ?? model.inputPerMTok
        let micro = Decimal(uncached) * model.inputPerMTok + Decimal(cached) * cachedPrice
            + Decimal(max(outputTokens, 0)) * model.outputPerMTok
        return micro * perMillion
    }
}
