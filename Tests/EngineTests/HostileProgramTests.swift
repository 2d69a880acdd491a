import Engine
import Foundation
import Testing
import TestSupport

/// LLM-written code is untrusted. Each hostile program here must be contained and reported,
/// while the well-behaved programs applied in the same run keep exactly their labels.
@Suite(.serialized) struct HostileProgramTests {
    static let good = [
        "import re\nPATTERN = re.compile(r'down|crash|outage', re.I)\ndef label_function(ticket):\n    return 1 if PATTERN.search(ticket) else -1\n",
        "def label_function(ticket):\n    return 0 if 'please' in ticket.lower() else -1\n",
    ]

    /// name → source
    static let hostile: [(String, String)] = [
        ("infinite_loop", "def label_function(t):\n    while True:\n        pass\n"),
        ("memory_hog", "def label_function(t):\n    hoard = []\n    while True:\n        hoard.append(' ' * 50_000_000)\n"),
        ("fork_bomb", "import os\ndef label_function(t):\n    while True:\n        os.fork()\n"),
        ("os_system", "def label_function(t):\n    import os\n    os.system('touch MARKER')\n    return 1\n"),
        ("write_file", "def label_function(t):\n    with open('MARKER', 'w') as f:\n        f.write('owned')\n    return 1\n"),
        ("read_passwd", "def label_function(t):\n    return 1 if 'root' in open('/etc/passwd').read() else 0\n"),
        ("open_socket", "import socket\ndef label_function(t):\n    socket.create_connection(('127.0.0.1', 22))\n    return 1\n"),
        ("read_api_key", "def label_function(t):\n    import os\n    return 1 if os.environ.get('OPENAI_API_KEY') else 0\n"),
        ("builtins_walk", "def label_function(t):\n    b = label_function.__globals__['__builtins__']\n    return 1 if b else 0\n"),
        ("subclasses_walk", "def label_function(t):\n    return len(().__class__.__base__.__subclasses__()) % 2\n"),
        ("frame_walk", "def label_function(t):\n    g = (x for x in [1])\n    return 1 if g.gi_frame.f_back.f_globals else 0\n"),
        ("import_outside", "import subprocess\ndef label_function(t):\n    return 1\n"),
        ("sys_exit", "import sys\ndef label_function(t):\n    sys.exit(3)\n"),
        ("raise_system_exit", "def label_function(t):\n    raise SystemExit(3)\n"),
        ("print_flood", "def label_function(t):\n    print('x' * 1_000_000)\n    return 0 if 'please' in t.lower() else -1\n"),
        ("deep_recursion", "def label_function(t):\n    def down(n):\n        return down(n + 1)\n    return down(0)\n"),
        ("returns_string", "def label_function(t):\n    return 'spam'\n"),
        ("returns_seven", "def label_function(t):\n    return 7\n"),
        ("syntax_error", "def label_function(t)\n    return 1\n"),
        ("no_label_function", "def classify(t):\n    return 1\n"),
        ("swallows_timeout", "def label_function(t):\n    n = 0\n    while True:\n        try:\n            while True:\n                n += 1\n        except BaseException:\n            n = 0\n"),
        ("patch_shared_module", "import re\nre.search = lambda *a, **k: None\ndef label_function(t):\n    return 1\n"),
        ("formatter_escape", "import string\ndef label_function(t):\n    return string.Formatter().get_field('0.__class__', (t,), {}) and 1\n"),
        ("self_alias_patch", "import json\ndef label_function(t):\n    self = json.JSONDecoder\n    self.decode = None\n    return 1\n"),
        ("forward_ref_eval", "import typing\ndef label_function(t):\n    return typing.ForwardRef('1')._evaluate({}, {}, frozenset())\n"),
        ("type_hints_eval", "import typing\ndef probe(x: 'len(\"abc\")'):\n    pass\ndef label_function(t):\n    return typing.get_type_hints(probe) and 1\n"),
        ("shared_decimal_context", "import decimal\ndecimal.setcontext(decimal.Context(prec=1))\ndef label_function(t):\n    return 1\n"),
        ("c_level_stall", "import itertools\ndef label_function(t):\n    return sum(itertools.repeat(1, 10 ** 13)) % 2\n"),
        // Routes found by an adversarial review: attribute access by a string name through the allowlist.
        ("update_wrapper_getattr", "import functools\nclass Box:\n    pass\ndef label_function(t):\n    b = Box()\n    functools.update_wrapper(b, label_function, assigned=('__globals__',), updated=())\n    return 1\n"),
        ("wraps_getattr", "import functools\ndef label_function(t):\n    return 1 if functools.wraps(label_function, assigned=('__globals__',)) else 0\n"),
        ("setattr_capture", "class Grab:\n    def __setattr__(self, name, value):\n        pass\ndef label_function(t):\n    return 1\n"),
        ("copy_reconstruct", "import copy\ndef label_function(t):\n    return 1 if copy.copy(t) else 0\n"),
        ("singledispatch_eval", "import functools\ndef label_function(t):\n    return 1 if functools.singledispatch(len) else 0\n"),
        // Limits of the engine: a call that hits the memory limit every time, a module level that never ends.
        ("memory_every_call", "def label_function(t):\n    block = ' ' * 700_000_000\n    return 1 if block else 0\n"),
        ("load_forever", "while True:\n    pass\ndef label_function(t):\n    return 1\n"),
        // Error text is data: escape sequences and newlines never reach a report or a terminal.
        ("escape_sequences", "def label_function(t):\n    raise ValueError('\\x1b]0;owned\\x07\\n  good0: 0 errors\\x1b[31m\\x9b2J\\u202e')\n"),
    ]

