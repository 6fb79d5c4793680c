"""The check engine: run a learner's answer, compare it with the reference, name the misunderstanding.

Used by every exercise notebook (``check("mse", mse)``, ``hint("mse")``) and by the batch grader
(``CheckResult`` fields, the ``LESSONS_GRADE_LOG`` JSON lines).

How to register an exercise (in a topic module such as ``checks/regression.py``)::

    from .core import Misconception, Probe, diagnose_function, register

    FORGOT_MEAN = Misconception(
        "forgot_mean",
        "It looks like you added the squared errors up but forgot to divide by n (use np.mean).",
        lambda y_true, y_pred: np.sum((y_true - y_pred) ** 2),
    )

    @register("mse", title="Implement mse", points=2, hints=["...", "..."])
    def check_mse(submission):
        '''The learner's mse(y_true, y_pred) agrees with lessons_lib.losses.mse on every probe.'''
        return diagnose_function(submission, losses.mse, PROBES, [FORGOT_MEAN, ...])

A checker takes the learner's submission and returns a ``Verdict`` (``passed``/``failed`` build one),
or a ``CheckResult``, or a bool. ``check`` adds the exercise id, points and the time guard. Helpers:

* ``diagnose_function(fn, reference, probes, misconceptions)``: function exercises. Probes are dicts
  ``{"y_true": ..., "y_pred": ...}`` (argument names in call order) or ``Probe`` objects (for an
  expected value that differs from the reference, inputs that may legitimately raise, looser
  tolerances). Put the probe that separates two misconceptions *before* any probe where they agree.
* ``compare_value(answer, expected, misconceptions)``: numbers computed by hand (scalars or
  sequences); a misconception's ``wrong_fn`` is then the wrong *value* (e.g. 20 for "forgot to square").
* ``compare_choice`` (multiple choice, explanation shown after any attempt), ``compare_ranking``,
  ``accept_free_text`` (any answer of >= 15 characters counts; a model answer is shown).

Conventions for notebooks: a value answer of ``...`` (Ellipsis) or ``None`` means "not attempted"; a
function stub raising NotImplementedError too. Messages are plain words; they may state the correct
*value* for the input that exposed a mistake, never the reference code.

Topic modules are imported lazily on the first lookup (``TOPIC_MODULES``); one that does not exist
yet is skipped.
"""
from __future__ import annotations

import difflib
import importlib
import json
import os
import signal
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from collections.abc import Iterator
from typing import Any, Callable

import numpy as np

__all__ = [
    "CheckResult", "Verdict", "Misconception", "Probe", "register", "check", "hint", "reset_hints",
    "list_exercises", "get_exercise", "diagnose_function", "compare_value", "compare_choice",
    "compare_ranking", "accept_free_text", "guarded_call", "passed", "failed", "describe",
    "NotAttempted", "StudentError", "CheckTimeout", "STATUSES", "DEFAULT_TIMEOUT",
]

STATUSES = ("passed", "failed", "not_attempted", "error", "timeout")
DEFAULT_TIMEOUT = 5.0
"""Seconds a whole check may take before the learner's code is cut off."""
TOPIC_MODULES = ("regression", "classification", "training", "quiz")
MIN_FREE_TEXT = 15

_ICONS = {"passed": "✅", "failed": "❌", "not_attempted": "⏳", "error": "⚠️", "timeout": "⏱️"}


# --------------------------------------------------------------------------- results

@dataclass
class CheckResult:
    """The outcome of one ``check`` call; ``str(result)`` is the verdict printed in the notebook."""

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

    def __str__(self):
        score = f"{self.points:g}/{self.max_points:g} point{'s' if self.max_points != 1 else ''}"
        return f"{_ICONS.get(self.status, '')} {self.exercise} ({score}): {self.message}"

    def __bool__(self):
        return self.passed

    def _ipython_display_(self):
        # check() has already printed the verdict; do not show it a second time as the cell's value.
        if not self._shown:
            print(self)


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


