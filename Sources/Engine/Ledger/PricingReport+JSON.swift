import Foundation

extension PricingReport {
    /// The report as one JSON object. Amounts are JSON numbers written from the exact decimals
    /// (`0.0005253`, never a binary floating-point approximation).
    public func json() -> String {
        let object: JSONOut = .object([
            ("total_usd", .amount(total)),
            ("spent_usd", .amount(spent)),
            ("programs", .integer(programCount)),
            ("filter", .object([("dataset", .text(filter.dataset)), ("mode", .text(filter.mode)),
                                ("model", .text(filter.model)), ("prior", .text(filter.prior))])),
            ("groups", .array(groups.map { group in
                .object([
                    ("dataset", .text(group.key.dataset)), ("mode", .text(group.key.mode)),
                    ("code_model", .text(group.key.codeModel)), ("prior", .text(group.key.prior)),
                    ("programs", .integer(group.programs)), ("ledger_programs", .integer(group.ledgerPrograms)),
                    ("header_programs", .integer(group.headerPrograms)), ("unpriced_programs", .integer(group.unpricedPrograms)),
                    ("ledger_programs_gone", .integer(group.ledgerProgramsGone)), ("calls", .integer(group.calls)),
                    ("cost_usd", .amount(group.cost)), ("calls_usd", .amount(group.callsCost)),
                ])
            })),
            ("runs", .array(runs.map { run in
                .object([
                    ("run_id", .text(run.run.id)), ("started", .text(RecordText.date(run.run.started))),
                    ("dataset", .text(run.run.dataset)), ("mode", .text(run.run.mode)), ("code_model", .text(run.run.codeModel)),
                    ("knowledge_model", .text(run.run.knowledgeModel)), ("prior", .text(run.run.prior)),
                    ("programs", .integer(run.programs)), ("calls", .integer(run.calls)), ("cost_usd", .amount(run.cost)),
                    ("estimated", .boolean(run.estimated)),
                ])
            })),
            ("prompting_estimate", .array(promptingEstimates.map { estimate in
                .object([
                    ("dataset", .text(estimate.dataset)), ("model", .text(estimate.model)), ("examples", .integer(estimate.examples)),
                    ("average_text_bytes", .integer(estimate.averageTextBytes)),
                    ("input_tokens_per_example", .integer(estimate.inputTokensPerExample)),
                    ("output_tokens_per_example", .integer(estimate.outputTokensPerExample)),
                    ("cost_usd", .amount(estimate.cost)), ("programs_usd", .amount(estimate.programsCost)),
                    ("ratio", estimate.ratio.map { .amount($0) } ?? .null),
                ])
            })),
            ("prompting_estimate_skipped", .array(skippedEstimates.map { skipped in
                .object([("dataset", .text(skipped.dataset)), ("reason", .text(skipped.reason))])
            })),
        ])
        var text = ""
        object.write(to: &text)
        return text
    }
}

/// A JSON value with keys kept in the order given, written without Foundation's number formatting.
enum JSONOut {
    case object([(String, JSONOut)])
    case array([JSONOut])
    case string(String)
    case integer(Int)
    case amount(Decimal)
    case boolean(Bool)
    case null

    static func text(_ value: String?) -> JSONOut { value.map { .string($0) } ?? .null }

    func write(to output: inout String) {
        switch self {
        case .object(let members):
            output += "{"
            for (index, (key, value)) in members.enumerated() {
                if index > 0 { output += ", " }
                JSONOut.string(key).write(to: &output)
                output += ": "
                value.write(to: &output)
            }
            output += "}"
        case .array(let items):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += ", " }
                item.write(to: &output)
            }
            output += "]"
        case .string(let value):
            output += "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": output += "\\\""
                case "\\": output += "\\\\"
                case "\n": output += "\\n"
                case "\r": output += "\\r"
                case "\t": output += "\\t"
                case _ where scalar.value < 0x20:
                    output += "\\u00" + String(scalar.value, radix: 16).leftPadded(to: 2)
                default: output.unicodeScalars.append(scalar)
                }
            }
            output += "\""
        case .integer(let value): output += String(value)
        case .amount(let value): output += value.isNaN ? "null" : RecordText.amount(value)
        case .boolean(let value): output += value ? "true" : "false"
        case .null: output += "null"
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
