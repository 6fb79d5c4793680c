"""The trusted runner: grades one submission without ever running learner code in this process.

The cells to run come from the solution notebook (setup, data and demo cells) with the learner's
answer cells swapped in (matched by cell id) and the code cells the learner added kept in place.
A sandbox child runs them one by one. At each of the solution's check cells the runner asks the
sandbox for the value the check would receive (a function comes back as a ``SandboxFunction``
proxy) and computes the verdict here, with the course's checkers (``evaluate``); hidden tests run
here too, on the same proxies. Nothing printed, patched or written in the sandbox can change a
verdict: only the values it returns count.

When the child dies (os._exit, a signal, a limit) or a cell/call runs past its time, the child is
killed and a new one replays the cells that had completed, skipping the one that failed, and
grading goes on: the failed exercise gets the status ``crashed``, ``memory`` or ``timeout``.
"""
import ast
import builtins
import time

import numpy as np

from . import wire
from .sandbox import Sandbox, SandboxCrashed, SandboxTimeout


# --------------------------------------------------------------------------- the one link to the checkers
def evaluate(exercise_id, submission, *, timeout=None):
    """Run the registered checker of ``exercise_id`` on ``submission``: a ``CheckResult``, no printing or logging.

    The course's own ``lessons_lib.checks.evaluate``, with its in-process time guard switched off:
    here the time limit is the sandbox's (a ``Budget`` shared by every call of one check, enforced by
    killing the child), and the guard exists for learner code running in the checker's own process.
    ``_Crashed`` (the sandbox died) is a BaseException that passes through: the runner handles it.
    """
    from ..checks import evaluate as evaluate_here

    result = evaluate_here(exercise_id, submission, timeout=0)
    if result.status == "timeout" and not result.message:
        limit = exercise_timeout(exercise_id) if timeout is None else timeout
        result.message = f"your code did not finish within {limit:g} s, so it was stopped."
    return result


def exercise_points(exercise_id):
    from ..checks import get_exercise
    return get_exercise(exercise_id).points


def exercise_timeout(exercise_id):
    from ..checks import get_exercise
    return get_exercise(exercise_id).timeout


def _check_timeout_error():
    from ..checks.timeguard import CheckTimeout
    return CheckTimeout()


# --------------------------------------------------------------------------- proxies
class _Crashed(BaseException):
    """The sandbox died during a call (a BaseException: no checker's ``except Exception`` can hide it)."""


class SandboxError(Exception):
    """An exception of a type the grader does not rebuild; the message names the original type."""


_REBUILT = {name: getattr(builtins, name) for name in (
    "ValueError", "TypeError", "NotImplementedError", "ZeroDivisionError", "IndexError", "KeyError",
    "AttributeError", "NameError", "RuntimeError", "FloatingPointError", "OverflowError", "AssertionError",
    "RecursionError", "UnboundLocalError", "ArithmeticError", "LookupError", "MemoryError")}


def rebuild_exception(info):
    """An exception of the reported type (known built-in types only) carrying the reported message."""
    name = str(info.get("type", "Exception")) if isinstance(info, dict) else "Exception"
    message = str(info.get("message", ""))[:2000] if isinstance(info, dict) else ""
    cls = _REBUILT.get(name)
    return cls(message) if cls is not None else SandboxError(f"{name}: {message}" if message else name)


class Budget:
    """Wall-clock seconds left for one check or hidden test (shared by all its calls)."""

    def __init__(self, seconds, cap):
        self.deadline, self.cap = time.monotonic() + seconds, cap

    def left(self):
        return min(self.deadline - time.monotonic(), self.cap)


class SandboxFunction:
    """A learner's function that lives in the sandbox: calling it sends the arguments there and
    returns plain data (or raises the reported exception). Read-only arrays stay read-only there."""

    def __init__(self, session, handle, name="function"):
        self._session, self._handle, self.__name__ = session, handle, name

    def __call__(self, *args, **kwargs):
        left = self._session.budget.left()
        if left <= 0:
            raise _check_timeout_error()
        try:
            message = {"op": "call", "handle": self._handle, "args": [wire.encode(a) for a in args],
                       "kwargs": {str(k): wire.encode(v) for k, v in kwargs.items()}}
        except wire.WireError as exc:
            raise TypeError(str(exc)) from None
        try:
            reply = self._session.request(message, left)
        except SandboxTimeout:
            raise _check_timeout_error() from None
        except SandboxCrashed as exc:
            raise _Crashed(exc.reason) from None
        if "raised" in reply:
            raise rebuild_exception(reply["raised"])
        return self._session.plain(reply.get("value"))

    def __repr__(self):
        return f"<learner function {self.__name__}>"