# --------------------------------------------------------------------------- errors and the time guard

class NotAttempted(Exception):
    """The learner's code still raises NotImplementedError (the generated stub)."""


class StudentError(Exception):
    """The learner's code raised; ``original`` is the exception, ``where`` describes the input."""

    def __init__(self, original, where=""):
        super().__init__(f"{type(original).__name__}: {original}")
        self.original = original
        self.where = where


class CheckTimeout(BaseException):
    """Raised by the time guard. A BaseException, so a learner's ``except Exception`` cannot swallow it."""


_state = {"call": ""}  # the input being tried right now, for the timeout message


def _current_call():
    return _state["call"]


def guarded_call(fn, *args, where="", **kwargs):
    """Call the learner's ``fn(*args, **kwargs)``, translating what can go wrong.

    NotImplementedError -> ``NotAttempted``; any other exception (or SystemExit) -> ``StudentError`` carrying
    ``where`` (a description of the input, used in the message). NumPy warnings are silenced: a
    NaN or inf result is judged by the caller. The time limit itself is applied by ``check``.
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


REFIRE = 0.002
"""After the time limit, the alarm fires again every REFIRE s: a bare ``except:`` cannot swallow them all."""
_OURS = ("lessons_lib", "contextlib")


def _on_alarm(signum, frame):
    if not _state.get("armed"):
        return
    if _state.get("fired") and str(frame.f_globals.get("__name__", "")).startswith(_OURS):
        return  # a repeat alarm only interrupts the learner's code, never the checker's own clean-up
    _state["fired"] = True
    raise CheckTimeout()


@contextmanager
def _alarm(seconds):
    """SIGALRM-based time limit (main thread only); restores any timer that was already running."""
    was_armed, was_fired = _state.get("armed", False), _state.get("fired", False)
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    outer_left, outer_every = signal.getitimer(signal.ITIMER_REAL)
    start = time.monotonic()
    _state["armed"], _state["fired"] = True, False
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left > 0 else seconds, REFIRE)
    try:
        yield
    finally:
        _state["armed"] = False  # first: a late alarm is now a no-op
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        _state["armed"], _state["fired"] = was_armed, was_fired
        if outer_left > 0:
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - start), 1e-3), outer_every)


def _run_limited(fn, arg, seconds):
    """Run ``fn(arg)`` with a time limit: SIGALRM in the main thread, a watchdog thread elsewhere."""
    if seconds is None or seconds <= 0:
        return fn(arg)
    main = threading.current_thread() is threading.main_thread()
    if main and hasattr(signal, "SIGALRM"):
        with _alarm(seconds):
            return fn(arg)
    box = {}

    def target():
        try:
            box["value"] = fn(arg)
        except BaseException as err:  # handed back to the calling thread below
            box["error"] = err

    worker = threading.Thread(target=target, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():  # cannot be killed; it is a daemon and is left behind
        raise CheckTimeout()
    if "error" in box:
        raise box["error"]
    return box["value"]


# --------------------------------------------------------------------------- registry

@dataclass(frozen=True)
class Exercise:
    """A registered exercise: id, title, points, hints, time limit and its checker."""

    id: str
    title: str
    points: float
    hints: tuple
    checker: Callable
    timeout: float
    module: str


_REGISTRY: dict[str, Exercise] = {}
_HINTS_SHOWN: dict[str, int] = {}
_loaded = False


def register(exercise_id, *, title, points=1, hints=(), timeout=DEFAULT_TIMEOUT):
    """Decorator: register ``checker(submission)`` for ``exercise_id``. Returns the checker unchanged.

    Registering an id twice from different modules is a ValueError (ids are course-wide).
    """
    if not isinstance(exercise_id, str) or not exercise_id.isidentifier():
        raise ValueError(f"exercise_id must be a short identifier such as 'mse_grad', got {exercise_id!r}.")
    if points < 0:
        raise ValueError(f"points must be >= 0, got {points}.")

    def decorate(checker):
        old = _REGISTRY.get(exercise_id)
        if old is not None and old.module != checker.__module__:
            raise ValueError(f"exercise id {exercise_id!r} is already registered by {old.module}; pick another id.")
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, float(points), tuple(hints), checker,
                                          timeout, checker.__module__)
        return checker

    return decorate


def _load_topics():
    global _loaded
    if _loaded:
        return
    for name in TOPIC_MODULES:
        full = f"{__package__}.{name}"
        try:
            importlib.import_module(full)
        except ModuleNotFoundError as err:
            if err.name != full:  # the module exists but one of its own imports is missing
                raise
    _loaded = True


def get_exercise(exercise_id):
    """The registered ``Exercise``; ValueError listing the valid ids for an unknown one."""
    _load_topics()
    try:
        return _REGISTRY[exercise_id]
    except (KeyError, TypeError):
        ids = sorted(_REGISTRY)
        close = difflib.get_close_matches(str(exercise_id), ids, n=1)
        guess = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown exercise {exercise_id!r}.{guess} Valid ids: {', '.join(ids)}.") from None


def list_exercises():
    """All registered exercises, sorted by id."""
    _load_topics()
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]


# --------------------------------------------------------------------------- check and hint

def _to_verdict(outcome):
    if isinstance(outcome, (Verdict, CheckResult)):
        return outcome
    if isinstance(outcome, (bool, np.bool_)):
        return passed() if outcome else failed("Not quite: that answer is not correct yet.")
    raise TypeError(f"a checker must return a Verdict, CheckResult or bool, got {type(outcome).__name__}.")


def _log(result):
    path = os.environ.get("LESSONS_GRADE_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(result.to_dict()) + "\n")


def check(exercise_id, submission, *, quiet=False, timeout=None):
    """Check ``submission`` for ``exercise_id``: print one verdict (unless quiet) and return a ``CheckResult``.

    Never raises for anything the learner did: a stub is "not attempted", an exception in their
    code is an "error" naming the input, code running longer than the time limit is a "timeout".
    """
    ex = get_exercise(exercise_id)
    limit = ex.timeout if timeout is None else timeout
    status, misconception, score = None, None, None
    _state["call"] = ""
    try:
        outcome = _to_verdict(_run_limited(ex.checker, submission, limit))
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
        where = _current_call()
        status, message = "timeout", (
            f"your code did not finish within {limit:g} s{' on ' + where if where else ''}, so it was "
            "stopped. Look for a loop that never ends.")
    except Exception as err:  # the learner's object broke the checker (odd type, etc.): report, don't crash
        status, message = "error", f"the check could not use your answer ({type(err).__name__}: {_short(str(err))})."
    else:
        if isinstance(outcome, CheckResult):
            outcome._shown = False
            result = outcome
        else:
            status = outcome.status or ("passed" if outcome.passed else "failed")
            message, misconception, score = outcome.message, outcome.misconception, outcome.score
    if status is not None:
        ok = status == "passed"
        frac = (1.0 if ok else 0.0) if score is None else min(max(float(score), 0.0), 1.0)
        result = CheckResult(ex.id, status, ok, round(frac * ex.points, 6), ex.points, message, misconception)
    _log(result)
    if not quiet:
        print(result)
        result._shown = True
    return result


def hint(exercise_id):
    """Print the next hint for ``exercise_id`` (the last one again once all have been shown)."""
    ex = get_exercise(exercise_id)
    if not ex.hints:
        print(f"💡 There are no hints for {exercise_id!r}; re-read the statement above the exercise.")
        return
    k = _HINTS_SHOWN.get(exercise_id, 0)
    shown = min(k, len(ex.hints) - 1)
    _HINTS_SHOWN[exercise_id] = k + 1
    extra = " (that was the last hint)" if k >= len(ex.hints) - 1 else ""
    print(f"💡 Hint {shown + 1}/{len(ex.hints)} for {exercise_id!r}{extra}: {ex.hints[shown]}")


def reset_hints(exercise_id=None):
    """Start the hints again from the first one (for one exercise or all)."""
    if exercise_id is None:
        _HINTS_SHOWN.clear()
    else:
        _HINTS_SHOWN.pop(exercise_id, None)


# --------------------------------------------------------------------------- formatting

def _short(text, limit=160):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(value, digits=6):
    """Short, readable text for a number, an array or a tuple of them (used in messages)."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.{digits}g}"
    if isinstance(value, (int, np.integer)):
        return str(value)
    if isinstance(value, np.ndarray):
        fmt = {"float_kind": lambda x: f"{x:.{digits}g}"}
        with np.printoptions(threshold=12, edgeitems=3, formatter=fmt):
            text = np.array2string(value, separator=", ")
        return _short(text.replace("\n", ""), 120)
    if isinstance(value, (tuple, list)) and 0 < len(value) <= 6 and any(isinstance(v, np.ndarray) for v in value):
        inner = ", ".join(describe(v, digits) for v in value)
        return _short(f"({inner})" if isinstance(value, tuple) else f"[{inner}]", 120)
    text = repr(value)
    if " at 0x" in text:  # a default repr (generator, function, object) says nothing useful
        return f"a value of type {type(value).__name__}"
    return _short(text, 120)


