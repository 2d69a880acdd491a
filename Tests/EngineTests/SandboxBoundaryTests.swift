@testable import Engine
import Foundation
import Testing
import TestSupport

/// The operating-system sandbox on its own: these programs run with the Python-level checks
/// switched off (full builtins, any import), as an escaped program would. Each returns 1 where
/// its attack worked and 0 where it did not, so its votes say what it achieved.
@Suite(.serialized) struct SandboxBoundaryTests {
    /// An attack: returns 1 if `body` (which sets `ok`) succeeded.
    static func attack(_ body: String) -> String {
        "import os, sys\ndef label_function(t):\n    ok = False\n    try:\n"
            + body.split(separator: "\n").map { "        " + $0 }.joined(separator: "\n")
            + "\n    except BaseException:\n        ok = False\n    return 1 if ok else 0\n"
    }

    static var settings: SandboxSettings {
        var settings = HostileProgramTests.settings
        settings.pythonLevelChecks = false
        return settings
    }

    @Test(.timeLimit(.minutes(2)))
    func theOSSandboxHoldsWithoutThePythonChecks() async throws {
        let texts = try SandboxFixtures.demoTexts(limit: 120)
        let scratch = try TestEnvironment.temporaryFolder("boundary")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // A world-writable folder to create a marker in, and a world-readable secret beside it.
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: scratch.path)
        let secret = scratch.appendingPathComponent("secret.txt")
        try Data("the-secret".utf8).write(to: secret)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret.path)
        let marker = scratch.appendingPathComponent("marker").path
        let config = try TestEnvironment.config()
        let dataFile = TestEnvironment.repositoryRoot.appendingPathComponent(config.paths.dataDir).appendingPathComponent("demo/valid.json").path
        let listener = try SilentListener()
        setenv("OPENAI_API_KEY", "sk-test-must-not-leak", 1)
        defer { unsetenv("OPENAI_API_KEY") }

        let attacks: [(String, String)] = [
            ("create_file", "fd = os.open('\(marker)', os.O_CREAT | os.O_WRONLY, 0o666)\nok = True"),
            ("make_folder", "os.mkdir('\(marker)-dir')\nok = True"),
            ("read_secret", "ok = open('\(secret.path)').read() == 'the-secret'"),
            ("read_dataset", "ok = len(open('\(dataFile)').read()) > 0"),
            ("see_host_files", "ok = any(os.path.exists(p) for p in ['/home', '/root', '/etc/passwd', '/tmp', '/proc/1', '\(scratch.path)'])"),
            ("connect_loopback", "import socket\ns = socket.create_connection(('127.0.0.1', \(listener.port)), timeout=1)\nok = True"),
            ("unix_socket", "import socket\nsocket.socket(socket.AF_UNIX)\nok = True"),
            ("run_shell", "ok = os.system('true') == 0"),
            ("spawn", "import subprocess\nok = subprocess.run(['/bin/true']).returncode == 0"),
            ("fork", "pid = os.fork()\nif pid == 0:\n    os._exit(0)\nok = True"),
            ("api_key", "ok = bool(os.environ.get('OPENAI_API_KEY'))"),
            ("signal_engine", "os.kill(\(getpid()), 0)\nok = True"),
            ("raise_limits", "import resource\nresource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))\nok = True"),
            ("new_namespace", "import ctypes\nok = ctypes.CDLL(None).unshare(0x10000000) == 0"),
            // seccomp answers EPERM; without it these would fail otherwise (EMFILE, ENOENT) or work.
            ("socket_past_seccomp", "import socket\ntry:\n    socket.socket()\n    ok = True\nexcept PermissionError:\n    ok = False\nexcept OSError:\n    ok = True"),
            ("exec_past_seccomp", "try:\n    os.execv(sys.executable, [sys.executable, '-c', 'pass'])\nexcept PermissionError:\n    ok = False\nexcept OSError:\n    ok = True"),
            // What a program could do to the sandbox's zygote, or leave behind for the next program it forks.
            ("signal_zygote", "os.kill(os.getppid(), 0)\nok = True"),
            ("signal_group", "os.kill(0, 0)\nok = True"),
            ("renice_zygote", "os.setpriority(os.PRIO_PROCESS, os.getppid(), 19)\nok = True"),
            ("sysv_memory", "import ctypes\nok = ctypes.CDLL(None).shmget(0x5eed, 4096, 0o1666) >= 0"),
            ("sysv_queue", "import ctypes\nok = ctypes.CDLL(None).msgget(0x5eed, 0o1666) >= 0"),
            ("write_dev_shm", "open('/dev/shm/trace', 'w')\nok = True"),
            ("make_dev_folder", "os.mkdir('/dev/trace')\nok = True"),
            ("find_a_socket", "import stat\nfor fd in range(64):\n    try:\n        ok = ok or stat.S_ISSOCK(os.fstat(fd).st_mode)\n    except OSError:\n        pass"),
        ]
        // Tampering with what programs share in one interpreter: each program has a process of its own.
        let tamper = """
        import collections, re, decimal, sys
        collections.Counter.__missing__ = lambda self, key: 7
        re.search = lambda *a, **k: None
        re.compile = lambda *a, **k: None
        decimal.getcontext().prec = 1
        frame = sys._getframe()
        while frame.f_back is not None:
            frame = frame.f_back
        frame.f_globals['send'] = lambda obj: None
        def label_function(t):
            return -1
        """
        let honest = HostileProgramTests.good + [
            "import collections\ndef label_function(t):\n    return 1 if collections.Counter(t.split())['zzz'] == 0 and 'down' in t else -1\n",
        ]
        let programs = [LabelingProgram(name: "tamper", code: tamper)]
            + honest.enumerated().map { LabelingProgram(name: "honest\($0.offset)", code: $0.element) }
            + attacks.map { LabelingProgram(name: $0.0, code: Self.attack($0.1)) }
        let outcome = try await ProgramApplier(settings: Self.settings).apply(programs, to: texts, classCount: 2)
        let reference = try ReferenceLabels.compute(honest, texts: texts, classCount: 2)
        for index in honest.indices {
            #expect(outcome.matrix.column(1 + index) == reference[index], "honest\(index): \(outcome.reports[1 + index])")
            #expect(outcome.reports[1 + index].faultCount == 0)
        }
        for (offset, attack) in attacks.enumerated() {
            let column = outcome.matrix.column(1 + honest.count + offset)
            #expect(!column.contains(1), "\(attack.0) succeeded: \(outcome.reports[1 + honest.count + offset])")
            #expect(column.contains(0), "\(attack.0) did not run: \(outcome.reports[1 + honest.count + offset])")
        }
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(!FileManager.default.fileExists(atPath: marker + "-dir"))
    }

    /// One sandbox forks program after program: each starts from the zygote's pristine interpreter,
    /// whatever the one before it changed (checks off: it changes what an escaped program could).
    @Test(.timeLimit(.minutes(2)))
    func programsForkedInOneSandboxStartPristine() async throws {
        let texts = try SandboxFixtures.demoTexts(limit: 120)
        let tamper = """
        import collections, decimal, re, sys
        collections.Counter.__missing__ = lambda self, key: 7
        re.search = lambda *a, **k: None
        decimal.getcontext().prec = 1
        worker = sys._getframe(1).f_globals
        if worker.get('DECODED') is not None:
            worker['DECODED'][:] = ['tampered'] * len(worker['DECODED'])
        def label_function(t):
            return -1
        """
        let honest = HostileProgramTests.good + [
            "import collections\ndef label_function(t):\n    return 1 if collections.Counter(t.split())['zzz'] == 0 and 'down' in t else -1\n",
            "import re\ndef label_function(t):\n    return 1 if re.search(r'crash|down', t) else -1\n",
            "import decimal\ndef label_function(t):\n    return 1 if len(str(decimal.Decimal(1) / decimal.Decimal(3))) > 20 else 0\n",
        ]
        var settings = Self.settings
        settings.workers = 1  // two sandboxes: the programs after the first two are forked where others ran
        let programs = [LabelingProgram(name: "tamper", code: tamper)]
            + honest.enumerated().map { LabelingProgram(name: "honest\($0.offset)", code: $0.element) }
        let outcome = try await ProgramApplier(settings: settings).apply(programs, to: texts, classCount: 2)
        let reference = try ReferenceLabels.compute(honest, texts: texts, classCount: 2)
        #expect(outcome.reports[0].faultCount == 0, "\(outcome.reports[0])")
        for index in honest.indices {
            #expect(outcome.matrix.column(1 + index) == reference[index], "honest\(index): \(outcome.reports[1 + index])")
        }
        #expect(outcome.restarts == 0)
        let sandboxes = Int(outcome.sandboxFacts["sandboxes"] ?? "") ?? 0
        #expect((1...2).contains(sandboxes), "\(outcome.sandboxFacts)")
        #expect(programs.count > sandboxes)
    }

    /// Time is the engine's: a program that switches the worker's timer off and sleeps, or spins,
    /// or floods the protocol channel, is killed by the engine within its limits and then stopped.
    @Test(.timeLimit(.minutes(2)))
    func programsThatSwitchOffTheTimerEndInBoundedTime() async throws {
        let texts = try SandboxFixtures.demoTexts(limit: 120)
        let sleeper = "import signal, time\nsignal.setitimer(signal.ITIMER_PROF, 0, 0)\nsignal.signal(signal.SIGPROF, signal.SIG_IGN)\n"
            + "def label_function(t):\n    signal.setitimer(signal.ITIMER_PROF, 0, 0)\n    time.sleep(3600)\n    return 1\n"
        let spinner = "import signal\ndef label_function(t):\n    signal.setitimer(signal.ITIMER_PROF, 0, 0)\n    while True:\n        pass\n"
        // The protocol descriptor is the writable pipe among the first few; an attacker finds it the same way.
        let protocolFD = "import os, stat\n"
            + "def find():\n    for fd in range(3, 16):\n        try:\n            if stat.S_ISFIFO(os.fstat(fd).st_mode):\n                os.write(fd, b'')\n                return fd\n        except OSError:\n            pass\n"
        let flooder = protocolFD + "FLOOD = b'x' * 5_000_000\ndef label_function(t):\n    fd = find()\n    for _ in range(20):\n        os.write(fd, FLOOD)\n    return 1\n"
        let forger = protocolFD + "def label_function(t):\n    os.write(find(), b'{\"b\": 99, \"e\": 0, \"t\": 0, \"m\": 0, \"x\": 0, \"l\": \"2\"}\\n')\n    return 1\n"
        let programs = [("sleeper", sleeper), ("spinner", spinner), ("flooder", flooder), ("forger", forger)].map {
            LabelingProgram(name: $0.0, code: $0.1)
        } + [LabelingProgram(name: "honest", code: HostileProgramTests.good[0])]
        let started = ContinuousClock.now
        let outcome = try await ProgramApplier(settings: Self.settings).apply(programs, to: texts, classCount: 2)
        let elapsed = ContinuousClock.now - started
        let abstain = [Int](repeating: -1, count: texts.count)
        for index in 0..<4 {
            let report = outcome.reports[index]
            #expect(report.stopped && report.kills == 2, "\(report)")
            #expect(outcome.matrix.column(index) == abstain, "\(report.name) voted")
        }
        #expect(outcome.reports[0].firstError?.contains("asleep or blocked") == true, "\(outcome.reports[0])")
        #expect(outcome.reports[1].firstError?.contains("of CPU on a batch") == true, "\(outcome.reports[1])")
        #expect(outcome.reports[2].firstError?.contains("broke the worker protocol") == true, "\(outcome.reports[2])")
        #expect(outcome.reports[3].firstError?.contains("broke the worker protocol") == true, "\(outcome.reports[3])")
        #expect(outcome.matrix.column(4) == (try ReferenceLabels.compute([HostileProgramTests.good[0]], texts: texts, classCount: 2))[0])
        // Each of the four is killed twice within a few seconds of engine limits; far from the sleep.
        #expect(elapsed < .seconds(60), "took \(elapsed)")
    }

    /// A process that dies while the engine writes a large batch to it: the write fails with EPIPE
    /// (SIGPIPE is ignored), the death is counted, and the run goes on.
    @Test(.timeLimit(.minutes(2)))
    func aProcessThatDiesWhileTheEngineWritesDoesNotEndTheEngine() async throws {
        let texts = (0..<4000).map { "row \($0) " + String(repeating: "long text ", count: 300) }
        let dies = "import os\ndef label_function(t):\n    os._exit(3)\n"
        var settings = Self.settings
        settings.batchSize = 2000  // 6 MB a batch: more than a pipe holds
        let programs = [LabelingProgram(name: "dies", code: dies), LabelingProgram(name: "honest", code: "def label_function(t):\n    return 1 if 'row 1' in t else 0\n")]
        let outcome = try await ProgramApplier(settings: settings).apply(programs, to: texts, classCount: 2)
        #expect(outcome.reports[0].kills == 2 && outcome.reports[0].stopped, "\(outcome.reports[0])")
        #expect(outcome.reports[0].firstError?.contains("status 3") == true, "\(outcome.reports[0])")
        #expect(outcome.matrix.column(1) == texts.map { $0.contains("row 1") ? 1 : 0 })
    }

    @Test func theLimitsAreTheEnginesAndNamed() {
        var settings = SandboxSettings.defaults
        settings.callTimeoutSeconds = 1
        settings.cpuMillisecondsPerRow = 20
        let limits = SandboxLimits(settings: settings)
        #expect(limits.batchCPU(rows: 1000) == 24)
        #expect(limits.violation(rows: 1000, cpu: 23, wall: 25, idle: 0.5) == nil)
        #expect(limits.violation(rows: 1000, cpu: 24.5, wall: 25, idle: 0)?.contains("more than 24 s of CPU on a batch of 1000 rows") == true)
        #expect(limits.violation(rows: 10, cpu: 0.1, wall: 5, idle: 4.5)?.contains("asleep or blocked") == true)
        #expect(limits.violation(rows: 10, cpu: nil, wall: 31, idle: 31)?.contains("no answer after 30 s") == true)
        #expect(limits.violation(rows: nil, cpu: 3.6, wall: 4, idle: 0)?.contains("on loading") == true)
    }

    @Test func workersAreCappedByCoresAndWork() {
        var settings = SandboxSettings.defaults
        settings.workers = 1000
        let capped = settings.effectiveWorkers(programs: 10, batches: 1000, cores: 2)
        #expect(capped.count == 2)
        #expect(capped.note?.contains("1000 workers asked for, 2 used") == true)
        settings.workers = 0
        #expect(settings.effectiveWorkers(programs: 1, batches: 1, cores: 8).count == 1)
        #expect(settings.effectiveWorkers(programs: 3, batches: 2, cores: 8).count == 6)
    }
}

