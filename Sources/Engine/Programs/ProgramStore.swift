import Foundation
#if canImport(Glibc)
import Glibc
#endif

public struct ProgramStoreError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let reason: String
    public var description: String { "\(path): \(reason)" }
}

/// Saves and finds program files under the labeling-program folder:
/// `<lf-dir>/<dataset>/<mode>/<code-model>/[<prior>/]LF<n>.py`.
public struct ProgramStore: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    /// - Throws: when a part would step outside the store (empty, ".", "..", a leading dot, a slash).
    public func folder(dataset: String, mode: String, codeModel: String, prior: String?) throws -> URL {
        var url = root
        for part in [dataset, mode, codeModel] + (prior.map { [$0] } ?? []) {
            guard !part.isEmpty, !part.hasPrefix("."), !part.contains("/"), !part.contains("\0") else {
                throw ProgramStoreError(path: root.path, reason: "\"\(part)\" cannot be a folder name of the program store")
            }
            url.appendPathComponent(part)
        }
        return url
    }

    /// Writes `contents` as the next free `LF<n>.py` in `folder`. The file appears whole or not at all,
    /// and two processes saving at once get different numbers: the name is claimed with link(2),
    /// which fails when the name exists.
    @discardableResult
    public func saveNext(_ contents: String, in folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temp = folder.appendingPathComponent(".LF-\(getpid())-\(UUID().uuidString).tmp")
        do {
            try Data(contents.utf8).write(to: temp)
        } catch {
            throw ProgramStoreError(path: temp.path, reason: "cannot write (\(error.localizedDescription))")
        }
        defer { unlink(temp.path) }
        var number = nextNumber(in: folder)
        for _ in 0..<10_000 {
            let target = folder.appendingPathComponent("LF\(number).py")
            if link(temp.path, target.path) == 0 { return target }
            let code = errno
            guard code == EEXIST else {
                throw ProgramStoreError(path: target.path, reason: "cannot save (\(String(cString: strerror(code))))")
            }
            number += 1
        }
        throw ProgramStoreError(path: folder.path, reason: "no free LF<n>.py name")
    }

    /// Saves a program with its header as the next `LF<n>.py` of the folder its metadata places it
    /// in (dataset / mode / code model / prior): the one way programs reach the store, generated or
    /// saved by hand. Returns the file and the text written.
    public func save(code: String, prompt: String, inputTokens: Int, outputTokens: Int, cost: Decimal,
                     metadata: ProgramMetadata) throws -> (url: URL, text: String) {
        let text = try ProgramFile.render(prompt: prompt, inputTokens: inputTokens, outputTokens: outputTokens, cost: cost,
                                          metadata: metadata, code: code)
        let url = try saveNext(text, in: try folder(dataset: metadata.dataset, mode: metadata.mode, codeModel: metadata.codeModel,
                                                    prior: metadata.prior))
        return (url, text)
    }

    /// A program written by hand (`programs save`): filed under the given dataset, mode, code model
    /// and prior, with no stages and no cost.
    public func saveHandwritten(code: String, from file: String, dataset: String, mode: String, codeModel: String,
                                prior: String?) throws -> URL {
        let metadata = ProgramMetadata(dataset: dataset, mode: mode, codeModel: codeModel, knowledgeModel: nil, prior: prior,
                                       stages: [], created: ProgramMetadata.now(), runID: RunID.make())
        return try save(code: code, prompt: "(saved by hand from \(URL(fileURLWithPath: file).lastPathComponent))",
                        inputTokens: 0, outputTokens: 0, cost: 0, metadata: metadata).url
    }

    /// One more than the highest `LF<n>.py` in the folder.
    public func nextNumber(in folder: URL) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let numbers = names.compactMap { name -> Int? in
            guard name.hasPrefix("LF"), name.hasSuffix(".py") else { return nil }
            return Int(name.dropFirst(2).dropLast(3))
        }
        return (numbers.max() ?? 0) + 1
    }

    /// The readable programs of `scan(under:)`, for callers that do not report skipped files
    /// (pricing, generation's duplicate check): a file that cannot be read is left out.
    ///
    /// - Throws: when `folder` does not exist or cannot be listed.
    public static func programs(under folder: URL) throws -> [LabelingProgram] {
        try scan(under: folder).programs
    }
}

extension ProgramStoreError: InputError {}
