# Alchemist sandbox worker.
#
# Runs one LLM-written labeling program, which is untrusted, on batches of texts. The engine
# starts this file as `python3 -I -S -u -c <this file>` inside bubblewrap (docs/SECURITY.md): its
# own user, mount, PID, IPC, UTS and network namespaces, a read-only root holding only the Python
# runtime, no environment but PATH and the locale.
#
# Two roles. The first line on stdin says which.
# - Zygote ({"op": "zygote", "rows": N, "modules": [...]}): trusted code only. It imports the allowed
#   modules the run's programs name and decodes the shared texts once, then waits on its control socket (descriptor 4) and forks one program
#   process at a time, each on the three pipes the engine sends with the request. It never reads a
#   program's source and never runs program code; it reports each child's exit.
#     engine -> zygote: "fork" with three descriptors (SCM_RIGHTS): the child's stdin, stdout, stderr
#     zygote -> engine: "forked <pid>" | "refused" | "exit <pid> <status>" (negative: killed by signal)
#     zygote -> engine on stdout, once: {"zygote": "ready", "decoded": bool}
# - Program process (a forked child, or {"op": "start"} on a fresh interpreter): before the
#   program's code runs it closes every descriptor but its pipes and the texts, sets resource
#   limits, closes its output to the program, and installs a seccomp filter (no sockets, no exec,
#   no fork, no ptrace, no signals to other processes, no System V IPC, no namespaces, no mounts).
#
# Protocol of a program process. Engine -> worker on stdin:
#   {"op": "start", ...settings..., "source": "..."}          one JSON line
#   B <batch> <count> <bytes>\n + <bytes> of UTF-8 texts joined by NUL
#   J <batch> <count> <bytes>\n + <bytes> of a JSON array of strings
#   R <batch> <count> <offset> <length> [<first row>]\n   the texts are bytes offset..offset+length of
#                                          descriptor 3, a sealed read-only memory file of all texts
#                                          joined by NUL (rows first.. of what the zygote decoded)
# Worker -> engine on a private duplicate of the original stdout, one JSON line each:
#   {"hello": {...}}                      facts, after lock-down and before the program loads
#   {"loaded": true} | {"loaded": false, "error": "..."}
#   {"b": 7, "e": errors, "t": timeouts, "m": limit hits, "x": invalid, "stop": bool, "msg": str|null, "l": "201"}
#                                          votes, one character each (chr(vote + 49)) for up to 40 classes,
#                                          else comma-separated ("1,-1,0")
# The engine checks every line (WorkerSession) and measures time and CPU itself: nothing here is
# trusted once the program has run, and nothing here is needed to stop a program.

import _ast as ast  # the C module: `import ast` costs ~10 ms a process for helpers we do not need
import builtins
import json
import os
import signal
import struct
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
    "bisect", "textwrap", "html", "typing", "enum", "numbers", "calendar",
)
# Builtins a program does not get: ways to reach files, code objects, the interpreter or attributes by name.
REMOVED_BUILTINS = (
    "open", "exec", "eval", "compile", "input", "breakpoint", "help", "exit", "quit", "globals", "locals",
    "vars", "getattr", "setattr", "delattr", "memoryview", "__loader__", "__spec__", "copyright", "credits",
    "license", "__debug__",
)
# Public names that hand out attributes by string, evaluate text, or change state other programs share.
HIDDEN_NAMES = {
    ("functools", "update_wrapper"),      # getattr and setattr by any name given as a string (assigned=, updated=)
    ("functools", "wraps"),
    ("functools", "singledispatch"),      # register() evaluates string annotations (get_type_hints)
    ("functools", "singledispatchmethod"),
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
# Special methods a program's own classes may define. Others (__getattr__, __setattr__, __set_name__,
# __reduce_ex__, __init_subclass__, __class_getitem__, __get__, ...) let library code call into the
# program with attribute names or objects it should not get.
ALLOWED_METHOD_DUNDERS = {
    "__init__", "__repr__", "__str__", "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__",
    "__len__", "__iter__", "__next__", "__contains__", "__getitem__", "__call__", "__bool__", "__missing__",
}


def parse(source):
    return compile(source, "<labeling program>", "exec", ast.PyCF_ONLY_AST)


def walk(tree):
    """Every node of the tree (what ast.walk does, without importing the ast module)."""
    pending = [tree]
    while pending:
        node = pending.pop()
        yield node
        for name in node._fields:
            value = getattr(node, name, None)
            if isinstance(value, ast.AST):
                pending.append(value)
            elif isinstance(value, list):
                pending.extend(item for item in value if isinstance(item, ast.AST))


def is_dunder(name):
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def check_source(tree):
    """Rejects obvious escapes before anything runs. Returns a reason, or None."""
    for node in walk(tree):
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
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            if is_dunder(node.name) and node.name not in ALLOWED_METHOD_DUNDERS:
                return "line %d: defining %s is not allowed in a labeling program" % (node.lineno, node.name)
    return None


def imported_names(source):
    """The allowed modules a program's source imports (the AST check rejects every other way to
    import), with their parent packages; None when the source does not parse (load reports it)."""
    try:
        tree = parse(source)
    except Exception:
        return None
    names = set()
    for node in walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module)
    return allowed_of(names)


