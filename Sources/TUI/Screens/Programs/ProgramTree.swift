import Engine
import Foundation

/// A node of the programs tree: a group (the labels from the root down to it) or a program file
/// (its path relative to the programs folder).
public enum ProgramNodeID: Hashable, Sendable {
    case group([String])
    case program(String)
}

/// One program file with what the browser shows about it.
public struct ProgramEntry: Sendable, Equatable {
    public var program: LabelingProgram
    /// The path relative to the programs folder (the key of its state).
    public var key: String
    public var enabled: Bool
    public var latestTest: ProgramTestRecord?
    /// Dataset, mode, code model and (when there is one) prior from the metadata; else the folders
    /// the file is in.
    public var groupPath: [String]

    public var url: URL? { program.path }
    public var cost: USD { program.totalCost }
    public var runID: String? { program.metadata?.runID }

    public init(program: LabelingProgram, key: String, enabled: Bool, latestTest: ProgramTestRecord?, groupPath: [String]) {
        self.program = program
        self.key = key
        self.enabled = enabled
        self.latestTest = latestTest
        self.groupPath = groupPath
    }

    /// The entries of `programs`, with their states.
    public static func entries(_ programs: [LabelingProgram], states: ProgramStates) -> [ProgramEntry] {
        programs.map { program in
            let key = program.path.map(states.key) ?? program.name + ".py"
            let path = ProgramPlacement(program, relativePath: key).groupPath
            let state = program.path.map(states.state) ?? ProgramState()
            return ProgramEntry(program: program, key: key, enabled: state.enabled, latestTest: state.latestTest, groupPath: path)
        }
    }

    /// True when every word of `filter` occurs (ignoring case) in the name, path, dataset, mode,
    /// models, prior or run id.
    public func matches(_ filter: String) -> Bool {
        let words = filter.lowercased().split(separator: " ")
        guard !words.isEmpty else { return true }
        let metadata = program.metadata
        let fields = [program.name, key, metadata?.dataset, metadata?.mode, metadata?.codeModel, metadata?.knowledgeModel,
                      metadata?.prior, metadata?.runID].compactMap { $0 }.joined(separator: "\n").lowercased()
        return words.allSatisfy { fields.contains($0) }
    }
}

/// The programs grouped dataset › mode › code model › prior type › program, each group with the
/// number of programs under it and their total cost.
public struct ProgramTree: Sendable, Equatable {
    public struct Totals: Sendable, Equatable {
        public var programs: Int
        public var enabled: Int
        public var cost: USD

        public init(programs: Int = 0, enabled: Int = 0, cost: USD = .zero) {
            self.programs = programs
            self.enabled = enabled
            self.cost = cost
        }
    }

    public private(set) var roots: [TreeNode<ProgramNodeID>]
    public private(set) var totals: [ProgramNodeID: Totals]
    /// The entries in the tree (those matching the filter), by key.
    public private(set) var entries: [String: ProgramEntry]
    /// All entries in the tree together.
    public private(set) var overall: Totals

    /// Builds the tree of the entries matching `filter`. Groups sort by name, programs in natural
    /// order (LF2 before LF10).
    public init(entries all: [ProgramEntry], filter: String = "") {
        let shown = all.filter { $0.matches(filter) }
        var totals: [ProgramNodeID: Totals] = [:]
        var overall = Totals()
        for entry in shown {
            let enabled = entry.enabled ? 1 : 0
            let ids = (1...max(1, entry.groupPath.count)).compactMap { depth -> ProgramNodeID? in
                entry.groupPath.isEmpty ? nil : .group(Array(entry.groupPath.prefix(depth)))
            } + [.program(entry.key)]
            for id in ids {
                totals[id, default: Totals()].programs += 1
                totals[id, default: Totals()].enabled += enabled
                totals[id, default: Totals()].cost += entry.cost
            }
            overall.programs += 1
            overall.enabled += enabled
            overall.cost += entry.cost
        }
        self.totals = totals
        self.overall = overall
        entries = Dictionary(shown.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })

        func nodes(under prefix: [String], from entries: [ProgramEntry]) -> [TreeNode<ProgramNodeID>] {
            let here = entries.filter { $0.groupPath.count == prefix.count }
            var groups: [String: [ProgramEntry]] = [:]
            for entry in entries where entry.groupPath.count > prefix.count {
                groups[entry.groupPath[prefix.count], default: []].append(entry)
            }
            let groupNodes = groups.keys.sorted { $0.localizedStandardCompare($1) == .orderedAscending }.map { name -> TreeNode<ProgramNodeID> in
                let path = prefix + [name]
                let total = totals[.group(path)] ?? Totals()
                let allDisabled = total.enabled == 0
                return TreeNode(id: .group(path), label: name, info: "\(total.programs) · \(total.cost.formatted())",
                                role: allDisabled ? .muted : .text, children: nodes(under: path, from: groups[name] ?? []))
            }
            let names = here.map(Self.fileName)
            let programNodes = here.sorted { $0.key.localizedStandardCompare($1.key) == .orderedAscending }.map { entry in
                // Two files of one group with the same name (copied from elsewhere) show their paths.
                let name = Self.fileName(entry)
                let label = names.filter { $0 == name }.count > 1 ? entry.key : name
                return TreeNode<ProgramNodeID>(id: .program(entry.key), label: label,
                                               info: (entry.enabled ? "" : "off · ") + entry.cost.formatted(),
                                               role: entry.enabled ? .text : .muted)
            }
            return groupNodes + programNodes
        }
        roots = nodes(under: [], from: shown)
    }

    /// "LF3" for ".../LF3.py".
    static func fileName(_ entry: ProgramEntry) -> String {
        let last = entry.key.split(separator: "/").last.map(String.init) ?? entry.key
        return last.hasSuffix(".py") ? String(last.dropLast(3)) : last
    }
}
