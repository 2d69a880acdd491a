/// Where a program belongs: the dataset, mode, code model and prior of its metadata; for a file
/// without metadata (hand-written, copied in), the folders it lies in under the program folder,
/// `<dataset>/<mode>/<code-model>/[<prior>/]`. The pricing report, the programs browser and the
/// browser's actions all place programs by this one rule.
public struct ProgramPlacement: Sendable, Equatable {
    public var dataset: String?
    public var mode: String?
    public var codeModel: String?
    public var prior: String?
    /// The groups to file the program under: the metadata's four parts, else its folders.
    public var groupPath: [String]

    /// - Parameter relativePath: the file's path under the program folder ("demo/alchemist/gpt-4o/LF1.py"), if known.
    public init(_ program: LabelingProgram, relativePath: String?) {
        if let metadata = program.metadata {
            dataset = metadata.dataset
            mode = metadata.mode
            codeModel = metadata.codeModel
            prior = metadata.prior
            groupPath = [metadata.dataset, metadata.mode, metadata.codeModel] + (metadata.prior.map { [$0] } ?? [])
            return
        }
        let folders = (relativePath ?? "").split(separator: "/").dropLast().map(String.init)
        func part(_ index: Int) -> String? { index < folders.count ? folders[index] : nil }
        dataset = part(0)
        mode = part(1)
        codeModel = part(2)
        prior = folders.count > 3 ? folders[3...].joined(separator: "/") : nil
        groupPath = folders
    }
}