def allowed_of(names):
    """The allowed modules among `names`, with their parent packages."""
    wanted = {name for name in names if name in ALLOWED_MODULES}
    wanted.update(name.split(".")[0] for name in list(wanted))
    if "collections" in wanted:
        wanted.add("collections.abc")  # reachable as collections.abc once collections is imported
    return wanted


def import_allowed(wanted):
    """Imports the allowed modules the program uses (all of them when `wanted` is None) while files
    can still be opened, before the lock-down."""
    import importlib
    real = {}
    for name in ALLOWED_MODULES:
        if wanted is None or name in wanted:
            real[name] = importlib.import_module(name)
    if "datetime" in real:
        import _strptime  # noqa: F401  datetime.strptime imports it lazily; files are out of reach later
    global ctypes
    import ctypes  # for prctl and seccomp; imported now, while files can still be opened
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

    for name in real:
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
    """Resource limits, the output sink, no new descriptors, no new privileges, seccomp. The OS
    sandbox around this process is the boundary; these narrow what is left inside it."""
    import resource
    facts = {"python": sys.version.split()[0], "uid": os.getuid()}
    if settings.get("isolated"):
        facts["network"] = "isolated (own namespace)"
    else:
        facts["network"] = "isolated" if unshare_network() else "not isolated (unshare refused)"

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing a file then fails with an error instead of a kill
    # A forked program starts with the zygote's address space (interpreter, modules, decoded texts),
    # measured by the engine; the program gets memory_mb on top of it.
    memory = int(settings["memory_mb"]) * 1024 * 1024 + int(settings.get("memory_base", 0))
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

    # Stdout and stderr of the program go nowhere; the protocol has its own descriptor.
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    os.close(null)
    sys.stdout = Sink()
    sys.stderr = Sink()

    # No new file descriptors from here on: no files, no sockets, no pipes. Every number below the
    # limit is taken (holes filled with /dev/null), so there is no free slot to open into.
    try:
        used = [fd for fd in range(256) if is_open(fd)]
        filler = os.open(os.devnull, os.O_RDONLY)
        highest = max(used + [filler])
        for fd in range(highest):
            if fd not in used and fd != filler:
                os.dup2(filler, fd)
        resource.setrlimit(resource.RLIMIT_NOFILE, (highest + 1, highest + 1))
        facts["descriptors"] = "closed"
    except (ValueError, OSError):
        facts["descriptors"] = "open"
    facts["no_new_privileges"] = no_new_privileges()
    facts["seccomp"] = install_seccomp()
    facts["memory_mb"] = int(settings["memory_mb"])
    facts["cpu_seconds"] = cpu
    return facts


ctypes = None


def is_open(fd):
    try:
        os.fstat(fd)
        return True
    except OSError:
        return False


def libc():
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


