import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

public struct FetchError: Error, CustomStringConvertible, Sendable {
    public let url: String
    public let reason: String
    public var description: String { "\(url): \(reason)" }
}

/// Progress of one download: which file, bytes so far, bytes expected when the server said.
public struct FetchProgress: Sendable {
    public var file: String
    public var received: Int64
    public var expected: Int64?
}

/// Downloads a named dataset by its `FetchRoute`: the four WRENCH files from the mirror, or the
/// files of its public source, converted by `SourceConverter`. Everything lands in a hidden
/// staging folder and is checked by loading it before the dataset's folder takes its name: a cut
/// download or a changed format leaves nothing behind under the dataset's name.
public struct DatasetFetcher: Sendable {
    public let baseURL: URL
    public let timeoutSeconds: Int
    /// When set (`--base-url`, ALCHEMIST_FETCH_BASE_URL), public sources are read from
    /// `<base>/<dataset>/<file name>` instead of their own URLs, like the mirror's layout.
    public let sourceBaseURL: URL?

    public static let files = ["label.json", "train.json", "valid.json", "test.json"]

    public init(baseURL: URL, timeoutSeconds: Int, sourceBaseURL: URL? = nil) {
        self.baseURL = baseURL
        self.timeoutSeconds = timeoutSeconds
        self.sourceBaseURL = sourceBaseURL
    }

    /// The mirror to use: `flag`, else ALCHEMIST_FETCH_BASE_URL, else config.json `fetch.base_url`.
    /// A flag or the environment also stands in for the public sources' own URLs.
    public static func mirror(config: AppConfig, flag: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatasetFetcher {
        let override = flag ?? environment["ALCHEMIST_FETCH_BASE_URL"]
        let base = override ?? config.fetch.baseURL
        guard let url = URL(string: base), url.scheme == "https" || url.scheme == "http" else {
            throw FetchError(url: base, reason: "the fetch base URL is not an http(s) URL")
        }
        return DatasetFetcher(baseURL: url, timeoutSeconds: config.fetch.timeoutSeconds, sourceBaseURL: override == nil ? nil : url)
    }

    /// - Returns: the dataset's new folder.
    public func fetch(_ spec: DatasetSpec, into dataDir: URL, replace: Bool = false,
                      progress: @escaping @Sendable (FetchProgress) -> Void = { _ in }) async throws -> URL {
        let route = FetchRoute.of(spec)
        if case .unavailable(let reason) = route {
            throw FetchError(url: spec.name, reason: reason)
        }
        let target = dataDir.appendingPathComponent(spec.name)
        if FileManager.default.fileExists(atPath: target.path) && !replace {
            throw FetchError(url: target.path, reason: "already present (pass --force to download again)")
        }
        try FileManager.default.createDirectory(at: dataDir, withIntermediateDirectories: true)
        let staging = dataDir.appendingPathComponent(".fetch-\(spec.name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: staging) }
        switch route {
        case .wrenchMirror(let remote):
            for file in Self.files {
                let url = baseURL.appendingPathComponent(remote).appendingPathComponent(file)
                try await download(url, to: staging.appendingPathComponent(file), name: file, progress: progress)
            }
            _ = try WrenchLoader.load(folder: staging, name: spec.name, expectedLabels: spec.labels)
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.moveItem(at: staging, to: target)
            return target
        case .publicSource(let source):
            var downloads: [SourceConverter.Download] = []
            for (index, file) in source.files.enumerated() {
                let url = try sourceURL(file, dataset: spec.name)
                let local = staging.appendingPathComponent("\(index)-\(file.name)")
                try await download(url, to: local, name: file.name, progress: progress)
                downloads.append(SourceConverter.Download(file: file, url: url.absoluteString, local: local))
            }
            return try SourceConverter.install(source, spec: spec, downloads: downloads, into: dataDir, replace: replace)
        case .unavailable:
            throw FetchError(url: spec.name, reason: "no public source")  // handled above
        }
    }

    /// Where one file of a public source is read from: its own URL, or `<base>/<dataset>/<name>`.
    func sourceURL(_ file: SourceFile, dataset: String) throws -> URL {
        if let sourceBaseURL {
            return sourceBaseURL.appendingPathComponent(dataset).appendingPathComponent(file.name)
        }
        guard let url = URL(string: file.url) else { throw FetchError(url: file.url, reason: "not a URL") }
        return url
    }

    private func download(_ url: URL, to file: URL, name: String, progress: @escaping @Sendable (FetchProgress) -> Void) async throws {
        guard FileManager.default.createFile(atPath: file.path, contents: nil), let handle = try? FileHandle(forWritingTo: file) else {
            throw FetchError(url: file.path, reason: "cannot create the file")
        }
        defer { try? handle.close() }
        var request = URLRequest(url: url)
        request.timeoutInterval = TimeInterval(max(1, timeoutSeconds))
        let delegate = DownloadDelegate(handle: handle, name: name, progress: progress)
        let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                delegate.continuation = continuation
                session.dataTask(with: request).resume()
            }
        } onCancel: {
            session.invalidateAndCancel()
        }
        if let status = delegate.status, status != 200 {
            throw FetchError(url: url.absoluteString, reason: "HTTP \(status)")
        }
        if let expected = delegate.expected, delegate.received != expected {
            throw FetchError(url: url.absoluteString, reason: "download cut short: \(delegate.received) of \(expected) bytes")
        }
    }
}

/// Writes a response body to a file as it arrives and reports progress.
private final class DownloadDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let handle: FileHandle
    let name: String
    let progress: @Sendable (FetchProgress) -> Void
    var continuation: CheckedContinuation<Void, Error>?
    var status: Int?
    var expected: Int64?
    var received: Int64 = 0
    var writeError: Error?

    init(handle: FileHandle, name: String, progress: @escaping @Sendable (FetchProgress) -> Void) {
        self.handle = handle
        self.name = name
        self.progress = progress
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        let http = response as? HTTPURLResponse
        status = http?.statusCode
        expected = response.expectedContentLength >= 0 ? response.expectedContentLength : nil
        completionHandler(status == 200 ? .allow : .cancel)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        do { try handle.write(contentsOf: data) } catch {
            writeError = error
            dataTask.cancel()
            return
        }
        received += Int64(data.count)
        progress(FetchProgress(file: name, received: received, expected: expected))
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        guard let continuation else { return }
        self.continuation = nil
        if let writeError {
            continuation.resume(throwing: FetchError(url: name, reason: "cannot write: \(writeError.localizedDescription)"))
        } else if let status, status != 200 {
            continuation.resume()  // the caller reports the status
        } else if let error {
            let url = task.originalRequest?.url?.absoluteString ?? name
            continuation.resume(throwing: FetchError(url: url, reason: error.localizedDescription))
        } else {
            continuation.resume()
        }
    }
}

extension FetchError: InputError {}
