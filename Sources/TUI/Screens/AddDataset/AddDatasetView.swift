import Engine
import Foundation

/// What the add-a-dataset form asks the app to do.
public enum AddDatasetRequest: Sendable, Equatable {
    /// The choices changed: plan again (engine work).
    case plan
    /// Write the dataset as planned.
    case write
    /// Esc: back to the file picker.
    case back
}

/// The add-a-dataset form: a file read once, the choices of `alchemist datasets add` (name, columns,
/// classes, split sizes, seed) and the engine's plan of them. A value: `handle` changes the choices
/// and asks for a new plan; the plan of the latest choices comes back by revision.
public struct AddDatasetView: Sendable {
    public enum Field: Int, CaseIterable, Sendable {
        case name, text, label, id, classes, valid, test, seed

        public var title: String {
            switch self {
            case .name: return "Name"
            case .text: return "Text"
            case .label: return "Labels"
            case .id: return "Ids"
            case .classes: return "Classes"
            case .valid: return "Valid"
            case .test: return "Test"
            case .seed: return "Seed"
            }
        }

        /// Fields typed into; the others choose among the file's columns.
        public var isTyped: Bool { ![.text, .label, .id].contains(self) }
    }

    /// A column choice: the engine's default (`DatasetImport.chooseColumns`), a column, or none
    /// (no labels; ids by row position).
    public enum ColumnChoice: Sendable, Equatable {
        case automatic, column(String), none
    }

    public let file: URL
    public private(set) var table: TabularFile?
    public private(set) var readError: String?
    public private(set) var name: String
    public private(set) var text: ColumnChoice = .automatic
    public private(set) var label: ColumnChoice = .automatic
    public private(set) var id: ColumnChoice = .automatic
    public private(set) var classes = ""
    public private(set) var validSize = ""
    public private(set) var testSize = ""
    public private(set) var seed = "0"
    public private(set) var focus: Field = .name
    public private(set) var plan: DatasetImportPlan?
    public private(set) var planError: String?
    /// Counts changes of the choices; a plan answers one revision and only the latest counts.
    public private(set) var revision = 0
    public private(set) var plannedRevision: Int?
    public var isWriting = false

    /// The form for `file`, named after it (`DatasetImport.suggestedName`).
    public init(file: URL) {
        self.file = file
        name = DatasetImport.suggestedName(for: file)
    }

    public var isReading: Bool { table == nil && readError == nil }
    public var isPlanning: Bool { table != nil && plannedRevision != revision }

    public mutating func read(_ table: TabularFile) {
        self.table = table
        revision += 1
    }

    public mutating func readFailed(_ reason: String) { readError = reason }

    public mutating func planned(_ plan: DatasetImportPlan, revision: Int) {
        guard revision == self.revision else { return }
        self.plan = plan
        planError = nil
        plannedRevision = revision
    }

    public mutating func planFailed(_ reason: String, revision: Int) {
        guard revision == self.revision else { return }
        plan = nil
        planError = reason
        plannedRevision = revision
    }

    /// The request of the current choices (`alchemist datasets add` with the same options), or why
    /// a typed size or seed is not one.
    public func request() throws -> DatasetImportRequest {
        func size(_ text: String, _ field: Field) throws -> SplitSize? {
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            guard let size = SplitSize(text) else {
                throw TUIError(description: "\(field.title.lowercased()) size \"\(text)\": expected a fraction from 0 to 1 (0.1) or a count of rows (200)")
            }
            return size
        }
        guard let seed = UInt64(seed.trimmingCharacters(in: .whitespaces)) else {
            throw TUIError(description: "seed \"\(self.seed)\": expected a whole number")
        }
        let names = classes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        var request = DatasetImportRequest(
            name: name.trimmingCharacters(in: .whitespaces), source: file, textColumn: Self.column(text), labelColumn: Self.column(label),
            idColumn: Self.column(id), classes: names.isEmpty ? nil : names, validSize: try size(validSize, .valid),
            testSize: try size(testSize, .test), seed: seed)
        request.noLabelColumn = label == .none
        request.noIDColumn = id == .none
        return request
    }

