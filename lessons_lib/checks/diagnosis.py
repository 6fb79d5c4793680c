"""Comparison and diagnosis: compare a learner's answer with the reference and name a mistake honestly.

Function exercises (``diagnose_function``): the learner's function is called on hand-picked probes (which
drive the diagnoses) and then on the exercise's seeded random probes (``Contract.random``: 1-D and 2-D,
several sizes, float64 and float32, many significant digits, defaults left out). Every array it gets is a
read-only copy, compared with the original afterwards (purity); the first probe is called twice (state
carried between calls). The ``Contract`` also fixes the return type and shape, the exceptions it must
raise and its defaults, each with its own plain-words message.

The replay rule: a misconception is named only when replaying it (its ``wrong_fn`` or one of its
``variants``, a wrong implementation) on the same input reproduces the learner's output, and it is
consistent with every probe the learner already passed. Otherwise the message says what differs (input,
expected, got) and guesses no cause.

Value exercises: ``compare_value`` (numbers; a misconception's ``wrong_fn`` is then the wrong *value*),
``compare_choice`` (multiple choice), ``compare_ranking``, ``accept_free_text``.
"""
from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from .engine import NotAttempted, StudentError, failed, guarded_call, passed

__all__ = [
    "Misconception", "Probe", "Contract", "diagnose_function", "compare_value", "compare_choice",
    "compare_ranking", "accept_free_text", "describe", "MIN_FREE_TEXT",
    "WRONG_TYPE", "CHANGED_INPUT", "STATE_BETWEEN_CALLS", "WRONG_EXCEPTION", "NO_EXCEPTION", "WRONG_DEFAULT",
]

MIN_FREE_TEXT = 15


# --------------------------------------------------------------------------- formatting

def _short(text, limit=160):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _float_text(x, digits):
    """``x`` to ``digits`` significant digits, unless that would show a whole number it is not
    (0.999999999 as "1"): then in full."""
    text = f"{x:.{digits}g}"
    shown = float(text)
    if np.isfinite(shown) and shown != x and shown == round(shown):
        return repr(float(x))
    return text


