import ArgumentParser
import Engine
import Foundation

struct PricingCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pricing",
        abstract: "What the saved programs cost, by run and by dataset/mode/model/prior, next to labeling by prompting.")

    @OptionGroup var common: CommonOptions

    @Option(help: "Only this dataset.")
    var dataset: String?

    @Option(help: "Only this mode (scriptorium, alchemist, alchemist-rag).")
    var mode: String?

    @Option(help: "Only programs written by this code model.")
    var model: String?

    @Option(help: "Only this prior-knowledge type (`none` for programs made without one).")
    var prior: String?

    @Option(name: .customLong("annotator-model"), help: "Model priced for labeling every train text by prompting.")
    var annotatorModel = PromptingEstimate.defaultModelID

    @Flag(help: "Print one JSON object instead of the tables.")
    var json = false

    func run() async throws {
        try await reportingBadInput {
            let (config, paths) = try common.load()
            guard let annotator = config.model(id: annotatorModel), annotator.kind == .chat else {
                let known = config.models.filter { $0.kind == .chat }.map(\.id).joined(separator: ", ")
                throw BadInput("--annotator-model: unknown chat model \"\(annotatorModel)\" (known: \(known))")
            }
            let ledgerFile = Ledger.defaultPath(appHome: paths.appHome)
            // Reading must not create a ledger: without the file there is nothing recorded yet.
            let ledger = FileManager.default.fileExists(atPath: ledgerFile.path) ? try Ledger(path: ledgerFile) : nil
            let sources = try PricingSources.load(ledger: ledger, lfDir: paths.lfDir)
            let catalog = DatasetCatalog(config: config, paths: paths)
            let filter = PricingFilter(dataset: dataset, mode: mode, model: model, prior: prior)
            try sources.validate(filter, config: config, catalog: catalog)
            let report = try PricingReport.build(
                sources, filter: filter,
                estimates: PricingReport.EstimateSource(catalog: catalog, templates: try PromptTemplates.bundled(), model: annotator))
            if json {
                print(report.json())
            } else {
                print(PricingText(report: report, ledger: ledger == nil ? nil : ledgerFile, lfDir: paths.lfDir).text, terminator: "")
            }
        }
    }
}

/// The human form of a pricing report: runs, groups, the total and the prompting estimates.
struct PricingText {
    let report: PricingReport
    let ledger: URL?
    let lfDir: URL

    var text: String {
        var out = ""
        if let ledger {
            out += "runs (ledger \(ledger.path))\n"
            if report.runs.isEmpty {
                out += "  none\n"
            } else {
                let rows = report.runs.map { run in
                    [run.run.id, run.run.started.formatted(.iso8601), run.run.dataset, run.run.mode, run.run.codeModel,
                     run.run.prior ?? "–", String(run.programs), String(run.calls), usd(run.cost) + (run.estimated ? " *" : "")]
                }
                out += Self.table(["run", "started", "dataset", "mode", "code model", "prior", "programs", "calls", "cost"],
                                  rows, rightAligned: [6, 7, 8])
                if report.runs.contains(where: \.estimated) {
                    out += "* some token counts are estimates (the provider sent no usage)\n"
                }
            }
        } else {
            out += "no ledger yet: no runs recorded\n"
        }
        out += "\nprograms by dataset, mode, code model and prior (\(lfDir.path))\n"
        if report.groups.isEmpty {
            out += "  none\n"
        } else {
            let rows = report.groups.map { group in
                [group.key.dataset, group.key.mode, group.key.codeModel, group.key.prior ?? "–", String(group.programs),
                 String(group.headerPrograms), String(group.calls), usd(group.cost), usd(group.callsCost)]
            }
            out += Self.table(["dataset", "mode", "code model", "prior", "programs", "by header", "calls", "programs cost", "calls cost"],
                              rows, rightAligned: [4, 5, 6, 7, 8])
            let gone = report.groups.reduce(0) { $0 + $1.ledgerProgramsGone }
            if gone > 0 { out += "\(gone) program(s) in the ledger are no longer in the folder as saved (their cost stays in their runs' calls)\n" }
        }
        let header = report.groups.reduce(0) { $0 + $1.headerPrograms }
        out += "\ntotal \(usd(report.total)) for \(grouped(report.programCount)) program\(report.programCount == 1 ? "" : "s") "
        out += "(\(grouped(report.programCount - header)) priced by the ledger, \(grouped(header)) by their file headers)"
        out += ledger == nil ? "\n" : "; all calls of these runs: \(usd(report.spent))\n"
        if !report.promptingEstimates.isEmpty || !report.skippedEstimates.isEmpty { out += "\n" }
        for estimate in report.promptingEstimates {
            out += "labeling \(estimate.dataset)'s \(grouped(estimate.examples)) train texts by prompting \(estimate.model) once each: "
            out += "\(usd(estimate.cost)); "
            if let ratio = estimate.ratio {
                out += "its programs cost \(usd(estimate.programsCost)): " + comparison(ratio) + "\n"
            } else {
                out += "its programs cost nothing recorded\n"
            }
        }
        for skipped in report.skippedEstimates {
            out += "no prompting estimate for \(skipped.dataset): \(skipped.reason)\n"
        }
        return out
    }

    /// "500× less", or "2.5× more" when the programs cost more than prompting would.
    func comparison(_ ratio: Decimal) -> String {
        if ratio >= 1 { return "\(grouped(rounded(ratio, 0)))× less" }
        let inverse = Decimal(1) / ratio
        return "\(rounded(inverse, 1))× more"
    }

    /// USD with up to seven decimals (amounts are fractions of a cent), at least two.
    func usd(_ amount: Decimal) -> String { Money.format(amount, .ledger) }

    func rounded(_ value: Decimal, _ scale: Int) -> Decimal {
        var input = value
        var output = Decimal()
        NSDecimalRound(&output, &input, scale, .plain)
        return output
    }

    /// An integer (or integral decimal) with thousands separators: 1,586.
    func grouped(_ value: Decimal) -> String { grouped(NSDecimalNumber(decimal: value).intValue) }

    func grouped(_ value: Int) -> String { PromptingCostEstimate.grouped(value) }

    static func table(_ header: [String], _ rows: [[String]], rightAligned: Set<Int>) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return rightAligned.contains(index) ? pad + cell : cell + pad
            }.joined(separator: "  ").replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        return ([header] + rows).map { line($0) + "\n" }.joined()
    }
}
