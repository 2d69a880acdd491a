import Foundation

extension LabelingRunResult {
    /// The run's measurements as a JSON object: `label --json` prints it and `run.json` keeps it
    /// under `metrics`, so both say the same thing the same way.
    public var reportObject: [String: Any] {
        func pair(_ value: MeanStd) -> [String: Double] { ["mean": value.mean, "std": value.std] }
        func split(_ scores: SplitScores) -> [String: Any] { ["accuracy": pair(scores.accuracy), "f1": pair(scores.f1)] }
        func model(_ scores: ModelScores) -> [String: Any] {
            var object: [String: Any] = ["test": split(scores.test), "fit_seconds": scores.fitSeconds]
            if let valid = scores.valid { object["valid"] = split(valid) }
            object["test_per_class"] = scores.testPerClass.map {
                ["class": $0.label, "precision": $0.precision, "recall": $0.recall, "f1": $0.f1, "support": $0.support] as [String: Any]
            }
            return object
        }
        var coverage: [String: Double] = [:]
        for (name, value) in self.coverage { coverage[name.rawValue] = value }
        return [
            "dataset": dataset,
            "programs": programs,
            "runs": runs,
            "coverage": coverage,
            "label_models": Dictionary(uniqueKeysWithValues: labelModels.map { ($0.id.rawValue, model($0.scores)) }),
            "best_label_model": bestLabelModel.rawValue,
            "selection_metric": selectionMetric.rawValue,
            "training_rows": trainingRows,
            "end_models": Dictionary(uniqueKeysWithValues: endModels.map { ($0.id.rawValue, model($0.scores)) }),
            "cost_usd": NSDecimalNumber(decimal: costUSD).doubleValue,
            "seconds": seconds,
        ]
    }
}