def _describe_inputs(inputs):
    return ", ".join(f"{k}={describe(v)}" + (f" (shape {v.shape})" if isinstance(v, np.ndarray) and v.ndim > 1 else "")
                     for k, v in inputs.items())


# --------------------------------------------------------------------------- function exercises

@dataclass
class Misconception:
    """A catalogued wrong answer: ``name`` (e.g. "forgot_mean"), an ``explanation`` in plain words,
    and ``wrong_fn``: a wrong implementation (function exercises) or the wrong value (value exercises).

    ``matches(output, expected, inputs) -> bool`` may replace ``wrong_fn`` for a family of wrong
    outputs (e.g. "any finite value far below the true loss").
    """

    name: str
    explanation: str
    wrong_fn: Any = None
    matches: Callable | None = None


@dataclass
class Probe:
    """One input for a function exercise: ``inputs`` maps argument names to values (in call order).

    expected: use this instead of the reference's output. may_raise: raising any error is also
    accepted (e.g. mismatched shapes). finite_only: any finite output of the right shape passes.
    """

    inputs: dict
    expected: Any = None
    may_raise: bool = False
    finite_only: bool = False
    rtol: float | None = None
    atol: float | None = None


def _copy_inputs(inputs):
    return {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in inputs.items()}


def _as_numpy(out):
    """A tensor (torch and the like, even one that requires grad) as a NumPy array; anything else unchanged."""
    if hasattr(out, "detach") and hasattr(out, "numpy"):
        try:
            return out.detach().cpu().numpy()
        except Exception:  # not a torch-like tensor after all: judged as it is
            return out
    return out