# System calls a labeling program never needs and an escaped one would want: sockets, exec, new
# processes, tracing or signalling other processes (the zygote above it, for one), System V IPC
# and message queues (they would outlive the program in the sandbox's IPC namespace), priorities,
# namespaces, mounts, kernel keys, BPF, perf, io_uring, modules.
# They fail with EPERM. (x86_64 and aarch64 numbers.)
SECCOMP_DENIED = {
    "x86_64": (0xC000003E, (
        41, 42, 43, 49, 50, 53, 288,                 # socket connect accept bind listen socketpair accept4
        56, 57, 58, 59, 322, 435,                    # clone fork vfork execve execveat clone3
        101, 310, 311, 312,                          # ptrace process_vm_readv/writev kcmp
        272, 308, 161, 165, 166, 155,                # unshare setns chroot mount umount2 pivot_root
        428, 429, 430, 431, 432, 433, 442,           # open_tree move_mount fsopen fsconfig fsmount fspick mount_setattr
        248, 249, 250, 321, 298, 323,                # add_key request_key keyctl bpf perf_event_open userfaultfd
        425, 426, 427, 303, 304,                     # io_uring_* name_to_handle_at open_by_handle_at
        163, 167, 168, 169, 170, 171, 172, 173,      # acct swapon swapoff reboot sethostname setdomainname iopl ioperm
        175, 176, 313, 179, 246, 320,                # init/delete/finit_module quotactl kexec_load kexec_file_load
        62, 200, 234, 129, 297, 424, 434, 438,       # kill tkill tgkill rt_(tg)sigqueueinfo pidfd_send_signal/open/getfd
        29, 30, 31, 67, 64, 65, 66, 220,             # shmget shmat shmctl shmdt semget semop semctl semtimedop
        68, 69, 70, 71, 240, 241, 242, 243, 244, 245,  # msgget msgsnd msgrcv msgctl mq_*
        141, 251,                                    # setpriority ioprio_set
    )),
    "aarch64": (0xC00000B7, (
        198, 203, 202, 200, 201, 199, 242,
        220, 221, 281, 435,
        117, 270, 271, 272,
        97, 268, 51, 40, 39, 41,
        428, 429, 430, 431, 432, 433, 442,
        217, 218, 219, 280, 241, 282,
        425, 426, 427, 264, 265,
        89, 224, 225, 142, 161, 162,
        105, 106, 273, 60, 104, 294,
        129, 130, 131, 138, 240, 424, 434, 438,
        194, 196, 195, 197, 190, 193, 191, 192,
        186, 189, 188, 187, 180, 181, 182, 183, 184, 185,
        140, 30,
    )),
}


def install_seccomp():
    """A classic BPF filter: other architectures (and the x32 ABI) are killed, the calls above get
    EPERM, everything else is allowed. Needs no_new_privileges (bubblewrap sets it too)."""
    machine = os.uname().machine
    if machine not in SECCOMP_DENIED:
        return "not available on %s" % machine
    try:
        arch, denied = SECCOMP_DENIED[machine]
        load, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
        kill, allow, eperm = 0x80000000, 0x7FFF0000, 0x00050000 | 1
        program = [(load, 0, 0, 4), (jeq, 1, 0, arch), (ret, 0, 0, kill), (load, 0, 0, 0)]
        if machine == "x86_64":
            program += [(jge, 0, 1, 0x40000000), (ret, 0, 0, kill)]
        for number in denied:
            program += [(jeq, 0, 1, number), (ret, 0, 0, eperm)]
        program.append((ret, 0, 0, allow))
        code = b"".join(struct.pack("=HBBI", *instruction) for instruction in program)
        buffer = ctypes.create_string_buffer(code, len(code))

        class Program(ctypes.Structure):
            _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

        fprog = Program(len(program), ctypes.addressof(buffer))
        if libc().prctl(22, 2, ctypes.byref(fprog), 0, 0) != 0:  # PR_SET_SECCOMP, SECCOMP_MODE_FILTER
            return "refused (errno %d)" % ctypes.get_errno()
        return "on (%d system calls refused)" % len(denied)
    except Exception as error:
        return "failed (%s)" % describe(error)


