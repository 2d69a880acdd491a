# Alchemist sandbox worker.
#
# Runs LLM-written labeling programs, which are untrusted, on batches of texts.
# The engine starts it as `python3 -I -u -c <this file>` in an empty folder with a
# minimal environment. The first line on stdin configures it; the worker then
# locks itself down (network namespace, resource limits, unprivileged user, no
# new file descriptors) before it compiles any program.
#
# Protocol (one line per message). Engine -> worker on stdin (JSON):
#   {"op": "start", ...settings..., "programs": [{"id": 0, "source": "..."}]}
#   {"op": "batch", "b": 7, "run": [0, 2], "texts": ["...", ...]}
# Worker -> engine on a private duplicate of the original stdout:
#   {"hello": {...}}                      sandbox facts, after lock-down
#   {"loaded": id, "ok": true|false, "error": "..."}
#   {"ready": true}
#   {"b": 7, "p": 0, "e": errors, "t": timeouts, "x": invalid, "stop": bool, "msg": str|null, "l": "201"}
#                                          votes, one character each (chr(vote + 49)) for up to 40 classes,
#                                          else comma-separated ("1,-1,0")
#   {"done": 7}
#   h                                      heartbeat while a program runs
# Programs' own prints go to a sink, so they can never corrupt this channel.

import ast
import builtins
import json
import os
import signal
import sys
import types

PROTO = os.dup(1)
_quote = json.encoder.encode_basestring_ascii  # bound now: later changes to the json module cannot reach it
_write = os.write


def encode(obj):
    """JSON for the protocol, built from bound functions only (ints, bools, None, str, list, dict)."""
    if obj is True:
        return "true"
    if obj is False:
        return "false"
    if obj is None:
        return "null"
    if type(obj) is int:
        return int.__repr__(obj)
    if type(obj) is float:
        return float.__repr__(obj)
    if type(obj) is str:
        return _quote(obj)
    if type(obj) is list:
        return "[" + ",".join([encode(item) for item in obj]) + "]"
    if type(obj) is dict:
        return "{" + ",".join([_quote(str(key)) + ":" + encode(value) for key, value in obj.items()]) + "}"
    return _quote(str(obj))


def send(obj):
    view = memoryview((encode(obj) + "\n").encode())
    while view:
        written = _write(PROTO, view)
        view = view[written:]


class Sink:
    """Stands in for stdout/stderr: swallows whatever a program prints."""

    def write(self, text):
        return len(text) if isinstance(text, str) else 0

    def flush(self):
        pass


class CallTimeout(BaseException):
    pass


# Modules a program may import, and what their proxies expose.
ALLOWED_MODULES = (
    "re", "string", "math", "cmath", "collections", "collections.abc", "itertools", "functools",
    "unicodedata", "statistics", "datetime", "json", "difflib", "fractions", "decimal", "heapq",
    "bisect", "textwrap", "html", "typing", "enum", "numbers", "copy", "calendar",
)
# Builtins a program does not get: ways to reach files, code objects, the interpreter or attributes by name.
REMOVED_BUILTINS = (
    "open", "exec", "eval", "compile", "input", "breakpoint", "help", "exit", "quit", "globals", "locals",
    "vars", "getattr", "setattr", "delattr", "memoryview", "__loader__", "__spec__", "copyright", "credits",
    "license", "__debug__",
)
# Public names that hand out attributes by string, evaluate text, or change state other programs share.
HIDDEN_NAMES = {
    ("string", "Formatter"),              # get_field resolves "0.__class__..." strings
    ("typing", "get_type_hints"),         # evaluates string annotations
    ("typing", "ForwardRef"),
    ("decimal", "setcontext"),            # the decimal context is shared by every program in a worker
    ("decimal", "DefaultContext"),
    ("calendar", "setfirstweekday"),
}
# Kinds of module attributes a program may see: classes, functions and immutable values.
# Other objects (shared mutable instances) stay hidden.
EXPOSED_KINDS = (type, types.FunctionType, types.BuiltinFunctionType, types.MethodType, int, float, complex, str,
                 bytes, bool, tuple, frozenset, type(None))
