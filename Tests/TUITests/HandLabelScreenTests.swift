@testable import Engine
import Foundation
import Testing
import TestSupport
@testable import TUI

/// A small unlabeled dataset and the hand-labeling screen over it.
enum HandLabelFixtures {
    static let labelNames = ["ham", "spam", "eggs"]

    static func dataset(rows: Int = 8, folder: URL = URL(fileURLWithPath: "/tmp/alchemist-hand-fixture")) -> Dataset {
        var texts = (0..<rows).map { "message number \($0): please read this short text" }
        texts[0] = String(repeating: "a rather long message that needs wrapping across several lines of the row pane ", count: 30)
        let train = DatasetSplit(name: .train, ids: (0..<rows).map { "m\($0)" }, texts: texts, labels: Array(repeating: nil, count: rows))
        let valid = DatasetSplit(name: .valid, ids: ["v0", "v1"], texts: ["kept", "kept too"], labels: [1, 1])
        return Dataset(name: "mails", labelNames: labelNames, location: folder, format: .jsonl, splits: [.train: train, .valid: valid])
    }

    static func view(folder: URL = URL(fileURLWithPath: "/tmp/alchemist-hand-fixture"), rows: Int = 8) -> HandLabelView {
        let data = dataset(rows: rows, folder: folder)
        let labels = HandLabels(file: folder.appendingPathComponent(HandLabels.fileName))
        // File order rather than random, so the screens are the same whatever the seed rule becomes.
        return HandLabelView(dataset: data, labels: labels,
                             queue: HandLabelQueue(source: .random, rows: HandLabelQueue.candidates(in: data, excluding: labels)))
    }

    static func state(width: Int = 80, height: Int = 24) throws -> AppState {
        var state = try Fixtures.state(width: width, height: height)
        _ = update(&state, .handLabelLoaded(view()))
        return state
    }
}

