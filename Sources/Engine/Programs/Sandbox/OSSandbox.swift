import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// How program processes are started: inside bubblewrap (the operating-system boundary), or,
/// only when the user asked for it, directly with the Python-level checks alone.
struct SandboxLaunch: Sendable {
    /// What is exec'd: bwrap, or the interpreter itself.
    let executable: String
    /// Arguments before the worker's own (`-c SCRIPT`).
    let prefix: [String]
    /// The account a root engine starts the process as.
    let account: SandboxAccount?
    /// True when the OS sandbox confines the process.
    let isolated: Bool
    /// What the engine itself knows about the confinement (the worker adds its own facts).
    let facts: [String: String]

    func arguments(script: String) -> [String] { prefix + ["-c", script] }
}

struct SandboxAccount: Sendable, Equatable {
    let name: String
    let uid: uid_t
    let gid: gid_t
}

/// Finds bubblewrap, checks that it can make the namespaces here, and builds its command line.
/// The check runs once per process and setting; its answer is cached.
enum OSSandbox {
    /// The whole environment of a program process: nothing is inherited, so no key can reach it.
    static let environment = ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
    /// Interpreter flags: isolated mode (no PYTHON* variables, no user site, no current folder on
    /// sys.path), no site module (no site-packages at all), unbuffered.
    static let pythonFlags = ["-I", "-S", "-u"]

    private struct Key: Hashable { let python: String; let account: String?; let allowUnsafe: Bool }
    private static let cache = Mutex<[Key: Result<SandboxLaunch, SandboxError>]>([:])

    /// - Throws: `SandboxError` when no OS sandbox can be made and the user did not pass
    ///   `--unsafe-no-os-sandbox`, or when the interpreter or the account is unusable.
    static func launch(settings: SandboxSettings) throws -> SandboxLaunch {
        let python = try ProgramApplier.resolvePython(settings.python)
        let account = try Self.account(settings.dropPrivilegesTo)
        let key = Key(python: python, account: account?.name, allowUnsafe: settings.allowWithoutOSSandbox)
        if let known = cache.withLock({ $0[key] }) { return try known.get() }
        let result: Result<SandboxLaunch, SandboxError>
        do {
            result = .success(try make(python: python, account: account, allowUnsafe: settings.allowWithoutOSSandbox))
        } catch let error as SandboxError {
            result = .failure(error)
        }
        cache.withLock { $0[key] = result }
        return try result.get()
    }

    /// The account to switch to when the engine runs as root; nil otherwise.
    static func account(_ name: String) throws -> SandboxAccount? {
        guard geteuid() == 0 else { return nil }
        guard let entry = getpwnam(name) else {
            throw SandboxError(reason: "sandbox.drop_privileges_to: there is no account \"\(name)\" on this machine (create it, or name another unprivileged account in config.json)")
        }
        guard entry.pointee.pw_uid != 0 else {
            throw SandboxError(reason: "sandbox.drop_privileges_to: \"\(name)\" is root; programs must run as an unprivileged account")
        }
        return SandboxAccount(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
    }

    private static func make(python: String, account: SandboxAccount?, allowUnsafe: Bool) throws -> SandboxLaunch {
        let direct = SandboxLaunch(executable: python, prefix: pythonFlags, account: account, isolated: false, facts: [:])
        let problem: String
        if let bwrap = findBubblewrap() {
            let runtime = try PythonRuntime.probe(python, account: account)
            let launch = bubblewrap(bwrap, python: python, runtime: runtime, account: account)
            if let failure = trial(launch) { problem = failure } else { return launch }
        } else {
            problem = "bubblewrap (bwrap) is not installed; install it with `sudo apt-get install bubblewrap` (./scripts/setup does)"
        }
        guard allowUnsafe else {
            throw SandboxError(reason: "LLM-written programs run only inside an operating-system sandbox, and none can be made here: \(problem). "
                + "To run them anyway with the Python-level checks alone (which are not a boundary), pass --unsafe-no-os-sandbox.")
        }
        var facts = direct.facts
        facts["os_sandbox"] = "none (--unsafe-no-os-sandbox: \(problem))"
        return SandboxLaunch(executable: python, prefix: pythonFlags, account: account, isolated: false, facts: facts)
    }

    /// `ALCHEMIST_BWRAP` names bubblewrap where it is not on the usual paths (and lets tests take it away).
    static func findBubblewrap() -> String? {
        if let named = ProcessInfo.processInfo.environment["ALCHEMIST_BWRAP"], !named.isEmpty {
            return FileManager.default.isExecutableFile(atPath: named) ? named : nil
        }
        for candidate in ["/usr/bin/bwrap", "/bin/bwrap", "/usr/local/bin/bwrap"] where FileManager.default.isExecutableFile(atPath: candidate) {
            return candidate
        }
        return ProgramApplier.searchPath("bwrap")
    }

    /// The bubblewrap command: every namespace new (user, mount, PID, IPC, UTS, network, cgroup), a root
    /// holding only the interpreter and the libraries it loads, read-only; no /proc, /etc, /home,
    /// /tmp, data or app folders; all capabilities dropped; uid and gid 65534 inside; a new session
    /// (no terminal to inject keys into); killed when the engine ends.
    static func bubblewrap(_ bwrap: String, python: String, runtime: PythonRuntime, account: SandboxAccount?) -> SandboxLaunch {
        var arguments = [
            "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--uid", "65534", "--gid", "65534",
            "--hostname", "sandbox", "--clearenv",
        ]
        for (key, value) in environment.sorted(by: { $0.key < $1.key }) { arguments += ["--setenv", key, value] }
        arguments += runtime.mounts
        // /dev read-only too: the program processes one sandbox forks in turn share no writable place.
        arguments += ["--dev", "/dev", "--remount-ro", "/dev", "--remount-ro", "/", "--chdir", "/", "--", runtime.executable] + pythonFlags
        let facts = [
            "os_sandbox": "bubblewrap: new user, mount, PID, IPC, UTS and network namespaces; read-only root with only the Python runtime",
            "os_user": account.map { "\($0.name) (uid \($0.uid)) outside, 65534 inside" } ?? "uid \(getuid()) outside, 65534 inside",
        ]
        return SandboxLaunch(executable: bwrap, prefix: arguments, account: account, isolated: true, facts: facts)
    }

    /// Starts the sandbox once with a trivial script; nil when it works, else what went wrong.
    private static func trial(_ launch: SandboxLaunch) -> String? {
        do {
            let (end, out, err) = try SandboxProcess.capture(
                executable: launch.executable, arguments: launch.arguments(script: "print('ok')"),
                environment: environment, account: launch.account.map { ($0.uid, $0.gid) }, timeout: .seconds(20))
            if end == .exited(0), String(decoding: out, as: UTF8.self).hasPrefix("ok") { return nil }
            let said = String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            let hint = said.contains("namespace") || said.contains("Operation not permitted") || said.contains("setting up uid map")
                ? " (unprivileged user namespaces look disabled: allow them with `sysctl kernel.unprivileged_userns_clone=1`, or on Ubuntu 24.04 and later `sysctl kernel.apparmor_restrict_unprivileged_userns=0`)"
                : ""
            return "bubblewrap could not start a sandbox (\(end.map(String.init(describing:)) ?? "no end")): \(ProgramOutputText.clean(said, limit: 240))\(hint)"
        } catch {
            return "bubblewrap could not start: \(error)"
        }
    }
}

/// Where an interpreter keeps what it needs: the executable, its standard library and the shared
/// libraries it loads. Asked of the interpreter itself, outside the sandbox (it is the user's
/// configured, trusted interpreter; no program has run in it).
struct PythonRuntime: Sendable {
    let executable: String
    /// bwrap arguments: read-only binds of the runtime, and the symbolic links of merged-/usr systems.
    let mounts: [String]