# --- time budget -----------------------------------------------------------
# One interval timer per program pass instead of one per call: at each tick the
# handler looks at how many results the pass has produced. No progress for two
# ticks means the current call is over its budget.

progress = []          # the result list of the pass in flight
watch = {"seen": -1, "stale": 0}


def on_tick(signum, frame):
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
    # must not turn a quick program into a timed-out one. Stalls, sleeps and a timer switched off
    # are the engine's watchdog's business.
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


def run_pass(function, texts, max_hits):
    """Calls function on every text. Returns (values, first error message, timeouts, errors,
    limit hits, stopped). A call that hits the time budget, the memory limit or the recursion limit
    is a limit hit; after max_hits of them the rest of the pass is abstains."""
    global progress
    out = []
    progress = out
    append = out.append
    first = None
    errors = timeouts = hits = 0
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
        except BaseException as error:  # SystemExit and KeyboardInterrupt from a program are its errors too
            append(ERROR)
            errors += 1
            if isinstance(error, (MemoryError, RecursionError)):
                hits += 1
            if first is None:
                first = describe(error)
        if timeouts + hits >= max_hits:
            out.extend([TIMEOUT] * (count - len(out)))
            return out, first, timeouts, errors, hits, True
    return out, first, timeouts, errors, hits, False


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


def load(source, checks, real_modules, budget):
    try:
        tree = parse(source)
    except SyntaxError as error:
        return None, "SyntaxError: %s (line %s)" % (error.msg, error.lineno)
    except Exception as error:
        return None, describe(error)
    if checks:
        reason = check_source(tree)
        if reason:
            return None, reason
        namespace = {"__builtins__": make_builtins(make_proxies(real_modules)), "__name__": "labeling_program"}
    else:  # test-only: the OS sandbox alone
        namespace = {"__builtins__": builtins, "__name__": "labeling_program"}
    global progress
    progress = []
    arm(budget)
    try:
        exec(compile(tree, "<labeling program>", "exec"), namespace)
    except CallTimeout:
        return None, "timeout while loading the program (%g s of CPU)" % budget
    except BaseException as error:
        return None, "error while loading: " + describe(error)
    finally:
        disarm()
    function = namespace.get("label_function")
    if not callable(function):
        return None, "the program defines no label_function"
    return function, None


def read_exactly(stream, size):
    """`size` bytes into one buffer, read straight from the pipe (no chunks joined afterwards)."""
    data = bytearray(size)
    view = memoryview(data)
    got = 0
    while got < size:
        count = stream.readinto(view[got:])
        if not count:
            raise EOFError("the engine closed the input inside a batch")
        got += count
    return view


TEXTS = None
DECODED = None  # every text, decoded once by the zygote before it forked this process


def read_batch(stream):
    """The next batch (id, texts), or None when the engine closed the input."""
    header = stream.readline()
    if not header:
        return None
    kind, batch, count, size, *rest = header.split()
    batch, count = int(batch), int(count)
    payload = read_exactly(stream, int(size)) if kind != b"R" else None
    if kind == b"R":  # a byte range of the shared texts (descriptor 3), no payload in the pipe
        offset, length = int(size), int(rest[0])
        if DECODED is not None and len(rest) > 1:
            first = int(rest[1])
            texts = DECODED[first:first + count]
        else:
            texts = str(TEXTS[offset:offset + length], "utf-8").split("\0")
    elif kind == b"B":
        texts = str(payload, "utf-8").split("\0")
    elif kind == b"J":
        texts = json.loads(bytes(payload))
    else:
        raise ValueError("unknown frame %r" % kind)
    if len(texts) != count:
        raise ValueError("batch %d: %d texts, expected %d" % (batch, len(texts), count))
    return batch, texts


