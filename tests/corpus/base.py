"""The registry of corpus answers and wrappers that turn a correct answer into a classic slip."""
import numpy as np

CORPUS = []
"""(exercise id, answer, should pass, allowed misconception names, label)."""


def ok(exercise, answer=None, label=None):
    """A correct answer; usable as a decorator for functions."""
    def add(a):
        CORPUS.append((exercise, a, True, (), label or getattr(a, "__name__", repr(a))))
        return a
    return add(answer) if answer is not None else add


def bad(exercise, *names, answer=None, label=None):
    """A wrong answer; ``names`` are the diagnoses that would be honest (none: it is outside the catalogue)."""
    def add(a):
        CORPUS.append((exercise, a, False, tuple(names), label or getattr(a, "__name__", repr(a))))
        return a
    return add(answer) if answer is not None else add


# --------------------------------------------------------------------------- slips any function answer can have

def rounded(f, digits=2):
    """Rounds its result (to make it 'look nice')."""
    def g(*args):
        return np.round(f(*args), digits)
    g.__name__ = f"{f.__name__}_rounded{digits}"
    return g


def in_a_list(f):
    """Wraps a single number in a list."""
    def g(*args):
        return [float(f(*args))]
    g.__name__ = f"{f.__name__}_in_a_list"
    return g


def as_list(f):
    """Returns .tolist() of the array."""
    def g(*args):
        return np.asarray(f(*args)).tolist()
    g.__name__ = f"{f.__name__}_tolist"
    return g


def one_element_array(f):
    """Returns np.array([value]) instead of the value."""
    def g(*args):
        return np.array([float(f(*args))])
    g.__name__ = f"{f.__name__}_one_element_array"
    return g


def mutating(f, index=-1):
    """Works 'in place' on the caller's array (index: which argument) before computing."""
    def g(*args):
        a = args[index]
        if isinstance(a, np.ndarray):
            a *= 1.0  # harmless numerically, but writes into the caller's array
        return f(*args)
    g.__name__ = f"{f.__name__}_in_place"
    return g


def stateful(f, drift=0.01):
    """Keeps a call counter in a closure and lets it leak into the result."""
    calls = [0]

    def g(*args):
        calls[0] += 1
        out = f(*args)
        return out * (1.0 + drift * (calls[0] - 1)) if not isinstance(out, tuple) else out
    g.__name__ = f"{f.__name__}_stateful"
    return g


def with_assert(f):
    """Uses assert for the shape check instead of raising ValueError."""
    def g(y_true, y_pred):
        y, p = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
        assert y.shape == p.shape, "shapes differ"
        return f(y, p)
    g.__name__ = f"{f.__name__}_assert"
    return g


def no_shape_check(formula):
    """The formula without any shape check (NumPy broadcasts)."""
    def g(y_true, y_pred):
        return formula(np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float))
    g.__name__ = f"{formula.__name__}_no_check"
    return g


def checked(formula, exc=ValueError):
    """The formula behind a shape check that raises ``exc``."""
    def g(y_true, y_pred):
        y, p = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
        if y.shape != p.shape:
            raise exc(f"y_true has shape {y.shape} but y_pred has shape {p.shape}")
        return formula(y, p)
    g.__name__ = f"{formula.__name__}_checked"
    return g