    /// The settings of the hostile suite: small batches and budgets, so it runs fast.
    static var settings: SandboxSettings {
        var settings = SandboxSettings.defaults
        settings.workers = 2
        settings.batchSize = 60
        settings.callTimeoutSeconds = 0.25
        settings.maxLimitHits = 2
        settings.maxKills = 2
        settings.memoryMB = 512
        settings.loadSeconds = 0.5
        return settings
    }

    @Test(.timeLimit(.minutes(3)))
    func hostileProgramsAreContainedAndReported() async throws {
        let texts = try SandboxFixtures.demoTexts(limit: 120)
        let scratch = try TestEnvironment.temporaryFolder("hostile")
        defer { try? FileManager.default.removeItem(at: scratch) }
        // Programs that try to write files aim at this folder.
        let sources = Self.hostile.map { ($0.0, $0.1.replacingOccurrences(of: "MARKER", with: scratch.appendingPathComponent($0.0).path)) }
        let programs = Self.good.enumerated().map { LabelingProgram(name: "good\($0.offset)", code: $0.element) }
            + sources.map { LabelingProgram(name: $0.0, code: $0.1) }
        setenv("OPENAI_API_KEY", "sk-test-must-not-leak", 1)
        defer { unsetenv("OPENAI_API_KEY") }

        let started = ContinuousClock.now
        let outcome = try await ProgramApplier(settings: Self.settings).apply(programs, to: texts, classCount: 2)
        print("hostile suite: \(programs.count) programs on \(texts.count) rows in \(ContinuousClock.now - started), \(outcome.restarts) restarts")
        let report = Dictionary(uniqueKeysWithValues: outcome.reports.map { ($0.name, $0) })
        func column(_ name: String) -> [Int] { outcome.matrix.column(programs.firstIndex { $0.name == name }!) }
        let abstainAll = [Int](repeating: -1, count: texts.count)

        // The well-behaved programs keep exactly their labels, in every batch, despite the restarts around them.
        let reference = try ReferenceLabels.compute(Self.good, texts: texts, classCount: 2)
        func differences(_ name: String, _ expected: [Int]) -> String {
            let rows = zip(column(name), expected).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            return "\(name): \(rows.count) rows differ, first \(rows.prefix(8)); report \(String(describing: report[name])); restarts \(outcome.restarts)"
        }
        #expect(column("good0") == reference[0], "\(differences("good0", reference[0]))")
        #expect(column("good1") == reference[1], "\(differences("good1", reference[1]))")
        #expect(report["good0"]?.faultCount == 0 && report["good1"]?.faultCount == 0)

        // Rejected before running: imports outside the allowlist (also inside functions) and reaching for interpreter internals.
        for name in ["fork_bomb", "open_socket", "import_outside", "sys_exit", "os_system", "read_api_key"] {
            #expect(report[name]?.loadError?.contains("import of") == true, "\(name): \(String(describing: report[name]))")
        }
        for name in ["builtins_walk", "subclasses_walk", "frame_walk"] {
            #expect(report[name]?.loadError?.contains("not allowed") == true, "\(name): \(String(describing: report[name]))")
        }
        #expect(report["syntax_error"]?.loadError?.contains("SyntaxError") == true)
        // A program may not change shared modules (that would change the votes of programs using them).
        #expect(report["patch_shared_module"]?.loadError?.contains("assigning to attribute search") == true)
        #expect(report["self_alias_patch"]?.loadError?.contains("assigning to attribute decode") == true)
        #expect(report["forward_ref_eval"]?.loadError?.contains("attribute _evaluate") == true)
        #expect(report["type_hints_eval"]?.errors == texts.count)
        #expect(report["type_hints_eval"]?.firstError?.contains("get_type_hints") == true)
        #expect(report["shared_decimal_context"]?.loadError?.contains("setcontext") == true)
        // Formatter hands out attributes by string; it is not exposed.
        #expect(report["formatter_escape"]?.errors == texts.count)
        #expect(report["formatter_escape"]?.firstError?.contains("Formatter") == true)
        #expect(report["no_label_function"]?.loadError?.contains("no label_function") == true)

        // open() does not exist for programs.
        for name in ["write_file", "read_passwd"] {
            #expect(report[name]?.errors == texts.count)
            #expect(report[name]?.firstError?.contains("open") == true)
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("os_system").path))
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("write_file").path))

        // Errors and bad return values count as abstains, with the first message kept.
        #expect(report["raise_system_exit"]?.errors == texts.count)
        #expect(report["raise_system_exit"]?.firstError?.contains("SystemExit") == true)
        #expect(report["deep_recursion"]?.firstError?.contains("RecursionError") == true)
        #expect(report["returns_string"]?.invalid == texts.count)
        #expect(report["returns_string"]?.firstError?.contains("str") == true)
        #expect(report["returns_seven"]?.invalid == texts.count)
        #expect(report["returns_seven"]?.firstError?.contains("7") == true)

        // Printing 1 MB per call (60 MB per batch) changes nothing: the votes are those of the same rule without the print.
        #expect(column("print_flood") == reference[1])
        #expect(report["print_flood"]?.faultCount == 0)

        // Runaway programs are stopped for the rest of the run after a few budgets. On a loaded machine
        // the worker's own alarm can come too late, so the parent's kill counts as a spent budget too.
        #expect(report["infinite_loop"].map { $0.stopped && $0.timeouts + $0.kills >= 2 } == true,
                "\(String(describing: report["infinite_loop"]))")
        #expect(report["memory_hog"].map { $0.stopped || $0.errors > 0 } == true)
        #expect(report["swallows_timeout"]?.stopped == true && (report["swallows_timeout"]?.kills ?? 0) >= 1)
        #expect(report["c_level_stall"]?.stopped == true && (report["c_level_stall"]?.kills ?? 0) >= 1)
        #expect(report["c_level_stall"]?.firstError?.contains("of CPU on a batch of 60 rows") == true, "\(String(describing: report["c_level_stall"]))")
        #expect(outcome.restarts >= 2)

        // Attribute access by a string name: the helpers are not in the proxies, and a program's classes
        // define no special methods that library code would call with names or objects.
        for (name, helper) in [("update_wrapper_getattr", "update_wrapper"), ("wraps_getattr", "wraps"), ("singledispatch_eval", "singledispatch")] {
            #expect(report[name]?.errors == texts.count, "\(name): \(String(describing: report[name]))")
            #expect(report[name]?.firstError?.contains(helper) == true, "\(name): \(String(describing: report[name]))")
        }
        #expect(report["setattr_capture"]?.loadError?.contains("defining __setattr__") == true)
        #expect(report["copy_reconstruct"]?.loadError?.contains("import of copy") == true)
        // Calls that hit the memory limit stop the program after max_limit_hits, not after every row.
        #expect(report["memory_every_call"].map { $0.stopped && $0.limitHits == 2 && $0.firstError?.contains("MemoryError") == true } == true,
                "\(String(describing: report["memory_every_call"]))")
        #expect(report["deep_recursion"]?.stopped == true)
        #expect(report["load_forever"]?.loadError?.contains("timeout while loading") == true, "\(String(describing: report["load_forever"]))")
        let forged = report["escape_sequences"]?.firstError ?? ""
        // The OSC title sequence goes whole (its text included); the newline no longer starts a forged report line.
        #expect(forged.hasPrefix("ValueError: ") && forged.contains("good0: 0 errors") && !forged.contains("owned"), "\(forged)")
        #expect(!forged.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}" }, "\(forged.debugDescription)")
        #expect(outcome.sandboxFacts["os_sandbox"]?.hasPrefix("bubblewrap") == true, "\(outcome.sandboxFacts)")
        #expect(outcome.sandboxFacts["seccomp"]?.hasPrefix("on") == true, "\(outcome.sandboxFacts)")

        // No hostile program got a single vote in.
        for (name, _) in Self.hostile where name != "print_flood" && name != "read_passwd" {
            #expect(column(name) == abstainAll, "\(name) voted")
        }
        #expect(column("read_passwd") == abstainAll)
    }

    /// A program that stalls its worker while loading (C code at module level, which the time
    /// budget cannot interrupt) is condemned after `maxKills` deaths, not at the first: on a
    /// starved machine a good program can be the one loading when the watchdog fires.
    @Test(.timeLimit(.minutes(2)))
    func aProgramThatStallsWhileLoadingIsCondemnedAfterItsKills() async throws {
        let texts = try SandboxFixtures.demoTexts(limit: 120)
        let stall = "import itertools\nN = sum(itertools.repeat(1, 10 ** 13))\ndef label_function(t):\n    return 1\n"
        let programs = Self.good.enumerated().map { LabelingProgram(name: "good\($0.offset)", code: $0.element) }
            + [LabelingProgram(name: "stalls_at_load", code: stall)]
        var settings = Self.settings
        settings.workers = 1
        let outcome = try await ProgramApplier(settings: settings).apply(programs, to: texts, classCount: 2)
        let report = try #require(outcome.reports.last)
        #expect(report.kills == 2, "\(report)")
        #expect(report.loadError?.contains("while loading") == true, "\(report)")
        #expect(report.loadError?.contains("of CPU on loading") == true, "\(report)")
        #expect(outcome.restarts >= 2)
        let reference = try ReferenceLabels.compute(Self.good, texts: texts, classCount: 2)
        #expect(outcome.matrix.column(0) == reference[0])
        #expect(outcome.matrix.column(1) == reference[1])
        #expect(outcome.matrix.column(2) == [Int](repeating: -1, count: texts.count))
    }

    @Test func workerEnvironmentCarriesNoSecrets() {
        #expect(ProgramApplier.workerEnvironment.keys.sorted() == ["LANG", "LC_ALL", "PATH"])
    }
}