    static let probeScript = """
    import json, os, sys, sysconfig
    paths = sysconfig.get_paths()
    print(json.dumps({"executable": os.path.realpath(sys.executable),
                      "folders": [paths.get("stdlib"), paths.get("platstdlib"), sysconfig.get_config_var("LIBDIR"),
                                  sysconfig.get_config_var("DESTSHARED")]}))
    """

    static func probe(_ python: String, account: SandboxAccount?) throws -> PythonRuntime {
        let (end, out, err) = try SandboxProcess.capture(
            executable: python, arguments: ["-I", "-S", "-c", probeScript], environment: OSSandbox.environment,
            account: account.map { ($0.uid, $0.gid) }, timeout: .seconds(20))
        guard end == .exited(0), let object = try? JSONSerialization.jsonObject(with: Data(out)) as? [String: Any],
              let executable = object["executable"] as? String else {
            let said = ProgramOutputText.clean(String(decoding: err, as: UTF8.self), limit: 240)
            let who = account.map { " as \($0.name)" } ?? ""
            throw SandboxError(reason: "the interpreter \(python) does not run\(who) (\(end.map(String.init(describing:)) ?? "no end")): \(said)")
        }
        let folders = (object["folders"] as? [Any] ?? []).compactMap { $0 as? String }
        return PythonRuntime(executable: executable, mounts: mounts(executable: executable, folders: folders))
    }

    /// Binds the executable, the interpreter's folders and the system library folders (the dynamic
    /// loader, libc, libffi for ctypes, ...), keeping symbolic links such as /lib → usr/lib as links.
    static func mounts(executable: String, folders: [String]) -> [String] {
        let fileManager = FileManager.default
        var wanted = [executable] + folders + ["/lib", "/lib64", "/lib32", "/usr/lib", "/usr/lib64", "/usr/lib32"]
        wanted = wanted.filter { !$0.isEmpty && fileManager.fileExists(atPath: $0) }
        var links: [(String, String)] = [], binds: [String] = []
        for path in wanted {
            if let target = try? fileManager.destinationOfSymbolicLink(atPath: path), path.hasPrefix("/lib") {
                links.append((target, path))
                continue
            }
            let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            binds.append(real)
        }
        // A folder inside another bound folder needs no bind of its own.
        let unique = Array(Set(binds)).sorted()
        let outer = unique.filter { path in !unique.contains { $0 != path && path.hasPrefix($0 + "/") } }
        var arguments: [String] = []
        for path in outer { arguments += ["--ro-bind", path, path] }
        for (target, path) in links where !outer.contains(path) { arguments += ["--symlink", target, path] }
        return arguments
    }
}
