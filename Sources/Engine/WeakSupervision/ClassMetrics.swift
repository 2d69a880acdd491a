/// Precision, recall and F1 of one class; zero where a denominator is zero.
public struct ClassMetrics: Sendable, Equatable {
    public let label: Int
    public let precision: Double
    public let recall: Double
    public let f1: Double
    /// Rows whose gold class is `label`.
    public let support: Int

    public init(label: Int, precision: Double, recall: Double, f1: Double, support: Int) {
        self.label = label
        self.precision = precision
        self.recall = recall
        self.f1 = f1
        self.support = support
    }
}
