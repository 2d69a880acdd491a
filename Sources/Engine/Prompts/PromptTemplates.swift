import Foundation

/// The prompts of one dataset's task, as the original tool's option tables held them.
public struct PromptTemplate: Sendable, Equatable, Codable {
    public var codeSystem: String
    public var mission: String
    public var labelingInstruction: String
    /// `def label_function(<name>):`
    public var signature: String
    public var knowledgeSystem: String
    /// Holds the slot `[prior knowledge]`.
    public var priorRequest: String
    /// Holds the slot `[text]`; used by a direct LLM annotator, for cost comparisons.
    public var annotatorPrompt: String

    enum CodingKeys: String, CodingKey {
        case codeSystem = "code_system", mission, labelingInstruction = "labeling_instruction", signature
        case knowledgeSystem = "knowledge_system", priorRequest = "prior_request", annotatorPrompt = "annotator_prompt"
    }

    /// The prior-knowledge request with its slot filled, e.g. with "keywords".
    public func priorRequest(for prior: PriorTypeSpec) -> String {
        priorRequest.replacingOccurrences(of: "[prior knowledge]", with: prior.name)
    }

    public func annotatorPrompt(for text: String) -> String {
        annotatorPrompt.replacingOccurrences(of: "[text]", with: text)
    }

    /// The parameter name of `label_function`.
    public var parameterName: String {
        guard let open = signature.firstIndex(of: "("), let close = signature.firstIndex(of: ")"), open < close else { return "text" }
        return String(signature[signature.index(after: open)..<close]).trimmingCharacters(in: .whitespaces)
    }
}

/// The bundled prompt templates: one per named dataset and a generic one for custom datasets.
public struct PromptTemplates: Sendable {
    public let byDataset: [String: PromptTemplate]
    let custom: PromptTemplate

    public static func bundled() throws -> PromptTemplates {
        guard let url = Bundle.module.url(forResource: "prompt-templates", withExtension: "json") else {
            throw DatasetError(file: "prompt-templates.json", reason: "resource missing from the Engine bundle")
        }
        return try load(url)
    }

    public static func load(_ url: URL) throws -> PromptTemplates {
        let data = try Data(contentsOf: url)
        let all: [String: PromptTemplate]
        do { all = try JSONDecoder().decode([String: PromptTemplate].self, from: data) } catch {
            throw DatasetError(file: url.path, reason: "cannot read templates (\(error))")
        }
        guard let custom = all["custom"] else { throw DatasetError(file: url.path, reason: "no \"custom\" template") }
        return PromptTemplates(byDataset: all.filter { $0.key != "custom" }, custom: custom)
    }

    /// The template of a named dataset, or one generated from a custom dataset's classes and description.
    public func template(for entry: DatasetEntry) -> PromptTemplate {
        if entry.origin == .named, let template = byDataset[entry.name] { return template }
        return generated(name: entry.name, task: entry.description, classes: entry.labels)
    }

    /// Fills the custom template: `{task}`, `{classes}` ("0 = ham, 1 = spam"), `{name}`, `{param}`.
    public func generated(name: String, task: String, classes: [String], parameter: String = "text") -> PromptTemplate {
        var task = task.trimmingCharacters(in: .whitespacesAndNewlines)
        if let last = task.last, !".!?".contains(last) { task += "." }
        let classList = classes.enumerated().map { "\($0.offset) = \($0.element)" }.joined(separator: ", ")
        func fill(_ text: String) -> String {
            text.replacingOccurrences(of: "{task}", with: task).replacingOccurrences(of: "{classes}", with: classList)
                .replacingOccurrences(of: "{name}", with: name).replacingOccurrences(of: "{param}", with: parameter)
        }
        return PromptTemplate(
            codeSystem: fill(custom.codeSystem), mission: fill(custom.mission), labelingInstruction: fill(custom.labelingInstruction),
            signature: fill(custom.signature), knowledgeSystem: fill(custom.knowledgeSystem), priorRequest: fill(custom.priorRequest),
            annotatorPrompt: fill(custom.annotatorPrompt))
    }
}
