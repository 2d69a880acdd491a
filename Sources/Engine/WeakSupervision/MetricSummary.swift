/// The scores reported for one set of predictions.
public struct MetricSummary: Sendable, Equatable {
    public let accuracy: Double
    /// F1 of class 1 for two classes, else F1 averaged over classes weighted by support.
    public let f1: Double
    public let perClass: [ClassMetrics]

    public init(accuracy: Double, f1: Double, perClass: [ClassMetrics]) {
        self.accuracy = accuracy
        self.f1 = f1
        self.perClass = perClass
    }
}
