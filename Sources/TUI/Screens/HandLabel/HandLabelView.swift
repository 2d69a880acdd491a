import Engine
import Foundation

/// What the hand-labeling screen asks the app to do.
public enum HandLabelRequest: Sendable, Equatable {
    /// Write these labels (the whole file) now: after an answer, or after undoing one.
    case save(HandLabels)
    case saveUndone(HandLabels)
    /// Build the queue of the other source.
    case switchSource(HandLabelQueue.Source)
    case close
}

/// The hand-labeling screen: one row at a time, answered with a class key, skipped or undone. A
/// value: `handle` changes it and says what to write; `HandLabelScreen` draws it.
public struct HandLabelView: Sendable {
    /// One step the user took, newest last, for undo.
    public enum Step: Sendable, Equatable {
        case answered(HandLabelQueue.Row)
        case skipped(HandLabelQueue.Row)
    }

    public let dataset: String
    public let labelNames: [String]
    /// Every hand label of the dataset, those of earlier sessions included.
    public private(set) var labels: HandLabels
    /// The rows still to show, the current one first.
    public private(set) var queue: HandLabelQueue
    public private(set) var history: [Step] = []
    /// Gold labels per class in valid and test as the split files have them.
    public let existing: [Int]
    /// Another source is being prepared (the uncovered rows need the programs applied).
    public private(set) var loadingSource: HandLabelQueue.Source?
    /// First line of the row's text shown.
    public private(set) var scroll = 0

    public init(dataset: Dataset, labels: HandLabels, queue: HandLabelQueue) {
        self.dataset = dataset.name
        labelNames = dataset.labelNames
        self.labels = labels
        self.queue = queue
        var counts = [Int](repeating: 0, count: dataset.classCount)
        for name in [SplitName.valid, .test] {
            for (index, count) in (dataset.splits[name]?.classCounts(classCount: dataset.classCount) ?? []).enumerated() { counts[index] += count }
        }
        existing = counts
    }

    public var current: HandLabelQueue.Row? { queue.rows.first }
    public var answeredCount: Int { history.filter { if case .answered = $0 { return true } else { return false } }.count }
    public var skippedCount: Int { history.count - answeredCount }
    /// Hand labels per class, earlier sessions included.
    public var counts: [Int] { labels.counts(labelNames: labelNames) }

    /// "3 labeled · 1 skipped · 96 left".
    public var progressText: String { "\(answeredCount) labeled · \(skippedCount) skipped · \(queue.rows.count) left" }

    public mutating func handle(_ key: Key) -> HandLabelRequest? {
        guard let action = KeyBindings.action(for: key, in: .handLabel) else { return nil }
        switch action {
        case .answer:
            guard let row = current, let index = HandLabelKeys.classIndex(for: key, classCount: labelNames.count) else { return nil }
            labels = labels.adding(id: row.id, label: labelNames[index], from: row.split)
            history.append(.answered(queue.rows.removeFirst()))
            scroll = 0
            return .save(labels)
        case .skipRow:
            guard current != nil else { return nil }
            history.append(.skipped(queue.rows.removeFirst()))
            scroll = 0
        case .undoAnswer:
            guard let step = history.popLast() else { return nil }
            scroll = 0
            switch step {
            case .skipped(let row):
                queue.rows.insert(row, at: 0)
            case .answered(let row):
                queue.rows.insert(row, at: 0)
                labels = labels.removingLast()
                return .saveUndone(labels)
            }
        case .switchSource:
            guard loadingSource == nil else { return nil }
            let next: HandLabelQueue.Source = queue.source == .random ? .uncovered : .random
            loadingSource = next
            return .switchSource(next)
        case .scrollDown: scroll += 1
        case .scrollUp: scroll = max(0, scroll - 1)
        case .closeHandLabel: return .close
        default: return nil
        }
        return nil
    }

    /// Takes the rows of a queue built for the other source, leaving out what was labeled or
    /// skipped here since it was asked for.
    public mutating func adopt(_ queue: HandLabelQueue) {
        let done = Set(history.map { step -> HandLabels.RowKey in
            switch step { case .answered(let row), .skipped(let row): return row.key }
        })
        var queue = queue
        queue.rows.removeAll { labels.contains($0.key) || done.contains($0.key) }
        self.queue = queue
        loadingSource = nil
        scroll = 0
    }

    /// The other source could not be prepared; the current one stays.
    public mutating func sourceFailed() { loadingSource = nil }

    /// The scroll position kept within a text of `lineCount` lines shown `height` at a time.
    func clampedScroll(lineCount: Int, height: Int) -> Int { max(0, min(scroll, lineCount - height)) }
}

/// Why a hand-labeling key cannot be used now (`AppState.disabledReasons`).
func handLabelDisabledReasons(_ view: HandLabelView) -> [Action: String] {
    var reasons: [Action: String] = [:]
    if view.current == nil {
        reasons[.answer] = "no row left"
        reasons[.skipRow] = "no row left"
    }
    if view.history.isEmpty { reasons[.undoAnswer] = "nothing to undo" }
    if let source = view.loadingSource { reasons[.switchSource] = "preparing the \(source.title)" }
    return reasons
}
