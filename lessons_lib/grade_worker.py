"""Run one graded notebook safely: a worker process with memory, CPU and time limits (``lessons_lib.grade``).

    python -m lessons_lib.grade_worker NOTEBOOK --timeout S --total-timeout S --memory MB   # the worker

``execute_in_worker(nb, limits)`` writes ``nb`` to a fresh temporary folder and starts this module as
a worker process in its own session. The worker limits its address space and CPU time, runs the
notebook in a fresh kernel (per-cell timeout with interrupt, a limit for the whole notebook, a cap on
stored output per cell), records where the check log stood when each cell started, ends the kernel's
process group (and whatever the student's code started), and leaves ``executed.ipynb`` and
``status.json`` behind. Nothing a notebook does can raise in the caller.
"""
import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from .authoring import KERNEL_NAME, kernel_env, retry_lost_start_race

LOG_NAME = "grade_log.jsonl"
MAX_CELL_OUTPUT = 200_000  # characters of output kept per cell; the rest is dropped (print floods)


def _limit_resources(memory_mb, cpu_seconds):
    """Address-space and CPU limits for this process; the kernel it starts inherits them."""
    import resource

    if memory_mb:
        limit = int(memory_mb * 1024 * 1024)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds:
        resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds) + 5))


def _make_client(nb, folder, timeout):
    """A NotebookClient that caps stored output and records, per executed cell, where the log stood."""
    from nbclient import NotebookClient

    log = folder / LOG_NAME

    class GradingClient(NotebookClient):
        def output(self, outs, msg, display_id, cell_index):
            size = len(json.dumps(msg.get("content", {})))
            used = self._sizes.get(cell_index, 0)
            self._sizes[cell_index] = used + size
            if used + size <= MAX_CELL_OUTPUT or msg.get("msg_type") == "error":  # keep tracebacks
                return super().output(outs, msg, display_id, cell_index)
            if used <= MAX_CELL_OUTPUT:
                outs.append(nbformat.v4.new_output("stream", name="stderr",
                                                   text="\n[the grader dropped the rest of this cell's output]\n"))
            return None

    def cell_starts(cell, cell_index, **_):
        client.starts.append([cell_index, log.stat().st_size if log.exists() else 0])

    def kernel_started(**_):
        client.kernel_pid = getattr(client.km.provisioner, "pid", None)

    client = GradingClient(nb, timeout=timeout, kernel_name=KERNEL_NAME, allow_errors=True,
                           interrupt_on_timeout=True, record_timing=False, startup_timeout=120,
                           shutdown_kernel="immediate", on_cell_execute=cell_starts,
                           on_notebook_start=kernel_started,
                           resources={"metadata": {"path": str(folder)}})
    client.starts, client.kernel_pid, client._sizes = [], None, {}
    return client