def describe(value, digits=6):
    """Short, readable text for a number, an array or a tuple of them (used in messages)."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (float, np.floating)):
        return _float_text(float(value), digits)
    if isinstance(value, (int, np.integer)):
        return str(value)
    if isinstance(value, np.ndarray):
        fmt = {"float_kind": lambda x: _float_text(float(x), digits)}
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


class _Where:
    """The description of an input, written only when a message needs it (describing arrays is slow)."""

    def __init__(self, inputs, omitted=()):
        self.inputs, self.omitted, self._text = inputs, omitted, None

    def __str__(self):
        if self._text is None:
            self._text = _describe_inputs(self.inputs, self.omitted)
        return self._text

    def __format__(self, spec):
        return format(str(self), spec)


def _describe_inputs(inputs, omitted=()):
    parts = []
    for k, v in inputs.items():
        note = []
        if isinstance(v, np.ndarray):
            if v.ndim > 1:
                note.append(f"shape {v.shape}")
            if v.dtype == np.float32:
                note.append("float32")
        parts.append(f"{k}={describe(v)}" + (f" ({', '.join(note)})" if note else ""))
    parts += [f"{k} left out" for k in omitted]
    return ", ".join(parts)


# --------------------------------------------------------------------------- misconceptions, probes, contracts

@dataclass
class Misconception:
    """A catalogued wrong answer.

    name: short id ("forgot_mean"); explanation: what went wrong and how to fix it, in plain words;
    description: one line for the catalogue (default: the explanation's first sentence).
    wrong_fn: function exercises: a wrong implementation that reproduces the mistake (called with the
    probe's arguments in order); value exercises: the wrong value. variants: more wrong implementations
    of the same mistake. matches(got, want, inputs) -> bool: only for a mistake that a predicate
    characterises exactly (e.g. "differs only where the error is 0, within the subgradient").
    example: a learner answer showing the mistake (for the catalogue's tests); default: wrong_fn.
    """

    name: str
    explanation: str
    wrong_fn: Any = None
    matches: Callable | None = None
    variants: tuple = ()
    description: str = ""
    example: Any = None

    def __post_init__(self):
        if not self.description:
            text = " ".join(self.explanation.split())
            cut = text.find(". ")
            self.description = text if cut < 0 else text[: cut + 1]
        if self.example is None:
            self.example = self.wrong_fn

    def replays(self):
        return [f for f in (self.wrong_fn, *self.variants) if callable(f)]


@dataclass
class Probe:
    """One input for a function exercise: ``inputs`` maps argument names to values (in call order).

    expected: use this instead of the reference's output. may_raise: raising any error is also
    accepted. finite_only: any finite output of the right shape passes. omitted: names of trailing
    arguments left out of the call (their defaults are in ``expected``).
    """

    inputs: dict
    expected: Any = None
    may_raise: bool = False
    finite_only: bool = False
    rtol: float | None = None
    atol: float | None = None
    omitted: tuple = ()
    scale_atol: float = 0.0


WRONG_TYPE = Misconception(
    "wrong_return_type", "Your function returns the right numbers in the wrong container: the exercise asks for "
    "one number (a float) where it says so, and a NumPy array where it says so, not a list or a one-element array.")
CHANGED_INPUT = Misconception(
    "changed_input", "Your function changes the caller's arrays in place (e.g. y_pred -= y_true, or "
    "p[p == 0] = eps). Work on a new array (np.clip, np.where, arithmetic) so the caller's data stay intact.")
STATE_BETWEEN_CALLS = Misconception(
    "state_between_calls", "Called twice with the same input, your function returned two different results: "
    "it carries state from one call to the next (a global, a default list, an attribute). Keep every call "
    "independent.")
WRONG_EXCEPTION = Misconception(
    "wrong_exception", "Your function raised the wrong kind of error for bad input: the statement asks for a "
    "ValueError (write `raise ValueError(...)`; an assert is skipped when Python runs with -O).")
NO_EXCEPTION = Misconception(
    "missing_shape_check", "Your function returned a number for arrays of different shapes; the statement "
    "asks it to raise a ValueError then (compare y_true.shape with y_pred.shape first).")
WRONG_DEFAULT = Misconception(
    "wrong_default", "Your function needs an argument the statement gives a default to (or uses another "
    "default): write the default into the def line, e.g. def huber(y_true, y_pred, delta=1.0).")


@dataclass
class Contract:
    """What a function answer must do besides computing the right numbers.

    returns: "auto" (one number where the reference gives a scalar, an ndarray of the reference's exact
    shape otherwise) or "int" (one whole number as a Python or NumPy integer, e.g. an index or a count). raises: [(inputs, ExceptionType, why)] that must raise that type; a value returned
    instead is diagnosed only by the misconceptions named in ``trap_names`` (the value probes already
    passed, so the formula itself is right).
    defaults: {argument: default value} (described in messages; tested by random probes that leave the
    argument out). random: ``random(rng) -> [Probe]``, drawn once from ``seed``.
    """

    returns: str = "auto"
    raises: tuple = ()
    defaults: dict = field(default_factory=dict)
    random: Callable | None = None
    seed: int = 0
    trap_names: tuple = ("broadcast_trap",)
    _cache: list | None = field(default=None, repr=False, compare=False)

    def misconceptions(self):
        found = [WRONG_TYPE, CHANGED_INPUT, STATE_BETWEEN_CALLS]
        if self.raises:
            found += [WRONG_EXCEPTION, NO_EXCEPTION]
        if self.defaults:
            found.append(WRONG_DEFAULT)
        return found

    def random_probes(self):
        if self.random is None:
            return []
        if self._cache is None:
            self._cache = list(self.random(np.random.default_rng(self.seed)))
        return self._cache


# --------------------------------------------------------------------------- calling the learner's function

class _Changed(Exception):
    """The learner's function wrote into one of its input arrays."""

    def __init__(self, name):
        super().__init__(name)
        self.name = name


def _frozen(v):
    if isinstance(v, np.ndarray):
        c = v.copy()
        c.flags.writeable = False
        return c
    return v


def _is_readonly_error(err):
    return isinstance(err, ValueError) and "read-only" in str(err)


def _call(fn, inputs, where):
    """fn(*inputs) on read-only copies; _Changed if it wrote (or tried to write) into one of them."""
    args = {k: _frozen(v) for k, v in inputs.items()}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = guarded_call(fn, *args.values(), where=where)
    except StudentError as err:
        if _is_readonly_error(err.original):
            names = [k for k, v in inputs.items() if isinstance(v, np.ndarray)]
            raise _Changed(names[0] if len(names) == 1 else "one of its input arrays") from None
        raise
    for k, v in inputs.items():
        if isinstance(v, np.ndarray) and not np.array_equal(args[k], v, equal_nan=v.dtype.kind == "f"):
            raise _Changed(k)
    return out


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


def _type_problem(out, want):
    """A message when ``out`` holds the right amount of numbers in the wrong container (contract), else None."""
    raw = _as_numpy(out)
    if want.ndim == 0:
        if isinstance(raw, (bool, np.bool_)):
            return None
        if isinstance(raw, (int, float, np.integer, np.floating)) or (isinstance(raw, np.ndarray) and raw.ndim == 0):
            return None
        if isinstance(raw, np.ndarray):
            return (f"your function returned an array of shape {raw.shape} holding one number; the exercise asks "
                    "for the number itself (a float): return np.mean(...) directly, or use float(...) or .item().")
        return (f"your function returned a {type(out).__name__} ({describe(out)}); the exercise asks for one "
                "number (a float), not a container around it.")
    if isinstance(raw, np.ndarray):
        if raw.shape == want.shape:
            return None
        return (f"your function returned an array of shape {raw.shape} holding the right numbers; the "
                f"exercise asks for an array of shape {want.shape} (no np.squeeze, .item() or float() on the result).")
    kind = type(out).__name__
    return (f"your function returned a {kind} ({describe(out)}); the exercise asks for a NumPy array of shape "
            f"{want.shape}. Keep the result as an array (no .tolist(), no list comprehension around it).")


def _int_problem(out):
    """A message when ``out`` (already one number) is not an integer type, else None."""
    raw = _as_numpy(out)
    if isinstance(raw, (int, np.integer)) and not isinstance(raw, (bool, np.bool_)):
        return None
    return (f"your function returned {describe(out)} of type {type(raw).__name__}; the exercise asks for a whole "
            "number as an int (it counts or indexes something): wrap it in int(...).")


def _close(got, want, rtol, atol, exact_shape=False):
    if got.shape != want.shape:
        if exact_shape or not (got.size == 1 and want.size == 1):
            return False
    return bool(np.allclose(got.reshape(want.shape), want, rtol=rtol, atol=atol, equal_nan=True))


def _expected(reference, probe):
    if probe.expected is not None:
        return np.asarray(probe.expected, dtype=np.float64)
    with np.errstate(all="ignore"):
        return np.asarray(reference(**_copy_inputs(probe.inputs)), dtype=np.float64)


def _replay(fn, inputs):
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(_as_numpy(fn(*_copy_inputs(inputs).values())), dtype=np.float64)


def _distance(got, wrong):
    if got.shape != wrong.shape:
        got = got.reshape(wrong.shape)
    with np.errstate(all="ignore"):
        gap = np.abs(got - wrong) / (np.abs(wrong) + 1e-12)
        gap = np.where(np.isnan(got) & np.isnan(wrong), 0.0, gap)
    return float(np.nan_to_num(gap, nan=np.inf).max()) if gap.size else 0.0


def _find_misconception(misconceptions, got, want, inputs, rtol, atol, history=(), later=None):
    """The misconception whose replay reproduces ``got`` on this input and is consistent with ``history``.

    ``history`` holds (inputs, expected, rtol, atol) of the probes the learner already passed: a
    wrong implementation that would have failed one of those cannot be what the learner wrote.
    ``later`` (optional) returns [(inputs, learner's output, rtol, atol)] on the probes not tried yet;
    a replay must reproduce those outputs too, so that a coincidence on one input names nothing. When
    several replays reproduce the output, the closest one is named (the first on a tie).
    """
    best, best_gap = None, None
    for m in misconceptions:
        if m.matches is not None:
            try:
                if m.matches(got, want, inputs) and best is None:
                    best, best_gap = m, np.inf
            except Exception:  # the predicate does not apply to this input
                pass
            continue
        for fn in m.replays():
            try:
                wrong = _replay(fn, inputs)
                hit = (_close(got, wrong, rtol, atol) and not _close(wrong, want, rtol, atol)
                       and all(_close(_replay(fn, old), ok, r, a) for old, ok, r, a in history))
            except Exception:  # the wrong implementation fails on this input: then it is not this one
                continue
            if hit and later is not None:
                hit = _confirmed(fn, later())
            if hit:
                gap = _distance(got, wrong)
                if best is None or gap < best_gap:
                    best, best_gap = m, gap
    return best


def _confirmed(fn, later):
    """A replay that reproduced one wrong output is kept unless the later probes speak only against it.

    ``later``: [(inputs, learner's output, expected, rtol, atol)]. Where the learner is wrong again, the replay
    either reproduces that output too (a confirmation) or not (a contradiction). A learner's answer can hold
    a second slip that shows on some later inputs, so one confirmation is enough; contradictions without any
    confirmation mean the first match was a coincidence of that one input.
    """
    contradicted = False
    for inputs, out, want, rtol, atol in later:
        if _close(out, want, rtol, atol):
            continue
        try:
            wrong = _replay(fn, inputs)
        except Exception:  # the wrong implementation does not apply to this input: no evidence either way
            continue
        if wrong.size == out.size and _close(out, wrong, rtol, atol):
            return True
        contradicted = True
    return not contradicted


def _later_outputs(student_fn, reference_fn, probes, rtol, atol):
    """A function returning [(inputs, output, expected, rtol, atol)] on ``probes`` (computed once, on demand).

    Inputs on which the learner's function raises, or returns something that is not numbers, are left out.
    """
    cache = []

    def outputs():
        if not cache:
            cache.append([])
            for probe in probes:
                if probe.finite_only:
                    continue
                try:
                    out = _call(student_fn, probe.inputs, _Where(probe.inputs, probe.omitted))
                except (StudentError, NotAttempted):
                    continue
                problem, got = _garbage(out)
                if problem or probe.may_raise:
                    continue
                want = _expected(reference_fn, probe)
                r = probe.rtol if probe.rtol is not None else rtol
                a = probe.atol if probe.atol is not None else atol
                if probe.scale_atol and want.size and np.isfinite(want).all():
                    a = max(a, probe.scale_atol * float(np.max(np.abs(want))))
                if got.size == want.size:
                    cache[0].append((probe.inputs, got.reshape(want.shape), want, r, a))
        return cache[0]
    return outputs


def _num(x):
    return x if x.ndim else float(x)


def _shown(got, want, what, digits=6):
    return f"Your function returned {describe(_num(got), digits)}, but {what} is {describe(_num(want), digits)}."


def _shape_problem(got, want):
    if want.ndim == 0:
        return f"your function returned {got.size} numbers (shape {got.shape}), but the answer is a single number."
    if got.ndim == 0:
        return (f"your function returned a single number ({describe(float(got))}), but the answer is an array "
                f"of shape {want.shape}.")
    return f"your function returned an array of shape {got.shape}, but the answer has shape {want.shape}."


def _generic_failure(got, want, where, what):
    """What differs, for a wrong answer no catalogued misconception reproduces: input, expected, got."""
    if got.shape != want.shape and not (got.size == 1 and want.size == 1):
        return f"On {where}: {_shape_problem(got, want)}"
    if np.allclose(got.reshape(want.shape), want, rtol=1e-3, atol=1e-6):
        return f"Close, but not accurate enough. On {where}: {_shown(got, want, what, 10)}"
    if not np.isfinite(got).all() and np.isfinite(want).all():
        return f"Not quite. On {where}: {_shown(got, want, what)} (NaN or infinity where the answer is finite.)"
    return f"Not quite. On {where}: {_shown(got, want, what)}"


def _same(a, b):
    """Two outputs of the same call are identical (up to rounding): both None, equal text or equal numbers."""
    pa, ga = _garbage(a)
    pb, gb = _garbage(b)
    if pa or pb:
        return type(a) is type(b) and (pa == pb)
    return ga.shape == gb.shape and bool(np.allclose(ga, gb, rtol=1e-12, atol=0, equal_nan=True))


def _call_signature(fn_name, inputs):
    return f"{fn_name}({', '.join(inputs)})"


def diagnose_function(student_fn, reference_fn, probes, misconceptions=(), *, rtol=1e-6, atol=1e-9,
                      what="the correct value", contract=None):
    """Run ``student_fn`` on each probe (then the contract's random probes) and compare with ``reference_fn``.

    ``reference_fn`` is called with keyword arguments. On the first mismatch the misconceptions are
    replayed on that input (the replay rule, see the module docstring). With a ``contract`` the return
    type and shape, the required exceptions, defaults, purity and state are checked too. Returns a Verdict.
    """
    if not callable(student_fn):
        return failed(f"expected a function, got {type(student_fn).__name__} {describe(student_fn)}. "
                      "Pass the function itself, without calling it: check('name', my_function).")
    probes = [p if isinstance(p, Probe) else Probe(dict(p)) for p in probes]
    if contract is not None:
        probes += contract.random_probes()
    history = []
    first = True
    try:
        for index, probe in enumerate(probes):
            where = _Where(probe.inputs, probe.omitted)
            want = None if probe.may_raise and probe.expected is None else _expected(reference_fn, probe)
            try:
                out = _call(student_fn, probe.inputs, where)
            except StudentError as err:
                if probe.may_raise:
                    continue
                if probe.omitted and isinstance(err.original, TypeError):
                    return failed(f"Called with {where}, your function raised TypeError: {err.original}. "
                                  f"{WRONG_DEFAULT.explanation}", WRONG_DEFAULT.name)
                raise
            except NotAttempted as stub:
                if not history:
                    raise
                # earlier inputs worked, so this is a deliberate raise for some inputs, not the untouched stub
                raise StudentError(stub.args[0] if stub.args else NotImplementedError(), where) from None
            if first and contract is not None:
                first = False
                again = _call(student_fn, probe.inputs, where)
                if not _same(out, again):
                    return failed(f"{STATE_BETWEEN_CALLS.explanation} Input: {where}.", STATE_BETWEEN_CALLS.name)
            problem, got = _garbage(out)
            if problem:
                return failed(f"On {where} {problem}")
            r = probe.rtol if probe.rtol is not None else rtol
            a = probe.atol if probe.atol is not None else atol
            if want is None:
                continue
            if probe.scale_atol and want.size and np.isfinite(want).all():
                a = max(a, probe.scale_atol * float(np.max(np.abs(want))))
            exact = contract is not None
            if probe.finite_only:
                ok = bool(np.isfinite(got).all()) and got.size == want.size
            else:
                ok = _close(got, want, r, a, exact_shape=exact)
            if exact and (ok or (got.size == want.size == 1 and _close(got, want, r, a))):
                kind = _type_problem(out, want) or (_int_problem(out) if contract.returns == "int" else None)
                if kind:
                    return failed(f"On {where} {kind}", WRONG_TYPE.name)
                ok = True
            if ok:
                if not probe.finite_only:
                    history.append((probe.inputs, want, r, a))
                continue
            m = _find_misconception(misconceptions, got, want, probe.inputs, r, a, history,
                                    later=_later_outputs(student_fn, reference_fn, probes[index + 1:], rtol, atol))
            if m is not None:
                return failed(f"{m.explanation} Input that exposed it: {where}. {_shown(got, want, what)}", m.name)
            if probe.omitted:
                full = {**probe.inputs, **{k: contract.defaults[k] for k in probe.omitted}}
                try:
                    explicit = np.asarray(_as_numpy(_call(student_fn, full, where)), dtype=np.float64)
                except Exception:  # the learner's function fails with the default written out: no replay
                    explicit = None
                if explicit is not None and _close(explicit, want, r, a):
                    given = ", ".join(f"{k}={contract.defaults[k]!r}" for k in probe.omitted)
                    return failed(f"Called with {where}, your function returned {describe(_num(got))}; with {given} "
                                  f"written out it returns the right {describe(_num(want))}. "
                                  f"{WRONG_DEFAULT.explanation}", WRONG_DEFAULT.name)
            return failed(_generic_failure(got, want, where, what))
        if contract is not None:
            for inputs, kind, why in contract.raises:
                traps = [m for m in misconceptions if m.name in contract.trap_names]
                verdict = _must_raise(student_fn, inputs, kind, why, traps)
                if verdict is not None:
                    return verdict
    except _Changed as changed:
        return failed(f"Your function changed its input {changed.name} in place. {CHANGED_INPUT.explanation}",
                      CHANGED_INPUT.name)
    return passed("Correct! Your function matches the reference on every test input, including the tricky ones.")


def _must_raise(student_fn, inputs, kind, why, misconceptions):
    where = _Where(inputs)
    try:
        out = _call(student_fn, inputs, where)
    except StudentError as err:
        if isinstance(err.original, kind):
            return None
        return failed(f"On {where} ({why}) your function raised {type(err.original).__name__}"
                      f"{': ' + str(err.original) if str(err.original) else ''}. {WRONG_EXCEPTION.explanation}",
                      WRONG_EXCEPTION.name)
    problem, got = _garbage(out)
    if not problem:
        m = _find_misconception([m for m in misconceptions if m.matches is None], got, np.full(got.shape, np.nan),
                                inputs, 1e-6, 1e-9)
        if m is not None:
            return failed(f"{m.explanation} Input that exposed it: {where}: your function returned "
                          f"{describe(_num(got))} instead of raising ValueError.", m.name)
    return failed(f"On {where} ({why}) your function returned {describe(out)} instead of raising a "
                  f"ValueError. {NO_EXCEPTION.explanation}", NO_EXCEPTION.name)


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
        if any(a is Ellipsis for a in answer):
            return failed(f"some parts of {what} are still `...`; fill in every part.")
        nones = [str(i + 1) for i, a in enumerate(answer) if a is None]
        which = f"part {nones[0]} of {what} is" if len(nones) == 1 else f"parts {', '.join(nones)} of {what} are"
        return failed(f"{which} None, not a number. If that part comes from your own code, "
                      "it returned None: a missing `return`, or a loop that ended without meeting its stopping "
                      "condition. Find out why before giving the answer.")
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
    if np.allclose(got.reshape(want.shape), want, rtol=max(1e-2, 10 * rtol), atol=10 * atol):  # rounded too early
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
