"""The check engine and its result: run a registered checker on a submission, turn the outcome into a ``CheckResult``.

``evaluate(exercise_id, submission)`` is the pure core (used by the batch grader): it prints nothing,
logs nothing and ignores hint state. ``check`` (the notebooks' entry point) is ``evaluate`` plus the
printed verdict and the ``LESSONS_GRADE_LOG`` JSON line. ``hint`` prints the next hint.

The submission is untrusted and opaque. A checker may only *call* it (and look at what comes back):
it never reads its source, code object, signature or defaults. That is what lets the grader pass a
proxy that forwards each call to a sandbox process and returns plain data (NumPy arrays, floats,
lists, strings, None) or raises an exception of the reported type. So, in every checker:

* defaults are tested by calling without the argument;
* changes to the caller's arrays are detected by passing read-only arrays (``flags.writeable`` is
  False; the proxy reproduces that in the sandbox) and by comparing copies before and after;
* state carried between calls is detected by calling twice with the same input;
* the time limit is the whole check's (``TimeGuard``); a check whose guard expired is a timeout,
  whatever the learner's code did with the interruption.

A checker returns a ``Verdict`` (``passed``/``failed`` build one), a ``CheckResult`` or a bool.
"""
from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field, fields

import numpy as np

from .registry import get_exercise
from .timeguard import CheckTimeout, TimeGuard

__all__ = [
    "CheckResult", "Verdict", "passed", "failed", "NotAttempted", "StudentError", "guarded_call",
    "evaluate", "check", "hint", "reset_hints", "STATUSES", "STATUS_LABELS",
]

STATUSES = ("passed", "failed", "not_attempted", "error", "timeout")
STATUS_LABELS = {"passed": "PASSED", "failed": "NOT YET", "not_attempted": "NOT ATTEMPTED",
                 "error": "ERROR", "timeout": "TIME LIMIT"}
_COLOURS = {  # (border, background) of the notebook box
    "passed": ("#2e7d32", "#e8f5e9"), "failed": ("#c62828", "#ffebee"), "not_attempted": ("#757575", "#f5f5f5"),
    "error": ("#ef6c00", "#fff3e0"), "timeout": ("#6a1b9a", "#f3e5f5"),
}


# --------------------------------------------------------------------------- results

@dataclass
class CheckResult:
    """The outcome of one check. ``str(result)`` is a plain-text verdict; notebooks show a coloured box."""

    exercise: str
    status: str
    passed: bool
    points: float
    max_points: float
    message: str
    misconception: str | None = None
    _shown: bool = field(default=False, repr=False, compare=False)

    def to_dict(self):
        """The public fields as a JSON-ready dict (what ``LESSONS_GRADE_LOG`` records)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}

    @property
    def label(self):
        """The status in plain words: PASSED, NOT YET, NOT ATTEMPTED, ERROR or TIME LIMIT."""
        return STATUS_LABELS.get(self.status, self.status.upper())

    def _score(self):
        return f"{self.points:g}/{self.max_points:g} point{'s' if self.max_points != 1 else ''}"

    def __str__(self):
        return f"[{self.label}] {self.exercise} ({self._score()}): {self.message}"

    def __bool__(self):
        return self.passed

    def _repr_html_(self):
        border, background = _COLOURS.get(self.status, ("#455a64", "#eceff1"))
        name = (f"<div style='margin-top:4px;font-size:90%;color:#555'>mistake: "
                f"<code>{html.escape(self.misconception)}</code></div>") if self.misconception else ""
        return (f"<div style='border-left:6px solid {border};background:{background};padding:8px 12px;"
                f"margin:4px 0;border-radius:4px;max-width:60em'>"
                f"<div><strong style='color:{border}'>{html.escape(self.label)}</strong> · "
                f"<code>{html.escape(self.exercise)}</code> · {html.escape(self._score())}</div>"
                f"<div style='white-space:normal;overflow-wrap:anywhere;margin-top:4px'>"
                f"{html.escape(self.message)}</div>{name}</div>")

    def _ipython_display_(self):
        if self._shown:  # check() has already shown the verdict; not a second time as the cell's value
            return
        from IPython.display import display
        display({"text/plain": str(self), "text/html": self._repr_html_()}, raw=True)


@dataclass
class Verdict:
    """What a checker returns: pass/fail, a message, the misconception name, an optional score in [0, 1]."""

    passed: bool
    message: str
    misconception: str | None = None
    score: float | None = None
    status: str | None = None


def passed(message="Correct, well done!"):
    """A passing ``Verdict``."""
    return Verdict(True, message)


def failed(message, misconception=None, *, score=0.0):
    """A failing ``Verdict``, optionally naming the catalogued misconception."""
    return Verdict(False, message, misconception, score)


# --------------------------------------------------------------------------- calling learner code

class NotAttempted(Exception):
    """The learner's code still raises NotImplementedError (the generated stub)."""


class StudentError(Exception):
    """The learner's code raised; ``original`` is the exception, ``where`` describes the input."""

    def __init__(self, original, where=""):
        super().__init__(f"{type(original).__name__}: {original}")
        self.original = original
        self.where = where


_state = {"call": ""}  # the input being tried right now, for the timeout message