def _holds_none(out):
    try:
        objs = np.asarray(out, dtype=object)
    except Exception:  # ragged or exotic: the float conversion below reports it
        return False
    return any(v is None for v in objs.ravel())


def _garbage(out):
    """A message if ``out`` is not usable as numbers at all, else None (and the float array)."""
    out = _as_numpy(out)
    if out is None:
        return "your function returned None. Did you forget the `return` statement?", None
    if isinstance(out, (str, bytes)):
        return f"your function returned a string ({describe(out)}); it should return numbers.", None
    if isinstance(out, (bool, np.bool_)):
        return f"your function returned {bool(out)}, a True/False value; it should return numbers.", None
    if callable(out):
        return "your function returned a function; call it and return the resulting numbers.", None
    if isinstance(out, Iterator):
        return ("your function returned a generator (or another one-use iterator), not numbers: turn it into a "
                "number or an array before returning it."), None
    if _holds_none(out):
        return f"your function returned {describe(out)}, which contains None instead of numbers.", None
    try:
        arr = np.asarray(out, dtype=np.float64)
    except (TypeError, ValueError):
        text = describe(out)
        text = text if text.startswith("a ") else f"{type(out).__name__} {text}"
        return f"your function returned {text}, which is not a number or an array of numbers.", None
    return None, arr


