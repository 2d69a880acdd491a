import Dispatch
import Engine
import Foundation

/// On Ctrl-C or SIGTERM, ends the sandbox workers (they run in their own process groups, so the
/// terminal's signal does not reach them) and exits with the conventional status.
enum InterruptHandler {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                WorkerRegistry.shared.killAll()
                FileHandle.standardError.write(Data("\nalchemist: interrupted\n".utf8))
                exit(128 + signalNumber)
            }
            source.resume()
            sources.append(source)
        }
    }
}
