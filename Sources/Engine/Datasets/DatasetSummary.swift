/// How a loaded dataset is described in one line: the one wording of `alchemist datasets` and the
/// TUI's setup screen.
extension Dataset {
    /// "ham/spam · train 1,586 (unlabeled) · valid 120 (ham 52%, spam 48%) · test 250 (ham 50%, spam 50%)":
    /// the classes, then each split present with its rows and class balance (`DatasetSplit.balanceText`).
    public var splitsText: String {
        var parts = [labelNames.joined(separator: "/")]
        for name in SplitName.allCases {
            guard let split = splits[name] else { continue }
            parts.append("\(name.rawValue) \(CountText.grouped(split.count)) (\(split.balanceText(labelNames: labelNames)))")
        }
        return parts.joined(separator: " · ")
    }
}