@Suite struct HandLabelScreenTests {
    @Test func classKeysAreDigitsThenLettersTheScreenDoesNotUse() {
        #expect(HandLabelKeys.key(forClass: 0) == .char("1") && HandLabelKeys.key(forClass: 8) == .char("9"))
        #expect(HandLabelKeys.key(forClass: 9) == .char("a"))
        #expect(!HandLabelKeys.all.contains(.char("s")) && !HandLabelKeys.all.contains(.char("u"))
            && !HandLabelKeys.all.contains(.char("t")) && !HandLabelKeys.all.contains(.char("q")))
        #expect(HandLabelKeys.classIndex(for: .char("3"), classCount: 3) == 2)
        #expect(HandLabelKeys.classIndex(for: .char("4"), classCount: 3) == nil)
        #expect(KeyBindings.clashes().isEmpty)
    }

    @Test func hOpensHandLabelingOnAPresentDatasetOnly() throws {
        var state = try Fixtures.state()
        #expect(state.dataset?.isPresent == true)
        #expect(update(&state, .key(.char("h"))) == [.loadHandLabeling(dataset: "demo", source: .random), .render])
        state.press(.char("g"))  // the first dataset is not on disk
        #expect(update(&state, .key(.char("h"))) == [.render])
        #expect(state.statusIsError && state.status.contains("on disk"))
        #expect(KeyBindings.helpBar(for: .setup, disabled: state.disabledReasons).contains("h hand label (choose a dataset that is on disk first)"))
    }

    @Test func answersSkipsAndUndoChangeTheStateAndAskForWrites() throws {
        var state = try HandLabelFixtures.state()
        #expect(state.screen == .handLabel)
        #expect(state.handLabel?.current?.id == "m0")
        var effects = update(&state, .key(.char("2")))
        guard case .saveHandLabels(let saved)? = effects.first else { Issue.record("no save: \(effects)"); return }
        #expect(saved.labels.map(\.id) == ["m0"] && saved.labels[0].label == "spam" && saved.labels[0].split == .valid)
        #expect(state.handLabel?.current?.id == "m1")
        state.press(.char("2"), .char("1"), .char("s"))
        let view = try #require(state.handLabel)
        #expect(view.counts == [1, 2, 0])
        #expect(view.labels.labels.map(\.split) == [.valid, .test, .valid])
        #expect(view.progressText == "3 labeled · 1 skipped · 4 left")
        #expect(view.current?.id == "m4")
        // Undo a skip: the row comes back, nothing is written.
        #expect(update(&state, .key(.char("u"))) == [.render])
        #expect(state.handLabel?.current?.id == "m3")
        // Undo an answer: the row comes back and the file loses its line.
        effects = update(&state, .key(.char("u")))
        guard case .saveHandLabels(let undone)? = effects.first else { Issue.record("no save: \(effects)"); return }
        #expect(undone.labels.map(\.id) == ["m0", "m1"])
        #expect(state.handLabel?.current?.id == "m2")
        #expect(state.status == "undone: m2 is unlabeled again")
        #expect(state.handLabel?.progressText == "2 labeled · 0 skipped · 6 left")
        // A key past the classes does nothing; 4 is not a class of three.
        #expect(update(&state, .key(.char("4"))) == [.render])
        #expect(state.handLabel?.current?.id == "m2")
    }

    @Test func theLastRowDisablesAnswersAndEscGoesBackWithASummary() throws {
        var state = try Fixtures.state()
        _ = update(&state, .handLabelLoaded(HandLabelFixtures.view(rows: 1)))
        #expect(state.disabledReasons[.undoAnswer] == "nothing to undo")
        state.press(.char("3"))
        #expect(state.disabledReasons[.answer] == "no row left" && state.disabledReasons[.skipRow] == "no row left")
        #expect(AppView.render(state).text.contains("No row left"))
        #expect(update(&state, .key(.escape)) == [.closeHandLabeling, .render, .loadDatasetInfo("demo")])  // its splits are read again
        #expect(state.screen == .setup)
        #expect(state.status == "mails: 1 hand labels (eggs 1)")
    }

    @Test func theOtherSourceReplacesTheRowsLeftAndAFailureKeepsThem() throws {
        var state = try HandLabelFixtures.state()
        state.press(.char("1"))
        #expect(update(&state, .key(.char("t"))).first == .loadHandLabeling(dataset: "mails", source: .uncovered))
        #expect(state.disabledReasons[.switchSource] != nil)
        _ = update(&state, .handLabelFailed("mails has no enabled programs"))
        #expect(state.handLabel?.loadingSource == nil && state.handLabel?.queue.source == .random && state.statusIsError)
        state.press(.char("t"))
        let rows = HandLabelFixtures.view().queue.rows
        _ = update(&state, .handLabelLoaded(HandLabelView(dataset: HandLabelFixtures.dataset(), labels: HandLabels(file: URL(fileURLWithPath: "/tmp/x")),
                                                          queue: HandLabelQueue(source: .uncovered, rows: [rows[0], rows[5]]))))
        let view = try #require(state.handLabel)
        #expect(view.queue.source == .uncovered && view.queue.rows.map(\.id) == ["m5"])  // m0 is answered already
        #expect(view.answeredCount == 1)
    }

    @Test func theInterpreterWritesTheLabelsAtOnce() throws {
        let folder = try TestEnvironment.temporaryFolder("hand-tui")
        defer { try? FileManager.default.removeItem(at: folder) }
        var view = HandLabelFixtures.view(folder: folder)
        let interpreter = EffectInterpreter(terminal: TestBackend(width: 80, height: 24), runner: nil)
        for key in ["1", "2", "s", "3"] {
            if case .save(let labels)? = view.handle(.char(Character(key))) {
                #expect(interpreter.perform(.saveHandLabels(labels), state: try Fixtures.state()).isEmpty)
            }
            if key == "3", case .saveUndone(let labels)? = view.handle(.char("u")) {
                #expect(interpreter.perform(.saveHandLabels(labels), state: try Fixtures.state()).isEmpty)
            }
            if key == "3", case .save(let labels)? = view.handle(.char("3")) {
                #expect(interpreter.perform(.saveHandLabels(labels), state: try Fixtures.state()).isEmpty)
            }
        }
        let onDisk = try HandLabels.load(folder: folder)
        #expect(onDisk.labels.map(\.id) == ["m0", "m1", "m3"])
        #expect(onDisk.labels.map(\.label) == ["ham", "spam", "eggs"])
        let broken = HandLabels(file: folder.appendingPathComponent("missing/hand-labels.jsonl"))
        guard case .handLabelFailed(let reason)? = interpreter.perform(.saveHandLabels(broken), state: try Fixtures.state()).first else {
            Issue.record("a failed write is not reported"); return
        }
        #expect(reason.contains("not saved"))
    }

    @Test func aLongTextIsWrappedAndScrolled() throws {
        var state = try HandLabelFixtures.state()
        var text = AppView.render(state).text
        #expect(text.contains("train row · id m0"))
        #expect(text.contains("more lines (pgdn)"))
        #expect(text.contains("1 ham  0") && text.contains("2 spam  0 (+2)") && text.contains("3 eggs  0"))
        #expect(text.contains("0 labeled · 0 skipped · 8 left"))
        state.press(.pageDown, .pageDown)
        text = AppView.render(state).text
        #expect(text.contains("↑ pgup"))
    }

    @Test(arguments: [(80, 24), (120, 40), (60, 16)])
    func snapshots(width: Int, height: Int) throws {
        var state = try HandLabelFixtures.state(width: width, height: height)
        state.press(.char("1"), .char("s"))
        try Snapshot.check(AppView.render(state), named: "handlabel-\(width)x\(height)")
    }
}