    static func column(_ choice: ColumnChoice) -> String? {
        if case .column(let name) = choice { return name }
        return nil
    }

    /// The column a field stands for now: the chosen one, else the plan's (the engine's default); nil for none.
    public func effectiveColumn(_ field: Field) -> String? {
        let choice = field == .text ? text : field == .label ? label : id
        switch choice {
        case .column(let name): return name
        case .none: return nil
        case .automatic:
            switch field {
            case .text: return plan?.textColumn
            case .label: return plan?.labelColumn
            default: return plan?.idColumn
            }
        }
    }

    /// What a field shows.
    public func value(of field: Field) -> String {
        switch field {
        case .name: return name
        case .classes: return classes.isEmpty ? (focus == .classes ? "" : "from the labels") : classes
        case .valid: return validSize.isEmpty && focus != .valid ? plan.map { "default: \($0.validSize)" } ?? "default" : validSize
        case .test: return testSize.isEmpty && focus != .test ? plan.map { "default: \($0.testSize)" } ?? "default" : testSize
        case .seed: return seed
        case .text, .label, .id:
            let choice = field == .text ? text : field == .label ? label : id
            let none = field == .id ? "row position" : "none"
            let shown = effectiveColumn(field) ?? (choice == .automatic && plan == nil ? "default" : none)
            return choice == .automatic && plan != nil ? "\(shown) (default)" : shown
        }
    }

    public mutating func handle(_ key: Key) -> AddDatasetRequest? {
        guard !isWriting else { return nil }
        let fields = Field.allCases
        switch KeyBindings.action(for: key, in: .addDataset, bindings: KeyBindings.addDataset) {
        case .nextField?:
            focus = fields[(focus.rawValue + 1) % fields.count]
            return nil
        case .previousField?:
            focus = fields[(focus.rawValue + fields.count - 1) % fields.count]
            return nil
        case .changeChoice?:
            guard !focus.isTyped, let table else { return nil }
            choose(step: key == .left ? -1 : 1, among: table.columns)
        case .eraseCharacter?:
            guard focus.isTyped, !typed(focus).isEmpty else { return nil }
            setTyped(focus, String(typed(focus).dropLast()))
        case .writeDataset?:
            return .write
        case .backStep?:
            return .back
        default:
            guard focus.isTyped, let character = key.typedCharacter else { return nil }
            setTyped(focus, typed(focus) + String(character))
        }
        guard table != nil else { return nil }
        revision += 1
        return .plan
    }

    /// The next or previous column of the focused field; labels and ids also offer none.
    mutating func choose(step: Int, among columns: [String]) {
        let options: [ColumnChoice] = columns.map { .column($0) } + (focus == .text ? [] : [.none])
        let current = effectiveColumn(focus).map { ColumnChoice.column($0) } ?? (focus == .text ? .automatic : .none)
        let index = options.firstIndex(of: current).map { ($0 + step + options.count) % options.count } ?? (step > 0 ? 0 : options.count - 1)
        switch focus {
        case .text: text = options[index]
        case .label: label = options[index]
        default: id = options[index]
        }
    }

    func typed(_ field: Field) -> String {
        switch field {
        case .name: return name
        case .classes: return classes
        case .valid: return validSize
        case .test: return testSize
        default: return seed
        }
    }

    mutating func setTyped(_ field: Field, _ value: String) {
        switch field {
        case .name: name = value
        case .classes: classes = value
        case .valid: validSize = value
        case .test: testSize = value
        default: seed = value
        }
    }
}

/// Why a key of the form cannot be used now (`AppState.disabledReasons`).
func addDatasetDisabledReasons(_ view: AddDatasetView) -> [Action: String] {
    let reason: String?
    if view.isWriting {
        reason = "writing it"
    } else if view.readError != nil {
        reason = "the file cannot be read: esc picks another"
    } else if view.isReading {
        reason = "reading the file"
    } else if view.isPlanning {
        reason = "planning"
    } else if view.planError != nil {
        reason = "fix the choices first"
    } else {
        reason = nil
    }
    return reason.map { [.writeDataset: $0] } ?? [:]
}