def guarded_call(fn, *args, where="", **kwargs):
    """Call the learner's ``fn(*args, **kwargs)``, translating what can go wrong.

    NotImplementedError -> ``NotAttempted``; any other exception (or SystemExit) -> ``StudentError`` carrying
    ``where`` (a description of the input, used in the message). NumPy warnings are silenced: a
    NaN or inf result is judged by the caller. The time limit itself is applied by ``evaluate``.
    """
    _state["call"] = where  # deliberately left set if a timeout interrupts the call
    try:
        with np.errstate(all="ignore"):
            out = fn(*args, **kwargs)
    except NotImplementedError as err:
        raise NotAttempted(err) from None
    except (Exception, SystemExit) as err:  # a learner's bug (even sys.exit()) becomes a brief message
        raise StudentError(err, where) from err
    _state["call"] = ""
    return out


# --------------------------------------------------------------------------- evaluate, check, hint

def _short(text, limit=160):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _to_verdict(outcome):
    if isinstance(outcome, (Verdict, CheckResult)):
        return outcome
    if isinstance(outcome, (bool, np.bool_)):
        return passed() if outcome else failed("Not quite: that answer is not correct yet.")
    raise TypeError(f"a checker must return a Verdict, CheckResult or bool, got {type(outcome).__name__}.")


def evaluate(exercise_id, submission, *, timeout=None):
    """Run the registered checker on ``submission`` and return a ``CheckResult``. Prints and logs nothing.

    Never raises for anything the learner did: a stub is "not attempted", an exception in their
    code is an "error" naming the input, code running past the time limit is a "timeout" (decided by
    the guard's own record, so catching the interruption does not help). ``timeout`` overrides the
    exercise's limit in seconds (0 or None-like values <= 0 switch it off).
    """
    ex = get_exercise(exercise_id)
    limit = ex.timeout if timeout is None else timeout
    status, misconception, score, result = None, None, None, None
    _state["call"] = ""
    guard = TimeGuard(limit)
    try:
        outcome = _to_verdict(guard.run(ex.checker, submission))
    except NotAttempted:
        status, message = "not_attempted", (
            f"not attempted yet: replace the `raise NotImplementedError` line with your answer, run that "
            f"cell, then run this check again. Stuck? hint({exercise_id!r}) gives a hint.")
    except NotImplementedError:
        status, message = "not_attempted", "not attempted yet: fill in your answer and run this check again."
    except StudentError as err:
        where = f" on {err.where}" if err.where else ""
        status, message = "error", (
            f"your code raised {type(err.original).__name__}{where}: {_short(str(err.original))}")
    except CheckTimeout:
        status, message = "timeout", ""
    except Exception as err:  # the learner's object broke the checker (odd type, etc.): report, don't crash
        status, message = "error", f"the check could not use your answer ({type(err).__name__}: {_short(str(err))})."
    else:
        if isinstance(outcome, CheckResult):
            result = outcome
        else:
            status = outcome.status or ("passed" if outcome.passed else "failed")
            message, misconception, score = outcome.message, outcome.misconception, outcome.score
    if guard.expired:  # the guard's own record wins over anything the learner's code returned or raised
        where = str(_state["call"] or "")
        status, misconception, score, result = "timeout", None, None, None
        message = (f"your code did not finish within the time limit of {limit:g} s"
                   f"{' (it was running on ' + where + ')' if where else ''}, so it was stopped. "
                   "Look for a loop that never ends or that repeats far more work than needed.")
    if result is None:
        ok = status == "passed"
        frac = (1.0 if ok else 0.0) if score is None else min(max(float(score), 0.0), 1.0)
        result = CheckResult(ex.exercise_id, status, ok, round(frac * ex.points, 6), ex.points, message,
                             misconception)
    result._shown = False
    return result


def _log(result):
    path = os.environ.get("LESSONS_GRADE_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(result.to_dict()) + "\n")


def _show(result):
    try:
        from IPython import get_ipython
        from IPython.display import display
        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None and type(shell).__name__ == "ZMQInteractiveShell":
        display(result)
    else:
        print(result)


def check(exercise_id, submission, *, quiet=False, timeout=None):
    """Check ``submission`` for ``exercise_id``: show one verdict (unless quiet) and return a ``CheckResult``.

    In a notebook the verdict is a coloured box; elsewhere one plain-text line. See ``evaluate``.
    """
    result = evaluate(exercise_id, submission, timeout=timeout)
    _log(result)
    if not quiet:
        _show(result)
        result._shown = True
    return result


_HINTS_SHOWN: dict[str, int] = {}


def hint(exercise_id):
    """Print the next hint for ``exercise_id`` (the last one again once all have been shown)."""
    ex = get_exercise(exercise_id)
    if not ex.hints:
        print(f"Hint: there are no hints for {exercise_id!r}; re-read the statement above the exercise.")
        return
    k = _HINTS_SHOWN.get(exercise_id, 0)
    shown = min(k, len(ex.hints) - 1)
    _HINTS_SHOWN[exercise_id] = k + 1
    extra = " (that was the last hint)" if k >= len(ex.hints) - 1 else ""
    print(f"Hint {shown + 1}/{len(ex.hints)} for {exercise_id!r}{extra}: {ex.hints[shown]}")


def reset_hints(exercise_id=None):
    """Start the hints again from the first one (for one exercise or all)."""
    if exercise_id is None:
        _HINTS_SHOWN.clear()
    else:
        _HINTS_SHOWN.pop(exercise_id, None)
