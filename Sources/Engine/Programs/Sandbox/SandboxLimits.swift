import Foundation

/// The engine's limits on a program process, from the settings. The engine measures them itself
/// (CPU time from /proc, wall time from its own clock), so no program can switch them off; the
/// worker's own per-call timer only turns a slow call into an abstain sooner.
struct SandboxLimits: Sendable, Equatable {
    let settings: SandboxSettings

    /// CPU for starting bubblewrap and the interpreter and importing the allowed modules.
    var startupCPU: Double { 1.5 }

    /// CPU allowed from the start of the process until the program has loaded.
    var loadCPU: Double { startupCPU + settings.loadSeconds }

    /// How long a process with work in hand may use no CPU at all before it is taken for asleep or
    /// blocked (an honest worker with a batch is always computing).
    var idleSeconds: Double { max(2, settings.callTimeoutSeconds * 3 + 1) }

    /// Slack per batch for a few calls that run up to their budget.
    var batchSlack: Double { settings.callTimeoutSeconds * 3 + 1 }

    /// CPU allowed for one batch of `rows` texts.
    func batchCPU(rows: Int) -> Double { Double(rows) * settings.cpuMillisecondsPerRow / 1000 + batchSlack }

    /// Wall time allowed for one batch, for a machine so loaded that the process gets little CPU.
    func batchWall(rows: Int) -> Double { max(30, 4 * batchCPU(rows: rows)) }

    var loadWall: Double { max(30, 4 * loadCPU) }

    /// CPU one program may use over a whole run on `rows` texts, all its processes together.
    func runCPU(rows: Int) -> Double { loadCPU + Double(rows) * settings.cpuMillisecondsPerRow / 1000 + batchSlack }

    /// What a process with work in hand is doing wrong, if anything.
    /// - Parameters:
    ///   - rows: the rows of the batch it is working on; nil while it loads.
    ///   - cpu: CPU seconds it used on this batch (or since it started, while loading).
    ///   - wall: seconds since the batch (or the process) started.
    ///   - idle: seconds since its CPU time last moved.
    func violation(rows: Int?, cpu: Double?, wall: Double, idle: Double) -> String? {
        let cpuLimit = rows.map { batchCPU(rows: $0) } ?? loadCPU
        let what = rows.map { "a batch of \($0) rows" } ?? "loading"
        if let cpu, cpu > cpuLimit {
            let allowance = rows.map { _ in " (\(format(settings.cpuMillisecondsPerRow)) ms a row + \(format(batchSlack)) s)" } ?? ""
            return "used more than \(format(cpuLimit)) s of CPU on \(what)\(allowance)"
        }
        if cpu != nil, idle > idleSeconds {
            return "stopped working for \(format(idleSeconds)) s without answering (asleep or blocked) while \(rows == nil ? "loading" : "on a batch")"
        }
        let wallLimit = rows.map { batchWall(rows: $0) } ?? loadWall
        if wall > wallLimit { return "no answer after \(format(wallLimit)) s on \(what)" }
        return nil
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.2f", value).replacingOccurrences(of: #"0+$"#, with: "", options: .regularExpression)
    }
}