# --------------------------------------------------------------------------- the notebook plan
def check_call(source):
    """``(exercise id, argument source, assigned name or None)`` of a ``check("id", expr)`` cell, else None."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for stmt in tree.body:
        value = stmt.value if isinstance(stmt, (ast.Expr, ast.Assign)) else None
        if (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "check"
                and len(value.args) >= 2 and isinstance(value.args[0], ast.Constant)
                and isinstance(value.args[0].value, str)):
            target = stmt.targets[0].id if isinstance(stmt, ast.Assign) and isinstance(stmt.targets[0], ast.Name) else None
            return value.args[0].value, ast.get_source_segment(source, value.args[1]), target
    return None


class Session:
    """One submission's sandbox, with replay after a crash or a kill."""

    def __init__(self, limits):
        self.limits = limits
        self.sandbox = None
        self.done = []  # sources of the cells that completed, in order (replayed after a crash)
        self.budget = Budget(limits.cell_timeout, limits.cell_timeout)

    def _ensure(self):
        if self.sandbox is None:
            self.sandbox = Sandbox(self.limits)
            for source in list(self.done):
                try:
                    self.sandbox.request({"op": "run", "source": source})
                except (SandboxTimeout, SandboxCrashed):
                    self.done.remove(source)  # it behaved differently this time: leave it out
                    self.sandbox = None
                    return self._ensure()

    def request(self, message, timeout=None):
        self._ensure()
        try:
            return self.sandbox.request(message, timeout)
        except (SandboxTimeout, SandboxCrashed):
            self.sandbox = None  # the Sandbox has already killed its child
            raise

    def run(self, source):
        """Run one cell: ``{"status": ok|error|timeout|crashed|memory, "error", "output"}``."""
        try:
            reply = self.request({"op": "run", "source": source})
        except SandboxTimeout:
            return {"status": "timeout", "error": None, "output": ""}
        except SandboxCrashed as exc:
            status = "memory" if "memory" in exc.reason else "crashed"
            return {"status": status, "error": exc.reason, "output": ""}
        self.done.append(source)
        error = reply.get("error") if isinstance(reply.get("error"), dict) else None
        status = "ok" if reply.get("ok") is True else ("memory" if error and error.get("type") == "MemoryError" else "error")
        return {"status": status, "error": error, "output": str(reply.get("output", ""))[: self.limits.output_bytes + 200]}

    def value(self, expr):
        """The value of ``expr`` in the learner's namespace as plain data/proxies; raises the reported error."""
        reply = self.request({"op": "eval", "expr": expr})
        if "raised" in reply:
            raise rebuild_exception(reply["raised"])
        return self.plain(reply.get("value"))

    def plain(self, data):
        try:
            value = wire.decode(data)
        except wire.WireError as exc:
            raise SandboxError(f"the answer could not be read ({exc})") from None
        return self._proxies(value)

    def _proxies(self, value):
        if isinstance(value, wire.CallableRef):
            return SandboxFunction(self, value.handle)
        if isinstance(value, (list, tuple)):
            out = [self._proxies(v) for v in value]
            return out if isinstance(value, list) else tuple(out)
        if isinstance(value, dict):
            return {k: self._proxies(v) for k, v in value.items()}
        return value

    def close(self):
        if self.sandbox is not None:
            self.sandbox.close()
            self.sandbox = None


# --------------------------------------------------------------------------- grading one notebook
def _first_line(source):
    lines = [ln for ln in source.strip().splitlines() if ln.strip()]
    return lines[0][:60] if lines else ""


def _cell_problem(cell_result, limits):
    status = cell_result["status"]
    if status == "timeout":
        return f"it ran longer than {limits.cell_timeout:g} s and was stopped (is there a loop that never ends?)"
    if status == "crashed":
        return f"it crashed the Python process ({cell_result['error']}); the grader restarted and went on without it"
    if status == "memory":
        return "it needed more memory than allowed" + (
            f" ({cell_result['error']})" if isinstance(cell_result.get("error"), str) else "")
    err = cell_result.get("error") or {}
    if err.get("type") == "NotImplementedError":
        return None
    msg = " ".join(str(err.get("message", "")).split())[:200]
    return f"it raised {err.get('type')}" + (f": {msg}" if msg else "")