def _close(got, want, rtol, atol):
    if got.shape != want.shape and not (got.size == 1 and want.size == 1):
        return False
    return bool(np.allclose(got.reshape(want.shape), want, rtol=rtol, atol=atol, equal_nan=True))


def _expected(reference, probe):
    if probe.expected is not None:
        return np.asarray(probe.expected, dtype=np.float64)
    with np.errstate(all="ignore"):
        return np.asarray(reference(**_copy_inputs(probe.inputs)), dtype=np.float64)


def _wrong_output(m, inputs):
    with np.errstate(all="ignore"):
        return np.asarray(m.wrong_fn(*_copy_inputs(inputs).values()), dtype=np.float64)


def _find_misconception(misconceptions, got, want, inputs, rtol, atol, history=()):
    """The first misconception that reproduces ``got`` on this probe and is consistent with ``history``.

    ``history`` holds (inputs, expected, rtol, atol) of the probes the learner already passed: a
    wrong implementation that would have failed one of those cannot be what the learner wrote.
    """
    for m in misconceptions:
        try:
            if m.matches is not None:
                hit = m.matches(got, want, inputs)
            else:
                wrong = _wrong_output(m, inputs)
                hit = (_close(got, wrong, rtol, atol) and not _close(wrong, want, rtol, atol)
                       and all(_close(_wrong_output(m, old), ok, r, a) for old, ok, r, a in history))
        except Exception:  # a wrong implementation may itself fail on this input: then it is not this one
            continue
        if hit:
            return m
    return None


def _num(x):
    return x if x.ndim else float(x)


def _shown(got, want, what, digits=6):
    return f"Your function returned {describe(_num(got), digits)}, but {what} is {describe(_num(want), digits)}."


def _shape_problem(got, want):
    if want.ndim == 0:
        return (f"your function returned {got.size} numbers (shape {got.shape}), but the answer is a single number. "
                "Did you return one value per element (or per row) instead of reducing them all to one?")
    if got.ndim == 0 or got.size == 1:
        return (f"your function returned a single number ({describe(float(got.ravel()[0]))}), but the answer is an "
                f"array of shape {want.shape}, one value per entry.")
    return f"your function returned an array of shape {got.shape}, but the answer should have shape {want.shape}."


def _generic_failure(got, want, where, what):
    """The message for a wrong answer that no catalogued misconception explains."""
    if got.shape != want.shape and not (got.size == 1 and want.size == 1):
        return f"On {where} {_shape_problem(got, want)}"
    if not np.isfinite(got).all() and np.isfinite(want).all():
        return (f"On {where} your function returned {describe(_num(got))}: NaN or infinity where {what} is "
                f"{describe(_num(want))}. Look for log(0), a division by zero or exp of a large number.")
    if np.allclose(got.reshape(want.shape), want, rtol=1e-3, atol=1e-6):
        return (f"Close, but not accurate enough. On {where}: {_shown(got, want, what, digits=10)} Compute in "
                "float64 (not float32) and do not round intermediate results.")
    return f"Not quite. On {where}: {_shown(got, want, what)}"


