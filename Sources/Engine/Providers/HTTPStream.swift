import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request whose body is delivered as it arrives. On Linux, Foundation streams only
/// through a data delegate (`URLSession.bytes` does not exist there), so this bridges the
/// delegate's callbacks to async code: the head is awaited first, then the body is a stream of
/// chunks. Ending the body stream early (or cancelling the awaiting task) cancels the request.
///
/// `URLRequest.timeoutInterval` acts as an idle timeout in this Foundation (whole seconds only),
/// which is the stalled-stream watchdog.
enum HTTPStream {
    static func open(_ request: URLRequest) async throws -> (HTTPURLResponse, AsyncThrowingStream<Data, Error>) {
        let (body, continuation) = AsyncThrowingStream<Data, Error>.makeStream()
        let bridge = DelegateBridge(body: continuation)
        let session = URLSession(configuration: .ephemeral, delegate: bridge, delegateQueue: nil)
        let task = session.dataTask(with: request)
        continuation.onTermination = { _ in
            task.cancel()
            session.invalidateAndCancel()
        }
        let head = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<HTTPURLResponse, Error>) in
                bridge.setHeadWaiter(waiter)
                task.resume()
            }
        } onCancel: {
            task.cancel()
        }
        return (head, body)
    }
}

private final class DelegateBridge: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var headWaiter: CheckedContinuation<HTTPURLResponse, Error>?
    private var headDelivered = false
    /// A head result that came before the waiter was set.
    private var earlyHead: Result<HTTPURLResponse, Error>?
    private let body: AsyncThrowingStream<Data, Error>.Continuation

    init(body: AsyncThrowingStream<Data, Error>.Continuation) { self.body = body }

    func setHeadWaiter(_ waiter: CheckedContinuation<HTTPURLResponse, Error>) {
        let early: Result<HTTPURLResponse, Error>? = lock.withLock {
            if let earlyHead { return earlyHead }
            headWaiter = waiter
            return nil
        }
        if let early { waiter.resume(with: early) }
    }

    private func resumeHead(_ result: Result<HTTPURLResponse, Error>) {
        let waiter: CheckedContinuation<HTTPURLResponse, Error>? = lock.withLock {
            guard !headDelivered else { return nil }
            headDelivered = true
            guard let waiter = headWaiter else {
                earlyHead = result
                return nil
            }
            headWaiter = nil
            return waiter
        }
        waiter?.resume(with: result)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        if let http = response as? HTTPURLResponse {
            resumeHead(.success(http))
            completionHandler(.allow)
        } else {
            resumeHead(.failure(URLError(.badServerResponse)))
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        body.yield(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error {
            resumeHead(.failure(error))
            body.finish(throwing: error)
        } else {
            resumeHead(.failure(URLError(.badServerResponse)))
            body.finish()
        }
        session.finishTasksAndInvalidate()
    }
}