@Suite struct ProcessTreeCPUTests {
    /// Both ways of finding a sandbox's processes agree (the /proc scan is for kernels without the
    /// children files), and a busy child's CPU counts for its tree.
    @Test func childrenAreFoundEitherWayAndTheirCPUCounts() throws {
        let process = try SandboxProcess(executable: "/bin/sh", arguments: ["-c", "sleep 5 & (while :; do :; done) & wait"],
                                         environment: ["PATH": "/usr/bin:/bin"], account: nil)
        defer { process.kill() }
        Thread.sleep(forTimeInterval: 0.6)
        let byScan = Set(ProcessTreeCPU.childrenByScan()[process.pid] ?? [])
        #expect(byScan.count == 2, "\(byScan)")
        if ProcessTreeCPU.hasChildrenFiles {  // kernels without CONFIG_PROC_CHILDREN have only the scan
            #expect(Set(ProcessTreeCPU.childrenFromFile(of: process.pid)) == byScan)
        }
        var table = ProcessTable()
        #expect(Set(table.children(of: process.pid)) == byScan)
        // The spinning child's CPU shows in its tree (waited for: other tests may share the cores).
        var seconds = 0.0
        let deadline = ContinuousClock.now + .seconds(10)
        while seconds <= 0.2, ContinuousClock.now < deadline {
            var fresh = ProcessTable()
            seconds = ProcessTreeCPU.seconds(root: process.pid, table: &fresh) ?? 0
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(seconds > 0.2)
    }
}