def diagnose_function(student_fn, reference_fn, probes, misconceptions=(), *, rtol=1e-6, atol=1e-9,
                      what="the correct value"):
    """Run ``student_fn`` on each probe and compare with ``reference_fn`` (called with keyword arguments).

    On the first mismatch, the misconceptions are tried on that probe, in order; the first whose
    output the learner reproduced is named in the message together with the input. Returns a Verdict.
    """
    if not callable(student_fn):
        return failed(f"expected a function, got {type(student_fn).__name__} {describe(student_fn)}. "
                      "Pass the function itself, without calling it: check('name', my_function).")
    probes = [p if isinstance(p, Probe) else Probe(dict(p)) for p in probes]
    history = []
    for probe in probes:
        where = _describe_inputs(probe.inputs)
        want = None if probe.may_raise and probe.expected is None else _expected(reference_fn, probe)
        try:
            out = guarded_call(student_fn, *_copy_inputs(probe.inputs).values(), where=where)
        except StudentError:
            if probe.may_raise:
                continue
            raise
        except NotAttempted as stub:
            if not history:
                raise
            # earlier inputs worked, so this is a deliberate raise for some inputs, not the untouched stub
            raise StudentError(stub.args[0] if stub.args else NotImplementedError(), where) from None
        problem, got = _garbage(out)
        if problem:
            return failed(f"On {where} {problem}")
        r = probe.rtol if probe.rtol is not None else rtol
        a = probe.atol if probe.atol is not None else atol
        if want is None:
            continue
        if probe.finite_only:
            ok = np.isfinite(got).all() and got.size == want.size
        else:
            ok = _close(got, want, r, a)
        if ok:
            if not probe.finite_only:
                history.append((probe.inputs, want, r, a))
            continue
        m = _find_misconception(misconceptions, got, want, probe.inputs, r, a, history)
        if m is not None:
            return failed(f"{m.explanation} Input that exposed it: {where}. {_shown(got, want, what)}", m.name)
        return failed(_generic_failure(got, want, where, what))
    return passed("Correct! Your function matches the reference on every test input, including the tricky ones.")


# --------------------------------------------------------------------------- value exercises

def _is_blank(x):
    return x is None or x is Ellipsis


def _not_attempted(answer):
    """None, ``...`` or a tuple/list of only those (the placeholders in the exercise cells)."""
    if isinstance(answer, (tuple, list)) and answer:
        return all(_is_blank(a) for a in answer)
    return _is_blank(answer)


def _partly_blank(answer):
    return isinstance(answer, (tuple, list)) and any(_is_blank(a) for a in answer)


def _call_if_function(answer):
    if callable(answer) and not isinstance(answer, type):
        return guarded_call(answer, where="your answer function")
    return answer


def compare_value(answer, expected, misconceptions=(), *, rtol=1e-3, atol=1e-6, explanation="",
                  what="the answer"):
    """Compare a number (or a sequence of numbers) computed by hand with ``expected``.

    A catalogued wrong value (``Misconception.wrong_fn`` holds the value) is named. ``explanation``
    is shown once the answer is right (it would give a wrong answer away). The default rtol of 1e-3 accepts answers rounded to 4 digits.
    """
    answer = _call_if_function(answer)
    if _not_attempted(answer):
        raise NotAttempted()
    if _partly_blank(answer):
        return failed(f"some parts of {what} are still `...`; fill in every part.")
    after = f" {explanation}" if explanation else ""
    want = np.asarray(expected, dtype=np.float64)
    if isinstance(answer, (str, bytes)):
        try:
            answer = float(answer)
        except ValueError:
            return failed(f"{what} should be a number, got the text {describe(answer)}.")
    problem, got = _garbage(answer)
    if problem:
        return failed(problem.replace("your function returned", "your answer is"))
    if got.shape != want.shape and not (got.size == 1 and want.size == 1):
        n = "a single number" if want.ndim == 0 else f"{want.size} numbers, e.g. ({', '.join(['...'] * want.size)})"
        return failed(f"{what} should be {n}; you gave {describe(answer)}.")
    if not np.isfinite(got).all():
        return failed(f"your answer {describe(answer)} is not a finite number.")
    if _close(got, want, rtol, atol):
        return passed(f"Correct: {describe(want if want.ndim else float(want))}.{after}")
    for m in misconceptions:
        if m.matches is not None:
            hit = m.matches(got, want, {})
        else:
            hit = _close(got, np.asarray(m.wrong_fn, dtype=np.float64), rtol, atol)
        if hit:
            return failed(f"You answered {describe(answer)}. {m.explanation}", m.name)
    if np.allclose(got.reshape(want.shape), want, rtol=1e-2, atol=atol):
        return failed(f"Close: {describe(answer)} is near {what} but not accurate enough. Keep at least 4 "
                      "significant digits (or let Python compute the number).")
    return failed(f"Not quite: {describe(answer)} is not right. Re-check each step (or ask for a hint).")


