"""Checks of functions that return several things at once, e.g. ``(dX, dW, db)`` or ``(w, m, v)``.

``diagnose_parts`` first checks the form (a tuple of the right length on every probe), then diagnoses
each part with its own misconceptions through ``diagnose_function``, calling the learner's function
only once per input (``_Replayed``) so that every part sees the same outputs.
"""
import numpy as np

from .diagnosis import Misconception, Probe, _call, _Changed, _Where, diagnose_function
from .engine import StudentError, failed, passed

__all__ = ["diagnose_parts", "part", "split_by_part"]


def part(fn, i):
    """fn with only the i-th item of its result: ``part(f, 1)(x)`` is ``f(x)[1]``."""
    return lambda *args, **kwargs: fn(*args, **kwargs)[i]


def split_by_part(names, misconceptions):
    """``parts`` for diagnose_parts from misconceptions whose wrong_fn returns the whole tuple: each part
    gets every misconception, restricted to that part (a mistake named only where it shows)."""
    return tuple((name, [Misconception(m.name, m.explanation, part(m.wrong_fn, i),
                                       variants=tuple(part(f, i) for f in m.variants)) for m in misconceptions])
                 for i, name in enumerate(names))


def _what_it_is(out):
    if isinstance(out, (tuple, list)):
        return f"a {type(out).__name__} of {len(out)} thing{'s' if len(out) != 1 else ''}"
    if isinstance(out, np.ndarray):
        return f"one array of shape {out.shape}"
    return f"a {type(out).__name__}"


def _check_tuple(out, names, fn_name, where):
    """A failing Verdict if ``out`` is not a tuple/list of len(names) things, else None."""
    wanted = ", ".join(names)
    if out is None:
        return failed(f"On {where} {fn_name} returned None. Did you forget `return {wanted}`?")
    if not isinstance(out, (tuple, list)) or len(out) != len(names):
        return failed(f"{fn_name} must return {len(names)} things, ({wanted}); on {where} it returned "
                      f"{_what_it_is(out)}.")
    return None


def _key(args, kwargs):
    def one(v):
        if isinstance(v, np.ndarray):
            return ("array", v.dtype.str, v.shape, v.tobytes())
        return (type(v).__name__, repr(v))
    return tuple(one(v) for v in args) + tuple((k, one(v)) for k, v in sorted(kwargs.items()))


class _Replayed:
    """The learner's function, called once per (input, n-th call): each part's diagnosis sees the same
    outputs, the n-th call of an input gets the n-th result (so state between calls still shows)."""

    def __init__(self, fn):
        self.fn, self.results, self.count = fn, {}, {}

    def __call__(self, *args, **kwargs):
        key = _key(args, kwargs)
        n = self.count[key] = self.count.get(key, 0) + 1
        runs = self.results.setdefault(key, [])
        if len(runs) < n:
            runs.append(self.fn(*args, **kwargs))
        return runs[n - 1]

    def reset_counts(self):
        self.count = {}


class _Memo:
    """The reference, computed once per input."""

    def __init__(self, fn):
        self.fn, self.results = fn, {}

    def __call__(self, *args, **kwargs):
        key = _key(args, kwargs)
        if key not in self.results:
            self.results[key] = self.fn(*args, **kwargs)
        return self.results[key]


def diagnose_parts(submission, reference, probes, parts, fn_name, contract=None, **kwargs):
    """Check a function returning a tuple: first its form, then each part with its own misconceptions.

    parts: ((name, [Misconception whose wrong_fn returns that part, ...]), ...) in the order returned.
    """
    if not callable(submission):
        return diagnose_function(submission, reference, probes)  # gives the "expected a function" message
    submission, reference = _Replayed(submission), _Memo(reference)
    all_probes = [p if isinstance(p, Probe) else Probe(dict(p)) for p in probes]
    if contract is not None:
        all_probes += contract.random_probes()
    for probe in all_probes:  # the form first, on every probe, so that no part is taken from a non-tuple
        where = _Where(probe.inputs, probe.omitted)
        try:
            out = _call(submission, probe.inputs, where)
        except (StudentError, _Changed):  # reported below, by the part diagnosis that meets it
            continue
        problem = _check_tuple(out, [name for name, _ in parts], fn_name, where)
        if problem:
            return problem
    for i, (name, misconceptions) in enumerate(parts):
        submission.reset_counts()
        verdict = diagnose_function(part(submission, i), part(reference, i), probes, misconceptions,
                                    what=f"the correct {name}", contract=contract, **kwargs)
        if not verdict.passed:
            verdict.message = f"[{name}] {verdict.message}"
            return verdict
    return passed(f"Correct! All of {', '.join(name for name, _ in parts)} match the reference on every test input.")