# Attribute names that lead from ordinary objects to frames, code and globals.
BLOCKED_ATTRIBUTES = {
    "gi_frame", "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "cr_await", "ag_frame", "ag_code", "ag_await",
    "f_globals", "f_locals", "f_builtins", "f_back", "f_code", "f_trace", "tb_frame", "tb_next",
    "co_code", "co_consts", "func_globals", "mro",
}
ALLOWED_DUNDERS = {"__init__", "__name__"}


def is_dunder(name):
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def check_source(tree):
    """Rejects obvious escapes before anything runs. Returns a reason, or None."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name not in ALLOWED_MODULES:
                    return "line %d: import of %s is not allowed" % (node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level or node.module not in ALLOWED_MODULES:
                return "line %d: import from %s is not allowed" % (node.lineno, node.module or ".")
        elif isinstance(node, ast.Attribute):
            # Private and dunder attributes lead to internals (typing.ForwardRef._evaluate evaluates text).
            if (node.attr.startswith("_") and node.attr not in ALLOWED_DUNDERS) or node.attr in BLOCKED_ATTRIBUTES:
                return "line %d: access to attribute %s is not allowed" % (node.lineno, node.attr)
            # Programs in a worker share classes and modules: changing an attribute of one would change
            # other programs' votes, so labeling programs assign to no attribute at all.
            if not isinstance(node.ctx, ast.Load):
                return "line %d: assigning to attribute %s is not allowed in a labeling program" % (node.lineno, node.attr)
        elif isinstance(node, ast.Name):
            if is_dunder(node.id) and node.id not in ALLOWED_DUNDERS:
                return "line %d: use of %s is not allowed" % (node.lineno, node.id)
    return None


def import_allowed():
    """Imports the allowed modules while files can still be opened (before the lock-down)."""
    import importlib
    real = {}
    for name in ALLOWED_MODULES:
        real[name] = importlib.import_module(name)
    import _strptime  # noqa: F401  datetime.strptime imports it lazily; files are out of reach later
    return real


def make_proxies(real):
    """Wraps each allowed module in a fresh module object that exposes its public names but no
    submodule outside the list. Every program gets its own set."""
    proxies = {}

    def proxy(name):
        if name in proxies:
            return proxies[name]
        module = real[name]
        wrapper = types.ModuleType(name, getattr(module, "__doc__", None))
        proxies[name] = wrapper
        for key in dir(module):
            if key.startswith("_") or (name, key) in HIDDEN_NAMES:
                continue
            value = getattr(module, key)
            if isinstance(value, types.ModuleType):
                sub = value.__name__
                if sub in real:
                    setattr(wrapper, key, proxy(sub))
                continue
            # typing's special forms (List, Optional, ...) are instances; they are immutable enough.
            if isinstance(value, EXPOSED_KINDS) or name == "typing":
                setattr(wrapper, key, value)
        return wrapper

    for name in ALLOWED_MODULES:
        proxy(name)
    return proxies


def make_builtins(proxies):
    safe = dict(vars(builtins))
    for name in REMOVED_BUILTINS:
        safe.pop(name, None)

    def restricted_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level or name not in proxies:
            raise ImportError("import of %s is not allowed in a labeling program" % name)
        if fromlist or "." not in name:
            return proxies[name]
        return proxies[name.split(".")[0]]

    safe["__import__"] = restricted_import
    safe["print"] = lambda *args, **kwargs: None
    return safe


def lock_down(settings):
    """Network namespace, resource limits and an unprivileged user, in that order."""
    import resource
    facts = {"pid": os.getpid(), "python": sys.version.split()[0], "started_as_uid": os.getuid()}

    if settings.get("isolate_network", True):
        facts["network"] = "isolated" if unshare_network() else "not isolated (unshare refused)"
    else:
        facts["network"] = "not isolated (disabled in config)"

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing a file then fails with an error instead of a kill
    memory = int(settings["memory_mb"]) * 1024 * 1024
    cpu = int(settings["cpu_seconds"])
    limits = [
        (resource.RLIMIT_AS, memory, memory),
        (resource.RLIMIT_CPU, cpu, cpu + 5),
        (resource.RLIMIT_FSIZE, 0, 0),
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_NPROC, 0, 0),
    ]
    for which, soft, hard in limits:
        try:
            resource.setrlimit(which, (soft, hard))
        except (ValueError, OSError):
            facts.setdefault("limits_refused", []).append(which)

    if facts["started_as_uid"] == 0:
        import pwd
        account = settings.get("drop_to") or "nobody"
        entry = pwd.getpwnam(account)
        os.setgroups([])
        os.setgid(entry.pw_gid)
        os.setuid(entry.pw_uid)
        facts["user"] = "%s (uid %d, dropped from root)" % (account, entry.pw_uid)
    else:
        facts["user"] = "unchanged (uid %d; not started as root)" % facts["started_as_uid"]
    facts["no_new_privileges"] = no_new_privileges()

    # Stdout and stderr of programs go nowhere; the protocol has its own descriptor.
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    sys.stdout = Sink()
    sys.stderr = Sink()

    # No new file descriptors from here on: no files, no sockets, no pipes.
    highest = max(PROTO, 2)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (highest + 1, highest + 1))
        facts["descriptors"] = "closed"
    except (ValueError, OSError):
        facts["descriptors"] = "open"
    facts["memory_mb"] = int(settings["memory_mb"])
    facts["cpu_seconds"] = cpu
    return facts


def libc():
    import ctypes
    return ctypes.CDLL(None, use_errno=True)


def unshare_network():
    clone_newnet, clone_newuser = 0x40000000, 0x10000000
    try:
        c = libc()
        if os.geteuid() == 0 and c.unshare(clone_newnet) == 0:
            return True
        return c.unshare(clone_newuser | clone_newnet) == 0
    except Exception:
        return False


def no_new_privileges():
    try:
        return libc().prctl(38, 1, 0, 0, 0) == 0  # PR_SET_NO_NEW_PRIVS
    except Exception:
        return False


# --- time budget -----------------------------------------------------------
# One interval timer per program pass instead of one per call: at each tick the
# handler looks at how many results the pass has produced. No progress for two
# ticks means the current call is over its budget.

progress = []          # the result list of the pass in flight
watch = {"seen": -1, "stale": 0}


def on_tick(signum, frame):
    try:
        os.write(PROTO, b"h\n")
    except OSError:
        pass
    done = len(progress)
    if done != watch["seen"]:
        watch["seen"] = done
        watch["stale"] = 0
        return
    watch["stale"] += 1
    if watch["stale"] == 2:
        raise CallTimeout()
    if watch["stale"] >= 4:
        os._exit(86)  # the program swallowed the timeout; the engine restarts the worker


def arm(budget):
    watch["seen"] = -1
    watch["stale"] = 0
    # CPU time (user + system) of the worker, not wall time: a busy machine that delays the worker
    # must not turn a quick program into a timed-out one. Stalls that use no CPU are the engine's
    # watchdog's business.
    signal.setitimer(signal.ITIMER_PROF, budget / 2.0, budget / 2.0)


def disarm():
    signal.setitimer(signal.ITIMER_PROF, 0, 0)


TIMEOUT = object()
ERROR = object()


def describe(error):
    try:
        text = "%s: %s" % (type(error).__name__, error)
    except BaseException:
        text = type(error).__name__ if isinstance(type(error).__name__, str) else "error"
    return text[:300]


def run_pass(function, texts, max_timeouts):
    """Calls function on every text. Returns (values, first error message, timeouts, errors, stopped)."""
    global progress
    out = []
    progress = out
    append = out.append
    first = None
    errors = timeouts = 0
    count = len(texts)
    while len(out) < count:
        try:
            # list.extend over map calls the function in a C loop and appends as it goes, so
            # len(out) is the progress the timer watches, and an exception leaves the results so far.
            out.extend(map(function, texts[len(out):] if out else texts))
        except CallTimeout:
            append(TIMEOUT)
            timeouts += 1
            if first is None:
                first = "timeout: a call took longer than its time budget"
            if timeouts >= max_timeouts:
                out.extend([TIMEOUT] * (count - len(out)))
                return out, first, timeouts, errors, True
        except BaseException as error:  # SystemExit and KeyboardInterrupt from a program are its errors too
            append(ERROR)
            errors += 1
            if first is None:
                first = describe(error)
    return out, first, timeouts, errors, False


def encode_labels(values, class_count):
    """Turns a pass's values into the label line; anything but an int in range is an abstain."""
    # Fast path, all in C loops: every value is an int and in range.
    if values and set(map(type, values)) == {int} and min(values) >= -1 and max(values) < class_count:
        return pack(values, class_count), 0, None
    labels = []
    invalid = 0
    message = None
    for value in values:
        if type(value) is int and -1 <= value < class_count:
            labels.append(value)
            continue
        labels.append(-1)
        if value is TIMEOUT or value is ERROR:
            continue
        invalid += 1
        if message is None:
            kind = type(value).__name__ if isinstance(type(value).__name__, str) else "object"
            shown = " %r" % value[:40] if type(value) is str else (" %d" % value if type(value) is int else "")
            message = "returned %s%s; expected an int in -1..%d" % (kind, shown, class_count - 1)
    return pack(labels, class_count), invalid, message


