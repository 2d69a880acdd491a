import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Process groups of running program processes, so an interrupted app can end them all at once
/// (from a signal handler's queue, while the scheduler's thread may be busy).
public final class WorkerRegistry: Sendable {
    public static let shared = WorkerRegistry()
    private let groups = Mutex<Set<pid_t>>([])

    func insert(_ pid: pid_t) { groups.withLock { _ = $0.insert(pid) } }
    func remove(_ pid: pid_t) { groups.withLock { _ = $0.remove(pid) } }

    /// Kills every running program process's group (for SIGINT/SIGTERM handlers). Each bubblewrap
    /// sandbox takes everything inside it down with it.
    public func killAll() {
        for pid in groups.withLock({ $0 }) { _ = Glibc.kill(-pid, SIGKILL) }
    }
}