def run_one(notebook_path, timeout, total_timeout):
    """Execute a graded notebook in its folder; save executed.ipynb and status.json beside it.

    The notebook file is deleted once read, so code in other notebooks graded at the same time
    cannot read it.  ``status.json`` holds the problem kind (None, "total_timeout", "kernel_died",
    "failed"), the cell that was running and the log offset where each executed cell started.
    """
    from nbclient.exceptions import DeadKernelError

    folder = Path(notebook_path).parent
    nb = nbformat.read(notebook_path, as_version=4)
    Path(notebook_path).unlink()
    env = kernel_env(LESSONS_GRADE_LOG=str(folder / LOG_NAME), MPLBACKEND="Agg", MALLOC_ARENA_MAX="2")
    for name in ("PWD", "OLDPWD"):  # do not point student code at the grader's folder
        env.pop(name, None)
    clients = []

    def attempt():  # a fresh client each time: a kernel that lost the race for its ports is started again
        clients.append(_make_client(nb, folder, timeout))
        asyncio.run(asyncio.wait_for(clients[-1].async_execute(env=env), total_timeout))

    # The kernel runs in its own process group: end it, and whatever it started, when we are stopped.
    signal.signal(signal.SIGTERM, lambda *_: (_kill_group(clients[-1].kernel_pid if clients else None), os._exit(1)))
    problem, detail = None, None
    try:
        retry_lost_start_race(attempt)
    except asyncio.TimeoutError:
        problem = "total_timeout"
    except DeadKernelError:
        problem = "kernel_died"
    except Exception as exc:  # anything nbclient raises must still yield a report, not a crash
        problem, detail = "failed", f"{type(exc).__name__}: {exc}"
    client = clients[-1]
    _kill_group(client.kernel_pid)  # processes the student's code left running
    running = client.starts[-1][0] if problem and client.starts else None
    nbformat.write(nb, folder / "executed.ipynb")
    status = {"problem": problem, "detail": detail, "running": running, "starts": client.starts}
    (folder / "status.json").write_text(json.dumps(status), encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lessons_lib.grade_worker")
    parser.add_argument("notebook")
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--total-timeout", type=float, required=True)
    parser.add_argument("--memory", type=float, required=True)
    args = parser.parse_args(argv)
    _limit_resources(args.memory, args.total_timeout + 30)
    run_one(args.notebook, args.timeout, args.total_timeout)
    return 0


def _kill_group(pid, sig=signal.SIGKILL):
    if pid and pid > 1:
        try:
            os.killpg(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def _read_log(path, starts):
    """``[(cell index, record)]``: each JSON line of the check log with the cell that was running."""
    if not path.exists():
        return []
    records, offset = [], 0
    with open(path, "rb") as fh:
        for raw in fh:
            at = [index for index, start in starts if start <= offset]
            offset += len(raw)
            try:
                record = json.loads(raw)
            except ValueError:
                continue
            if isinstance(record, dict) and at:
                records.append((at[-1], record))
    return records


def execute_in_worker(nb, limits):
    """Run ``nb`` in a worker process in a fresh temporary folder.

    Returns ``(executed notebook or None, [(cell index, check-log record)], status)`` where ``status``
    is the worker's status dict (``problem`` None when everything ran).  Never raises for anything
    the notebook does.  The worker's files are trusted only when it exits normally (the student's
    code runs in that folder and could leave a fake status.json behind).
    """
    with tempfile.TemporaryDirectory(prefix="lessons-grade-") as tmp:
        tmp = Path(tmp)
        nbformat.write(nb, tmp / "graded.ipynb")
        cmd = [sys.executable, "-m", "lessons_lib.grade_worker", str(tmp / "graded.ipynb"),
               "--timeout", str(limits["timeout"]), "--total-timeout", str(limits["total_timeout"]),
               "--memory", str(limits["memory"])]
        with open(tmp / "worker.err", "wb") as err:  # a file, so a flood of stderr cannot fill our memory
            proc = subprocess.Popen(cmd, cwd=tmp, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=err, start_new_session=True)
            try:
                proc.wait(timeout=limits["total_timeout"] + 60)
            except subprocess.TimeoutExpired:
                _kill_group(proc.pid, signal.SIGTERM)  # the worker then ends its kernel
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    _kill_group(proc.pid)
                    proc.wait()
                return None, [], {"problem": "stopped", "detail": None, "running": None, "starts": []}
        try:
            if proc.returncode != 0:
                raise ValueError(f"exit status {proc.returncode}")
            status = json.loads((tmp / "status.json").read_text(encoding="utf-8"))
            executed = nbformat.read(tmp / "executed.ipynb", as_version=4)
        except Exception as exc:  # the worker itself failed (out of memory, killed, ...)
            text = (tmp / "worker.err").read_bytes()[-2000:].decode(errors="replace").strip().splitlines()
            detail = f"the grading worker failed: {text[-1] if text else exc}"[:300]
            return None, [], {"problem": "failed", "detail": detail, "running": None, "starts": []}
        return executed, _read_log(tmp / LOG_NAME, status["starts"]), status


if __name__ == "__main__":
    sys.exit(main())