SHIFT = (49).__add__


def pack(labels, class_count):
    """One character per vote, chr(vote + 49) ("0" is an abstain), when the classes fit below
    the backslash; else comma-separated integers."""
    if class_count <= 40:
        return bytes(map(SHIFT, labels)).decode("ascii")
    return ",".join(map(str, labels))


def load(program, safe_builtins, budget):
    source = program["source"]
    try:
        tree = ast.parse(source, filename="<labeling program>")
    except SyntaxError as error:
        return None, "SyntaxError: %s (line %s)" % (error.msg, error.lineno)
    except Exception as error:
        return None, describe(error)
    reason = check_source(tree)
    if reason:
        return None, reason
    namespace = {"__builtins__": safe_builtins, "__name__": "labeling_program"}
    global progress
    progress = []
    arm(budget)
    try:
        exec(compile(tree, "<labeling program>", "exec"), namespace)
    except CallTimeout:
        return None, "timeout while loading the program"
    except BaseException as error:
        return None, "error while loading: " + describe(error)
    finally:
        disarm()
    function = namespace.get("label_function")
    if not callable(function):
        return None, "the program defines no label_function"
    return function, None


def main():
    # The engine's threads may block signals, and a child inherits that mask: the timer needs SIGPROF.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    stdin = sys.stdin.buffer
    start = json.loads(stdin.readline())
    class_count = int(start["classes"])
    budget = float(start["call_timeout"])
    max_timeouts = int(start["max_timeouts"])

    real_modules = import_allowed()
    facts = lock_down(start)
    signal.signal(signal.SIGPROF, on_tick)
    send({"hello": facts})

    functions = {}
    for program in start["programs"]:
        function, error = load(program, make_builtins(make_proxies(real_modules)), budget * 5)
        if function is None:
            send({"loaded": program["id"], "ok": False, "error": error})
        else:
            functions[program["id"]] = function
            send({"loaded": program["id"], "ok": True})
    send({"ready": True})

    while True:
        line = stdin.readline()
        if not line:
            return
        message = json.loads(line)
        if message.get("op") != "batch":
            continue
        batch = message["b"]
        texts = message["texts"]
        for pid in message["run"]:
            function = functions.get(pid)
            if function is None:
                send({"b": batch, "p": pid, "e": 0, "t": 0, "x": 0, "stop": True,
                      "msg": "not loaded", "l": pack([-1] * len(texts), class_count)})
                continue
            arm(budget)
            try:
                values, first, timeouts, errors, stopped = run_pass(function, texts, max_timeouts)
            finally:
                disarm()
            labels, invalid, invalid_message = encode_labels(values, class_count)
            send({"b": batch, "p": pid, "e": errors, "t": timeouts, "x": invalid, "stop": stopped,
                  "msg": first or invalid_message, "l": labels})
        send({"done": batch})


try:
    main()
except BaseException as failure:  # report setup failures on the protocol channel, then stop
    try:
        send({"fatal": describe(failure)})
    except BaseException:
        pass
    os._exit(70)