def main(stdin, start):
    class_count = int(start["classes"])
    budget = float(start["call_timeout"])
    max_hits = int(start["max_limit_hits"])

    global TEXTS
    if start.get("shared_texts") and TEXTS is None:
        import mmap
        TEXTS = memoryview(mmap.mmap(3, 0, prot=mmap.PROT_READ))  # read-only, sealed by the engine
    checks = start.get("checks", True)
    real_modules = import_allowed(imported_names(start["source"]) if checks else None)
    facts = lock_down(start)
    signal.signal(signal.SIGPROF, on_tick)
    send({"hello": facts})

    function, error = load(start["source"], checks, real_modules, float(start["load_seconds"]))
    if function is None:
        send({"loaded": False, "error": error})
        return
    send({"loaded": True})

    while True:
        batch = read_batch(stdin)
        if batch is None:
            return
        number, texts = batch
        arm(budget)
        try:
            values, first, timeouts, errors, hits, stopped = run_pass(function, texts, max_hits)
        finally:
            disarm()
        labels, invalid, invalid_message = encode_labels(values, class_count)
        send({"b": number, "e": errors, "t": timeouts, "m": hits, "x": invalid, "stop": stopped,
              "msg": first or invalid_message, "l": labels})



# --- zygote ------------------------------------------------------------------

def zygote(settings):
    """Imports, decodes and forks; see the top of this file. Trusted code only runs here."""
    import select
    import socket
    global TEXTS, DECODED
    if settings.get("shared_texts"):
        import mmap
        TEXTS = memoryview(mmap.mmap(3, 0, prot=mmap.PROT_READ))
    # The allowed modules the run's programs name (the engine's rough reading of their import lines),
    # imported before any program exists: each child gets them pristine and imports any other itself.
    import_allowed(allowed_of(settings.get("modules") or []))
    rows = int(settings.get("rows", 0))
    if TEXTS is not None and rows:
        decoded = str(TEXTS, "utf-8").split("\0")
        if len(decoded) == rows:  # a text holding NUL shifts the rows: then each child decodes its batches
            DECODED = decoded
    control = socket.socket(fileno=4)
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda number, frame: None)
    send({"zygote": "ready", "decoded": DECODED is not None})
    me = os.getpid()
    child = None
    while True:
        if child is not None:
            done, status = os.waitpid(child, os.WNOHANG)
            if done == child:
                control.send(b"exit %d %d" % (child, os.waitstatus_to_exitcode(status)))
                child = None
        ready = select.select([control, wake_read], [], [], 1.0)[0]
        if wake_read in ready:
            os.read(wake_read, 4096)
        if control not in ready:
            continue
        message, fds, _, _ = socket.recv_fds(control, 64, 3)
        if not message:  # the engine closed the socket: end, and the program process with us
            if child is not None:
                os.kill(child, signal.SIGKILL)
            os._exit(0)
        # One program process at a time: the next is forked only once the previous one is reaped.
        if message != b"fork" or len(fds) != 3 or child is not None:
            for fd in fds:
                os.close(fd)
            control.send(b"refused")
            continue
        pid = os.fork()
        if pid == 0:
            become_program(fds, me)
        for fd in fds:
            os.close(fd)
        child = pid
        control.send(b"forked %d" % pid)


def become_program(fds, parent):
    """In the forked child: only its own pipes and the texts stay open, then it is a program
    process like any other. Never returns into the zygote's loop."""
    global PROTO
    code = 0
    try:
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.closerange(4, 1 << 16)  # the control socket, the wake-up pipe, the zygote's stdout, the sent pipes
        PROTO = os.dup(1)
        if libc().prctl(1, signal.SIGKILL, 0, 0, 0) != 0 or os.getppid() != parent:  # PR_SET_PDEATHSIG
            os._exit(1)
        import io
        stdin = io.open(0, "rb", closefd=False)
        main(stdin, json.loads(stdin.readline()))
    except BaseException as failure:
        try:
            send({"fatal": describe(failure)})
        except BaseException:
            pass
        code = 70
    os._exit(code)


def run():
    # The engine's threads may block signals, and a child inherits that mask: the timer needs SIGPROF.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    stdin = sys.stdin.buffer
    first = json.loads(stdin.readline())
    if first.get("op") == "zygote":
        zygote(first)
    else:
        main(stdin, first)


try:
    run()
except BaseException as failure:  # report setup failures on the protocol channel, then stop
    try:
        send({"fatal": describe(failure)})
    except BaseException:
        pass
    os._exit(70)