def _norm_choice(x):
    return str(x).strip().strip("()[].: ").lower()


def _choice_key(answer, options):
    """The option letter the answer means: "b", "B", "(b)", "b)" or the option's full text."""
    key = _norm_choice(answer)
    texts = {_norm_choice(text): _norm_choice(letter) for letter, text in options.items()}
    if key in texts:
        return texts[key]
    head = key.split(maxsplit=1)
    if len(head) == 2 and str(answer).strip().lstrip("(")[1:2] == ")":  # "b) the option text"
        return _norm_choice(head[0])
    return key


def compare_choice(answer, correct, options, *, wrong=None, explanation=""):
    """Multiple choice: ``options`` maps letters to texts, ``correct`` is a letter.

    ``wrong`` maps a wrong letter to a Misconception (its explanation is shown). The general
    ``explanation`` is shown after every attempt, right or wrong.
    """
    answer = _call_if_function(answer)
    if _not_attempted(answer):
        raise NotAttempted()
    letters = {_norm_choice(k): k for k in options}
    key = _choice_key(answer, options) if isinstance(answer, str) else _norm_choice(answer)
    if key not in letters:
        return failed(f"{describe(answer)} is not one of the options; answer with one letter: "
                      f"{', '.join(repr(k) for k in options)}.")
    after = f" {explanation}" if explanation else ""
    if key == _norm_choice(correct):
        return passed(f"Correct: ({letters[key]}) {options[letters[key]]}.{after}")
    m = (wrong or {}).get(letters[key])
    if m is not None:
        return failed(f"({letters[key]}) is not the best answer. {m.explanation}{after}", m.name)
    return failed(f"({letters[key]}) is not the best answer.{after}")


def compare_ranking(answer, correct, *, wrong=(), explanation="", what="items"):
    """A ranking: ``answer`` must be a sequence with exactly the labels of ``correct``, in its order.

    Each Misconception in ``wrong`` holds a wrong order in ``wrong_fn`` (e.g. the reversed one).
    """
    answer = _call_if_function(answer)
    if _not_attempted(answer):
        raise NotAttempted()
    if isinstance(answer, (str, bytes)):
        answer = list(answer.replace(",", " ").split()) if " " in answer or "," in answer else list(answer)
    try:
        got = [_norm_choice(a) for a in answer]
    except TypeError:
        return failed(f"give the ranking as a list of labels, e.g. {list(correct)!r}; got {describe(answer)}.")
    want = [_norm_choice(c) for c in correct]
    if sorted(got) != sorted(want):
        return failed(f"the ranking must contain each of {', '.join(repr(c) for c in correct)} exactly once; "
                      f"got {describe(answer)}.")
    after = f" {explanation}" if explanation else ""
    if got == want:
        return passed(f"Correct order.{after}")
    for m in wrong:
        if got == [_norm_choice(c) for c in m.wrong_fn]:
            return failed(f"{m.explanation}{after}", m.name)
    n_right = sum(g == w for g, w in zip(got, want))
    return failed(f"Not quite: {n_right} of the {len(want)} {what} are in the right place.{after}")


def accept_free_text(answer, model_answer, *, min_chars=MIN_FREE_TEXT):
    """Free text: any non-trivial answer is accepted ("submitted"); then the model answer is shown."""
    answer = _call_if_function(answer)
    if _not_attempted(answer):
        raise NotAttempted()
    if not isinstance(answer, str):
        return failed(f"write your answer as text in quotes, e.g. answer = \"...\"; got {type(answer).__name__}.")
    if len(answer.strip()) < min_chars:
        return failed(f"please write at least a full sentence ({min_chars}+ characters) before comparing "
                      "with the model answer.")
    return passed(f"Answer submitted, thank you. Compare it with this model answer: {model_answer}")