def run_plan(plan, student_cells, limits, hidden, reference_use, on_event=None):
    """Run one submission: ``(item results, cell notes)``.

    ``plan``: the solution's cells (``scoring.plan_cells``); ``student_cells``: ``{id: source}`` of
    answer cells plus the learner's extra cells (``scoring.merge``); ``hidden``: ``{after cell id:
    [HiddenTest]}``; ``reference_use``: ``{exercise id: reason}`` for answers that call the course's
    reference (no credit).
    """
    session = Session(limits)
    results, notes, answer_state = {}, [], {}
    started = time.monotonic()
    names_of_reference_use = {cell["check"][1] for cell in plan if cell["kind"] == "check"
                              and cell["check"][0] in reference_use}
    try:
        for cell in student_cells:
            kind, source = cell["kind"], cell["source"]
            if time.monotonic() - started > limits.cpu_seconds:
                notes.append({"status": "stopped", "cell": _first_line(source),
                              "text": "the notebook ran past its total time limit; the rest was not run"})
                break
            if kind == "check":
                exercise, expr, target = cell["check"]
                if exercise not in results:
                    results[exercise] = _grade_check(session, exercise, expr, answer_state.get(exercise),
                                                     reference_use.get(exercise))
                if target:
                    res = results[exercise]
                    session.run(f"import types as _t\n{target} = _t.SimpleNamespace(passed={res['status'] == 'passed'!r}, "
                                f"status={res['status']!r})\ndel _t")
            elif kind in ("answer", "setup", "extra", "missing"):
                if kind == "missing":
                    answer_state[cell["exercise"]] = {"status": "missing_answer"}
                    continue
                outcome = session.run(source)
                if outcome["status"] != "ok":
                    problem = _cell_problem(outcome, limits)
                    if problem:
                        who = "your answer cell" if kind == "answer" else ("a cell you added" if kind == "extra" else "a course cell")
                        notes.append({"status": outcome["status"], "cell": _first_line(source),
                                      "text": f"{who} (`{_first_line(source)}`): {problem}"})
                if kind == "answer":
                    answer_state[cell["exercise"]] = outcome
            for test in hidden.get(cell.get("id"), []):
                copied = sorted(name for name in test.needs if name in names_of_reference_use)
                if copied:
                    results[test.id] = {"kind": "hidden", "max_points": test.points, "points": 0.0,
                                        "misconception": None, "description": test.description.rstrip("."),
                                        "status": "reference_used", "message": "no credit: the answer it tests "
                                        "uses the course's own code."}
                else:
                    results[test.id] = _run_hidden(session, test, limits)
            if on_event:
                on_event(cell)
    finally:
        session.close()
    return results, notes


def _grade_check(session, exercise, expr, answer, reference_reason):
    points = exercise_points(exercise)
    base = {"kind": "check", "max_points": points, "points": 0.0, "misconception": None}
    if answer is not None and answer["status"] == "missing_answer":
        return dict(base, status="missing_answer", message="the answer cell was deleted from the notebook, so "
                    "there was nothing to grade.")
    if answer is not None and answer["status"] in ("timeout", "crashed", "memory"):
        why = {"timeout": "your answer cell ran past the time limit and was stopped",
               "crashed": "your answer cell crashed the Python process",
               "memory": "your answer cell needed more memory than allowed"}[answer["status"]]
        return dict(base, status=answer["status"], message=f"{why}, so this exercise could not be graded.")
    if reference_reason:
        return dict(base, status="reference_used", message=f"no credit: {reference_reason}. Write the computation "
                    "yourself with NumPy.")
    session.budget = Budget(exercise_timeout(exercise), session.limits.cell_timeout)
    try:
        try:
            submission = session.value(expr)
        except NotImplementedError:
            return dict(base, status="not_attempted", message="not attempted yet.")
        except Exception as exc:
            return dict(base, status="error", message=f"the check could not get your answer ({type(exc).__name__}: "
                        f"{' '.join(str(exc).split())[:200]}).")
        result = evaluate(exercise, submission, timeout=exercise_timeout(exercise))
    except SandboxTimeout:
        return dict(base, status="timeout", message="your answer could not be read within the time limit.")
    except (_Crashed, SandboxCrashed) as exc:
        return dict(base, status="crashed", message=f"calling your answer crashed the Python process ({exc}); "
                    "this exercise could not be graded.")
    return dict(base, status=result.status, message=result.message, misconception=result.misconception,
                points=max(0.0, min(float(result.points), points)))


def _run_hidden(session, test, limits):
    base = {"kind": "hidden", "max_points": test.points, "points": 0.0, "misconception": None,
            "description": test.description}
    session.budget = Budget(max(limits.cell_timeout, 10.0), limits.cell_timeout)
    try:
        values = [session.value(name) for name in test.needs]
        with np.errstate(all="ignore"):
            test.fn(*values)
    except (_Crashed, SandboxCrashed):
        return dict(base, status="crashed", message=f"hidden test ({test.description}): your code crashed the Python process.")
    except SandboxTimeout:
        return dict(base, status="timeout", message=f"hidden test ({test.description}): your code ran past the time limit.")
    except BaseException as exc:
        if type(exc).__name__ == "CheckTimeout":
            return dict(base, status="timeout", message=f"hidden test ({test.description}): your code ran past the time limit.")
        if isinstance(exc, NotImplementedError) or type(exc).__name__ == "NameError":
            return dict(base, status="not_attempted", message=f"hidden test ({test.description}): not attempted.")
        if not isinstance(exc, Exception):
            raise
        return dict(base, status="failed", message=f"hidden test ({test.description}): failed.")
    return dict(base, status="passed", points=test.points, message=f"hidden test ({test.description}): passed.")
