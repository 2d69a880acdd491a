import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP request whose body is delivered as it arrives. On Linux, Foundation streams only
/// through a data delegate (`URLSession.bytes` does not exist there), so this bridges the
/// delegate's callbacks to async code: the head is awaited first, then the body is a stream of
/// chunks. Ending the body stream early (or cancelling the awaiting task) cancels the request.
///
/// An idle watchdog fails the request with `URLError(.timedOut)` when no byte (head or body)
/// has arrived for `idleTimeout` seconds: Foundation's own request timeout did not end a body
/// that stalled after its first bytes here.
enum HTTPStream {
    static func open(_ request: URLRequest, idleTimeout: Double) async throws -> (HTTPURLResponse, AsyncThrowingStream<Data, Error>) {
        let (body, continuation) = AsyncThrowingStream<Data, Error>.makeStream()
        let bridge = DelegateBridge(body: continuation)
        let session = URLSession(configuration: .ephemeral, delegate: bridge, delegateQueue: nil)
        let task = session.dataTask(with: request)
        let watchdog = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                if bridge.idleSeconds() > idleTimeout {
                    bridge.fail(URLError(.timedOut))
                    task.cancel()
                    return
                }
            }
        }
        continuation.onTermination = { _ in
            watchdog.cancel()
            task.cancel()
            session.invalidateAndCancel()
        }
        do {
            let head = try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<HTTPURLResponse, Error>) in
                    bridge.setHeadWaiter(waiter)
                    task.resume()
                }
            } onCancel: {
                task.cancel()
            }
            return (head, body)
        } catch {
            continuation.finish()
            throw error
        }
    }
}

private final class DelegateBridge: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    private let lock = NSLock()
    private var headWaiter: CheckedContinuation<HTTPURLResponse, Error>?
    private var headDelivered = false
    /// A head result that came before the waiter was set.
    private var earlyHead: Result<HTTPURLResponse, Error>?
    private var lastActivity = ContinuousClock.now
    private var failed = false
    private let body: AsyncThrowingStream<Data, Error>.Continuation

    init(body: AsyncThrowingStream<Data, Error>.Continuation) { self.body = body }

    func idleSeconds() -> Double {
        let last = lock.withLock { lastActivity }
        let elapsed = ContinuousClock.now - last
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    private func touch() { lock.withLock { lastActivity = ContinuousClock.now } }

    func setHeadWaiter(_ waiter: CheckedContinuation<HTTPURLResponse, Error>) {
        let early: Result<HTTPURLResponse, Error>? = lock.withLock {
            if let earlyHead { return earlyHead }
            headWaiter = waiter
            lastActivity = ContinuousClock.now
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

    /// Ends the request with `error`, whichever phase it is in.
    func fail(_ error: Error) {
        lock.withLock { failed = true }
        resumeHead(.failure(error))
        body.finish(throwing: error)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping (URLSession.ResponseDisposition) -> Void) {
        touch()
        if let http = response as? HTTPURLResponse {
            resumeHead(.success(http))
            completionHandler(.allow)
        } else {
            resumeHead(.failure(URLError(.badServerResponse)))
            completionHandler(.cancel)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        touch()
        body.yield(data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if lock.withLock({ failed }) { return }  // the watchdog already ended it
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
