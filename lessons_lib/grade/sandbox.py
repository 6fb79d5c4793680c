"""The sandbox: a child process that runs one learner's cells and answers requests about them.

A fork server (one process started once per grader, with numpy, IPython, matplotlib and
``lessons_lib`` imported and an IPython shell warmed up) forks a fresh child per submission; two
students never share a process, and each child exits after its notebook. Under root the child runs
as real user ``nobody`` with every capability dropped, so that the process limit applies.
The child makes itself a process-group leader, sends its standard streams to /dev/null, limits its
address space, CPU seconds, number of processes and file size (``Limits``), and then serves
requests from the grader over a socket pair, one JSON message each way:

    {"op": "run", "source": cell}         -> {"ok", "error": {"type", "message"} | None, "output"}
    {"op": "eval", "expr": "mse"}         -> {"value": wire data}   (a function comes back as a handle)
    {"op": "call", "handle": k, "args", "kwargs"} -> {"value": ...} or {"raised": {"type", "message"}}

Cells run in IPython's ``InteractiveShell`` (magics, display, last-expression values); their
output is captured and cut at ``Limits.output_bytes``. The grader side (``Sandbox``) waits for each
answer at most a wall-clock limit and then kills the whole process group; it trusts nothing the
child sends beyond what ``wire.decode`` validates.
"""
import ctypes
import json
import os
import resource
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass

from . import wire

PRELOAD = ["numpy", "IPython", "matplotlib.pyplot", "lessons_lib", "lessons_lib.checks", "lessons_lib.grade.sandbox"]
_CHILD_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
              "MPLBACKEND": "Agg", "MALLOC_ARENA_MAX": "2"}


