"""Finite-difference gradient checking (lessons 06-08, and the tests).

A hand-derived gradient is only trusted once it agrees with the slope measured numerically:

    df/dx_i  ~  (f(x + h e_i) - f(x - h e_i)) / (2 h)        (central difference, error O(h**2))

This costs two evaluations of f per element, so use it on small inputs.
"""
from dataclasses import dataclass

import numpy as np


def _scalar(value):
    """f's output as a float; a clear error when it is not one number (e.g. per-sample losses)."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"f must return a number (the loss), got {type(value).__name__}.") from None
    if arr.size != 1:
        raise ValueError(f"f must return a single number (the loss), but it returned an array of shape {arr.shape}; "
                         "reduce it first, e.g. with np.mean or reduction='mean'.")
    return float(arr.reshape(()))


def numerical_gradient(f, x, h=1e-6):
    """Central-difference gradient of the scalar function ``f`` at ``x``; returns an array of x's shape.

    ``x`` is perturbed *in place* one element at a time and restored afterwards, so ``f`` may either
    use its argument or read ``x`` indirectly (e.g. a layer's weight matrix). ``x`` must therefore
    be a float64 ndarray when it is shared; anything else is copied to one first.

    >>> numerical_gradient(lambda v: float((v ** 2).sum()), np.array([1.0, -2.0])).round(6).tolist()
    [2.0, -4.0]
    """
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64):
        x = np.array(x, dtype=np.float64)
    if x.size == 0:
        raise ValueError("x is empty: there is no gradient to check.")
    grad = np.empty_like(x)
    flat_x, flat_g = x.reshape(-1), grad.reshape(-1)
    if not np.shares_memory(flat_x, x):
        raise ValueError("numerical_gradient needs a contiguous array; pass np.ascontiguousarray(x).")
    for i in range(flat_x.size):  # one coordinate at a time: inherent to finite differences
        old = flat_x[i]
        try:
            flat_x[i] = old + h
            f_plus = _scalar(f(x))
            flat_x[i] = old - h
            f_minus = _scalar(f(x))
        finally:  # x is restored even when f raises
            flat_x[i] = old
        flat_g[i] = (f_plus - f_minus) / (2.0 * h)
    return grad


@dataclass
class GradCheckResult:
    """Outcome of ``check_gradient``: ``ok`` plus the entry that came closest to failing.

    The test is |analytic - numeric| <= atol + rtol * |numeric| at every entry; ``worst_index`` is
    the entry with the largest ratio of its difference to what that entry is allowed.
    """

    ok: bool
    max_abs_error: float
    max_rel_error: float
    worst_index: tuple
    analytic: np.ndarray
    numeric: np.ndarray
    rtol: float = 1e-5
    atol: float = 1e-7

    def __bool__(self):
        return self.ok

    def allowed(self):
        """The difference each entry may have: atol + rtol * |numeric|, shape of x."""
        return self.atol + self.rtol * np.abs(self.numeric)

    def __str__(self):
        test = f"|analytic - numeric| <= {self.atol:g} + {self.rtol:g} * |numeric|"
        if self.ok:
            which = "the one entry passes" if self.numeric.size == 1 else f"all {self.numeric.size} entries pass"
            return (f"gradient OK: {which} {test} "
                    f"(largest difference {self.max_abs_error:.2e}).")
        i = self.worst_index
        bad = int(np.sum(np.abs(self.analytic - self.numeric) > self.allowed()))
        return (f"gradient MISMATCH: {bad} of {self.numeric.size} entries fail {test}. Worst entry {i}: "
                f"analytic {self.analytic[i]:.6g}, numeric {self.numeric[i]:.6g}, difference "
                f"{abs(float(self.analytic[i]) - float(self.numeric[i])):.2e}, allowed {float(self.allowed()[i]):.2e}.")

    __repr__ = __str__


def check_gradient(f, grad, x, h=1e-6, rtol=1e-5, atol=1e-7):
    """Compare ``grad(x)`` (your analytic gradient) with ``numerical_gradient(f, x, h)``.

    Passes when |analytic - numeric| <= atol + rtol * |numeric| everywhere. Returns a
    ``GradCheckResult`` that is truthy when the check passes and prints a one-line verdict
    naming that test and the entry closest to failing it.

    >>> x = np.array([0.5, -1.5])
    >>> check_gradient(lambda v: float((v ** 3).sum()), lambda v: 3 * v ** 2, x).ok
    True
    """
    x = np.array(x, dtype=np.float64)
    analytic = np.asarray(grad(x.copy()), dtype=np.float64)
    if analytic.shape != x.shape:
        raise ValueError(f"the analytic gradient has shape {analytic.shape} but x has shape {x.shape}; "
                         "a gradient must have exactly the shape of what it differentiates.")
    numeric = numerical_gradient(f, x, h)
    abs_err = np.abs(analytic - numeric)
    rel_err = abs_err / np.maximum(np.abs(numeric), np.abs(analytic)).clip(min=1e-300)
    allowed = atol + rtol * np.abs(numeric)
    ratio = abs_err / allowed
    worst = np.unravel_index(int(np.argmax(ratio)), x.shape) if x.ndim else ()
    return GradCheckResult(
        ok=bool(np.all(abs_err <= allowed)),
        max_abs_error=float(abs_err.max()),
        max_rel_error=float(rel_err.max()),
        worst_index=tuple(int(i) for i in worst),
        analytic=analytic,
        numeric=numeric,
        rtol=float(rtol),
        atol=float(atol),
    )