@dataclass(frozen=True)
class Limits:
    """Resource limits for one sandbox child (and the grader's waits on it).

    cell_timeout: wall-clock seconds for one cell or one call before the child is killed.
    memory_mb: address space the child may add beyond the fork server's (0: no limit).
    cpu_seconds: CPU time of the whole child (also the wall-clock budget of one notebook).
    processes: tasks the child's user may run.
    file_size_mb: largest file the child may write. output_bytes: output kept per cell.
    message_bytes: largest answer accepted from the child.
    """

    cell_timeout: float = 60.0
    memory_mb: int = 2048
    cpu_seconds: int = 600
    processes: int = 64
    file_size_mb: int = 64
    output_bytes: int = 20_000
    message_bytes: int = 96 * 1024 * 1024

    def __post_init__(self):
        for name in ("cell_timeout", "cpu_seconds", "processes", "file_size_mb", "output_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"Limits.{name} must be positive, got {getattr(self, name)!r}.")
        if self.memory_mb < 0:
            raise ValueError(f"Limits.memory_mb must be >= 0 (0 for no limit), got {self.memory_mb!r}.")


class SandboxTimeout(Exception):
    """The child did not answer within the wall-clock limit; it has been killed."""


class SandboxCrashed(Exception):
    """The child died (os._exit, a signal, the memory or CPU limit); ``reason`` says which."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------- child side
class _CappedWriter:
    """A text stream keeping the first ``cap`` bytes written to it and counting the rest."""

    def __init__(self, cap):
        self.cap, self.parts, self.size, self.dropped = cap, [], 0, 0

    def write(self, text):
        text = str(text)
        room = self.cap - self.size
        if room > 0:
            kept = text[:room]
            self.parts.append(kept)
            self.size += len(kept)
            self.dropped += len(text) - len(kept)
        else:
            self.dropped += len(text)
        return len(text)

    def flush(self):
        pass

    def isatty(self):
        return False

    def text(self):
        out = "".join(self.parts)
        if self.dropped:
            out += f"\n[{self.dropped} more characters of output were dropped]"
        return out


def _drop_root_privileges():
    """Under root the process limit does not apply; run as real user ``nobody`` without capabilities.

    The effective user stays root (so the installed Python stays readable), but with every
    capability dropped and SECBIT_NOROOT set the child can neither raise a limit nor regain them.
    """
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    secbits = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x20  # NOROOT, NO_SETUID_FIXUP, KEEP_CAPS, each locked
    libc.prctl(28, secbits, 0, 0, 0)  # PR_SET_SECUREBITS
    libc.prctl(38, 1, 0, 0, 0)  # PR_SET_NO_NEW_PRIVS
    os.setresgid(65534, 0, 0)
    os.setresuid(65534, 0, 0)

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    for cap in range(64):  # empty the bounding set, then every capability set
        libc.prctl(24, cap, 0, 0, 0)  # PR_CAPBSET_DROP
    header, data = Header(0x20080522, 0), (Data * 2)()
    if libc.capset(ctypes.byref(header), data) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def _vm_size():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _apply_limits(limits):
    def set_limit(kind, value):
        soft, hard = resource.getrlimit(kind)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(kind, (value, value))

    if limits["memory_mb"]:
        set_limit(resource.RLIMIT_AS, _vm_size() + int(limits["memory_mb"]) * 1024 * 1024)
    set_limit(resource.RLIMIT_CPU, int(limits["cpu_seconds"]))
    set_limit(resource.RLIMIT_FSIZE, int(limits["file_size_mb"]) * 1024 * 1024)
    set_limit(resource.RLIMIT_CORE, 0)
    set_limit(resource.RLIMIT_NPROC, int(limits["processes"]))
    _drop_root_privileges()


def _make_shell():
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False
    config.InteractiveShell.colors = "NoColor"
    config.InteractiveShell.xmode = "Plain"
    shell = InteractiveShell(config=config)
    shell.user_ns["__name__"] = "__main__"
    return shell


def _error(exc):
    try:
        name, message = type(exc).__name__, str(exc)
    except Exception:  # a learner's exception whose __str__ itself fails
        name, message = "Exception", ""
    return {"type": str(name)[:100], "message": message[:2000]}


_SHELL = []  # the InteractiveShell made once in the fork server; each child works on its own copy


def _serve(conn, limits):
    shell = _SHELL[0] if _SHELL else _make_shell()
    handles = {}
    cap = int(limits["output_bytes"])
    me = os.getpid()
    while True:
        try:
            request = json.loads(conn.recv_bytes())
        except EOFError:
            os._exit(0)
        op = request.get("op")
        out = _CappedWriter(cap)
        saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = out
        reply = {}
        try:
            if op == "run":
                result = shell.run_cell(request["source"], store_history=False)
                exc = result.error_before_exec or result.error_in_exec
                reply = {"ok": exc is None, "error": _error(exc) if exc is not None else None}
            elif op == "eval":
                try:
                    value = eval(compile(request["expr"], "<check>", "eval"), shell.user_ns)
                    reply = {"value": wire.encode(value, handles)}
                except Exception as exc:
                    reply = {"raised": _error(exc)}
            elif op == "call":
                try:
                    fn = handles[request["handle"]]
                    args = [wire.decode(a) for a in request["args"]]
                    kwargs = {k: wire.decode(v) for k, v in request["kwargs"].items()}
                    reply = {"value": wire.encode(fn(*args, **kwargs), handles)}
                except BaseException as exc:  # SystemExit and KeyboardInterrupt from learner code too
                    reply = {"raised": _error(exc)}
        finally:
            sys.stdout, sys.stderr = saved
            if os.getpid() != me:  # a process the learner's code forked: it never answers
                os._exit(0)
        reply["output"] = out.text()
        try:
            data = json.dumps(reply).encode()
        except Exception as exc:  # e.g. a wire error while encoding a huge value
            data = json.dumps({"raised": _error(exc), "output": ""}).encode()
        conn.send_bytes(data)


def child_main(conn, limits, workdir):
    """Entry point of a sandbox child (runs in the forked process)."""
    try:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.chdir(workdir)
        os.environ.pop("LESSONS_GRADE_LOG", None)
        os.environ.update(_CHILD_ENV)
        os.environ["HOME"] = os.environ["MPLCONFIGDIR"] = os.environ["IPYTHONDIR"] = workdir
        _apply_limits(limits)
        _serve(conn, limits)
    finally:
        os._exit(0)


# --------------------------------------------------------------------------- the fork server
def serve_forks(sock_fd):
    """The fork server's loop: import the heavy modules once, then fork one child per request.

    A request is a JSON line with the limits and the child's folder, plus the child's end of a
    socket pair (passed as a file descriptor); the reply is ``{"pid"}``. ``{"op": "status"}`` asks
    for a finished child's exit status (children are reaped here).
    """
    import importlib
    import socket

    for name in PRELOAD:
        importlib.import_module(name)
    _SHELL.append(_make_shell())
    _SHELL[0].run_cell("pass", store_history=False)  # the first cell pays IPython's one-time set-up
    _SHELL[0].user_ns.pop("_", None)
    statuses = {}

    def reap(*_):
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            statuses[pid] = os.waitstatus_to_exitcode(status)

    signal.signal(signal.SIGCHLD, reap)
    for sig in _IGNORED_BY_SERVER:  # a submission may signal its parent; SIGKILL is met by a restart
        signal.signal(sig, signal.SIG_IGN)
    sock = socket.socket(fileno=sock_fd)
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(sock, 65536, 1)
        except InterruptedError:
            continue
        if not data:
            os._exit(0)
        request = json.loads(data)
        if request.get("op") == "status":
            reap()
            sock.sendall(json.dumps({"status": statuses.pop(request["pid"], None)}).encode())
            continue
        pid = os.fork()
        if pid == 0:
            sock.close()
            for sig in (signal.SIGCHLD, *_IGNORED_BY_SERVER):
                signal.signal(sig, signal.SIG_DFL)
            from multiprocessing.connection import Connection
            child_main(Connection(fds[0]), request["limits"], request["workdir"])
        os.close(fds[0])
        sock.sendall(json.dumps({"pid": pid}).encode())


_IGNORED_BY_SERVER = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


class ForkServerGone(Exception):
    """The fork server stopped (a submission can kill its parent); the next ``fork_server()`` starts anew."""


class ForkServer:
    """Grader-side handle of the fork server (one per grader process, started on first use)."""

    def __init__(self):
        import socket
        import subprocess

        self.sock, theirs = socket.socketpair()
        env = dict(os.environ, **_CHILD_ENV)
        env.pop("LESSONS_GRADE_LOG", None)
        self.proc = subprocess.Popen([sys.executable, "-c", "import sys; from lessons_lib.grade.sandbox import "
                                      f"serve_forks; serve_forks({theirs.fileno()})"],
                                     pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, env=env,
                                     start_new_session=True)
        theirs.close()
        self.lock = threading.Lock()

    def _ask(self, message, fds=()):
        import socket
        with self.lock:
            try:
                socket.send_fds(self.sock, [json.dumps(message).encode()], list(fds))
                raw = self.sock.recv(65536)
            except OSError:
                raw = b""
            if not raw:
                self.stop()
                raise ForkServerGone("the fork server stopped")
            return json.loads(raw)

    def stop(self):
        """End the server process (if it still runs) so that ``fork_server()`` replaces it."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()

    def fork(self, limits, workdir):
        """``(pid, Connection)`` of a new sandbox child."""
        from multiprocessing.connection import Connection
        import socket

        mine, theirs = socket.socketpair()
        try:
            reply = self._ask({"limits": limits, "workdir": workdir}, [theirs.fileno()])
        finally:
            theirs.close()
        return reply["pid"], Connection(mine.detach())

    def status(self, pid):
        """The exit code of a finished child, or None (still running, or unknown)."""
        try:
            return self._ask({"op": "status", "pid": pid}).get("status")
        except ForkServerGone:  # it reaped the child's status: that is lost with it
            return None


_lock = threading.Lock()
_server = None


def fork_server():
    """The fork server, started once per grader process with numpy, IPython and lessons_lib imported."""
    global _server
    with _lock:
        if _server is None or _server.proc.poll() is not None:
            _server = ForkServer()
        return _server


_SIGNALS = {signal.SIGKILL: "it was killed (often: the memory limit)", signal.SIGXCPU: "it used up its CPU time",
            signal.SIGSEGV: "Python crashed (segmentation fault)", signal.SIGABRT: "Python aborted",
            signal.SIGXFSZ: "it wrote a file larger than the limit"}


_live = set()


def close_all():
    """Kill every sandbox child still running (used when grading is interrupted)."""
    for box in list(_live):
        box.close()


class Sandbox:
    """Grader-side handle of one sandbox child. ``request`` sends one message and waits for the reply."""

    def __init__(self, limits):
        self.limits = limits
        self.proc = self.conn = None
        self.workdir = tempfile.mkdtemp(prefix="lessons-sandbox-")
        os.chmod(self.workdir, 0o777)
        for attempt in (1, 2):  # a submission graded before may have killed the server: start a new one
            self.server = fork_server()
            try:
                self.pid, self.conn = self.server.fork(asdict(limits), self.workdir)
                break
            except ForkServerGone:
                if attempt == 2:
                    raise
        self.proc = True
        _live.add(self)

    def request(self, message, timeout=None):
        """The child's reply (a dict); ``SandboxTimeout`` or ``SandboxCrashed`` after killing it."""
        if self.proc is None:
            raise SandboxCrashed("the sandbox was already stopped")
        timeout = self.limits.cell_timeout if timeout is None else timeout
        try:
            self.conn.send_bytes(json.dumps(message).encode())
            ready = self.conn.poll(max(timeout, 0.01))
        except (OSError, ValueError):
            ready = True
        if not ready:
            self.close()
            raise SandboxTimeout(f"no answer within {timeout:g} s")
        try:
            raw = self.conn.recv_bytes(self.limits.message_bytes)
            reply = json.loads(raw)
            if type(reply) is not dict:
                raise ValueError("not a dict")
            return reply
        except (EOFError, OSError, ValueError) as exc:
            reason = self._death_reason() if isinstance(exc, EOFError) else f"it sent an invalid answer ({type(exc).__name__})"
            self.close()
            raise SandboxCrashed(reason) from None

    def _death_reason(self):
        code = None
        for _ in range(50):
            code = self.server.status(self.pid)
            if code is not None:
                break
            time.sleep(0.01)
        if code is None:
            return "it stopped answering"
        if code < 0:
            return _SIGNALS.get(-code, f"it was stopped by signal {-code}")
        return f"the Python process exited (exit status {code}, e.g. os._exit)"

    def close(self):
        """Kill the child and everything it started; remove its folder."""
        if self.proc is not None:
            for _ in range(200):  # a fork bomb keeps adding members while we kill
                try:
                    os.killpg(self.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    break
                time.sleep(0.002)
            self.proc = None
        if self.conn is not None:
            self.conn.close()
            self.conn = None
        shutil.rmtree(self.workdir, ignore_errors=True)
        _live.discard(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
