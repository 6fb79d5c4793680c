"""Reference loss functions and their hand-derived gradients (lessons 02-05).

Conventions, the same for every function here:

* Keras argument order: targets first, ``f(y_true, y_pred)``.
* PyTorch numbers: values and gradients agree with ``torch.nn.functional`` in float64.
* ``reduction="mean"`` (default), ``"sum"`` or ``"none"``. Regression losses and the binary
  cross-entropies reduce over every element; the categorical ones over samples (rows).
* ``f_grad(y_true, y_pred, reduction=...)`` returns d(loss)/d(y_pred) with ``y_pred``'s shape.
  For ``"none"`` it is the derivative of the *sum* of the per-item losses (what
  ``loss.backward(torch.ones_like(loss))`` gives in PyTorch).
* Inputs are converted to float64; shapes must match exactly (no broadcasting), and bad input
  raises ValueError/TypeError with a message that says how to fix it.
"""
import difflib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validate import (
    as_float_array,
    check_positive_number,
    check_reduction,
    check_same_shape,
    check_unit_interval,
    grad_scale,
    reduce,
)
from .activations import log_softmax, sigmoid, softmax

__all__ = [
    "mse", "mse_grad", "mae", "mae_grad", "huber", "huber_grad",
    "binary_cross_entropy", "binary_cross_entropy_grad",
    "binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits_grad",
    "categorical_cross_entropy", "categorical_cross_entropy_grad",
    "softmax_cross_entropy", "softmax_cross_entropy_grad",
    "sigmoid", "softmax", "log_softmax", "Loss", "get_loss", "LOSS_NAMES",
]

LOG_FLOOR = -100.0
"""Each log is clamped at -100 (PyTorch's choice), so a probability of exactly 0 or 1 gives a finite loss."""

GRAD_EPS = float(np.float32(1e-12))
"""Denominators of probability gradients are floored at 1e-12 so they stay finite at p = 0 or 1.

PyTorch's BCE backward uses the float32 constant 1e-12 (9.99999996e-13 in float64); using the same
number keeps our gradients equal to PyTorch's even at those extremes."""

_PROBS_ADVICE = (
    "This loss expects probabilities (e.g. the output of a sigmoid or softmax). "
    "If these are raw scores (logits), use the *_with_logits / softmax_cross_entropy version instead."
)
_LABEL_ADVICE = (
    "Binary labels must be 0 or 1 (soft labels in between are fine). "
    "If your labels are -1/+1, convert them with (y + 1) / 2."
)


# --------------------------------------------------------------------------- shared plumbing

BLOCK = 2**16
"""Element-wise losses work through their inputs in blocks of this many elements, so intermediate
results live in small cache-sized buffers; the only input-sized arrays made are the outputs."""

PARALLEL_MIN = 2**17
"""Inputs of at least this many elements (rows x classes for the categorical losses) are computed as
two halves on two threads (NumPy releases the GIL), after all checks ran on the whole input."""

_DOT = 8192
"""np.dot runs on pieces of at most this many elements: OpenBLAS stays single-threaded there, while on
longer vectors it wakes a worker thread that then busy-waits ~0.1 s, stealing the second core."""

_pool, _pool_pid, _pool_lock = None, None, threading.Lock()
_local = threading.local()


def _scratch():
    """Three BLOCK-sized scratch rows for the calling thread, kept between calls: reusing them
    avoids the page faults (kernel time) that fresh megabyte-sized buffers cost on every call."""
    tmp = getattr(_local, "tmp", None)
    if tmp is None or tmp.shape[1] != BLOCK:
        tmp = _local.tmp = np.empty((3, BLOCK))
    return tmp


def _executor():
    """The shared one-worker pool that computes second halves (re-created in a forked child)."""
    global _pool, _pool_pid
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool, _pool_pid = ThreadPoolExecutor(1, thread_name_prefix="lessons_lib"), os.getpid()
        return _pool


def _in_two(fn, n, step=1, width=1):
    """[fn(0, n)], or [fn(0, mid), fn(mid, n)] on two threads when n * width is large; mid is a multiple
    of step. fn(lo, hi) works on items lo..hi-1 (elements, or rows of ``width`` columns)."""
    if n * width < PARALLEL_MIN:
        return [fn(0, n)]
    mid = min(n, -(-n // (2 * step)) * step)
    second = _executor().submit(fn, mid, n)
    return [fn(0, mid), second.result()]


def _dot(a, b):
    """Sum of a * b for 1-D arrays (see _DOT)."""
    return sum(float(np.dot(a[i:i + _DOT], b[i:i + _DOT])) for i in range(0, a.size, _DOT))


def _pair(y_true, y_pred, reduction):
    check_reduction(reduction)
    if all(isinstance(a, np.ndarray) and a.size >= PARALLEL_MIN for a in (y_true, y_pred)):  # both at once
        y = _executor().submit(as_float_array, y_true, "y_true")
        try:
            p = as_float_array(y_pred, "y_pred")
        finally:
            y = y.result()  # if both are bad, y_true's error is the one raised, as in the serial order
    else:
        y = as_float_array(y_true, "y_true")
        p = as_float_array(y_pred, "y_pred")
    check_same_shape(y, p, "y_true", "y_pred")
    return y, p


def _elementwise(kernel, y_true, y_pred, reduction, value, grad, check=None, **kwargs):
    """Validate (and ``check(y, p)``), then run ``kernel`` block by block. Returns (value, grad).

    ``kernel(y, p, v, g, tmp, scale, **kwargs)`` gets flat blocks. ``v`` is None (no value wanted),
    True (return the block's sum of losses) or an array to fill with the per-element losses; the
    gradient (times ``scale``) goes into ``g`` unless it is None. ``tmp`` holds three scratch blocks.
    """
    y, p = _pair(y_true, y_pred, reduction)
    if check is not None:
        check(y, p)
    shape, n = p.shape, p.size
    y, p = y.reshape(-1), p.reshape(-1)
    v = np.empty(n) if value and reduction == "none" else None
    g = np.empty(n) if grad else None
    scale = grad_scale(reduction, n)

    def run(lo, hi):
        tmp = _scratch()
        sums = []
        with np.errstate(all="ignore"):  # overflow gives +-inf on purpose; errstate is per thread
            for start in range(lo, hi, BLOCK):
                b = slice(start, min(start + BLOCK, hi))
                want = v[b] if v is not None else (True if value else None)
                sums.append(kernel(y[b], p[b], want, None if g is None else g[b], tmp[:, :b.stop - start],
                                   scale, **kwargs))
        return sums

    sums = [s for part in _in_two(run, n, BLOCK) for s in part]
    if v is not None:
        value = v.reshape(shape)
    elif value:
        value = float(np.sum(sums))
        value = value / n if reduction == "mean" else value
    return value, (g.reshape(shape) if grad else None)


# --------------------------------------------------------------------------- regression (lessons 02, 03)
# Kernels: see _elementwise.

def _mse(y, p, v, g, tmp, scale):
    d = np.subtract(p, y, out=tmp[0] if g is None else g)
    total = _dot(d, d) if v is True else None
    if v is not None and v is not True:
        np.square(d, out=v)
    if g is not None:
        d *= 2.0 * scale
    return total


def _mae(y, p, v, g, tmp, scale):
    d = np.subtract(p, y, out=tmp[0])
    s = np.sign(d, out=tmp[1] if g is None else g)
    total = _dot(s, d) if v is True else None  # sum |d| = sign(d) . d
    if v is not None and v is not True:
        np.abs(d, out=v)
    if g is not None:
        g *= scale
    return total


def _huber(y, p, v, g, tmp, scale, delta):
    d = np.subtract(p, y, out=tmp[0])
    c = np.clip(d, -delta, delta, out=tmp[1] if g is None else g)  # the clipped error is also the gradient
    total = None
    if v is True:
        # the sum of c (d - c/2); c.d >= c.c, so at most one bit is lost to cancellation
        total = np.einsum("i,i->", c, d) - 0.5 * np.einsum("i,i->", c, c)
        total = np.inf if np.isnan(total) else total  # inf - inf when an error overflowed float64
    elif v is not None:
        # c (d - c/2) is 0.5 d**2 when |d| <= delta and delta (|d| - delta/2) otherwise, bit for bit.
        np.multiply(c, -0.5, out=v)
        v += d
        v *= c
    if g is not None:
        g *= scale
    return total


def mse(y_true, y_pred, reduction="mean"):
    """Mean squared error: mean over all n elements of (y_true - y_pred)**2.

    Shapes: y_true and y_pred identical, any shape. Returns a float ("mean"/"sum") or an array
    of y_pred's shape ("none"). Introduced in lesson 02.

    >>> mse(90, 70)             # one score: actual 90, predicted 70
    400.0
    >>> mse([1, 2, 3], [1, 2, 5])
    1.3333333333333333
    """
    return _elementwise(_mse, y_true, y_pred, reduction, True, False)[0]


def mse_grad(y_true, y_pred, reduction="mean"):
    """d mse / d y_pred = 2 (y_pred - y_true) / n   (no 1/n for "sum"/"none"). Shape of y_pred.

    >>> mse_grad([90.0], [70.0]).tolist()
    [-40.0]
    """
    return _elementwise(_mse, y_true, y_pred, reduction, False, True)[1]


def mae(y_true, y_pred, reduction="mean"):
    """Mean absolute error: mean over all n elements of |y_true - y_pred|. Shapes as in ``mse``.

    Introduced in lesson 03.

    >>> mae([1, 2, 3], [1, 2, 5])
    0.6666666666666666
    """
    return _elementwise(_mae, y_true, y_pred, reduction, True, False)[0]


def mae_grad(y_true, y_pred, reduction="mean"):
    """d mae / d y_pred = sign(y_pred - y_true) / n.

    At the kink (y_pred == y_true) the gradient is 0, as in PyTorch's ``l1_loss``.
    """
    return _elementwise(_mae, y_true, y_pred, reduction, False, True)[1]


def huber(y_true, y_pred, delta=1.0, reduction="mean"):
    """Huber loss with threshold delta > 0 (PyTorch ``huber_loss`` semantics), element-wise then reduced.

    With d = y_pred - y_true:  0.5 d**2 if |d| <= delta,  else delta (|d| - 0.5 delta).
    Quadratic (like MSE) for small errors, linear (like MAE) for large ones. Lesson 03.

    >>> huber([0.0, 0.0], [0.5, 3.0], reduction="none").tolist()
    [0.125, 2.5]
    """
    delta = check_positive_number(delta, "delta")
    return _elementwise(_huber, y_true, y_pred, reduction, True, False, delta=delta)[0]


def huber_grad(y_true, y_pred, delta=1.0, reduction="mean"):
    """d huber / d y_pred = clip(y_pred - y_true, -delta, delta) / n.

    At |d| == delta both branches give d, so the gradient is continuous there (as in PyTorch).
    """
    delta = check_positive_number(delta, "delta")
    return _elementwise(_huber, y_true, y_pred, reduction, False, True, delta=delta)[1]


# --------------------------------------------------------------------------- binary (lesson 04)

def _check_labels(y, p):
    check_unit_interval(y, "y_true (labels)", _LABEL_ADVICE)


def _check_probs_and_labels(y, p):
    check_unit_interval(p, "y_pred (probabilities)", _PROBS_ADVICE)
    _check_labels(y, p)


def _bce(y, p, v, g, tmp, scale):
    out = tmp[2] if v is True else v
    if v is not None:
        log_p = np.maximum(np.log(p, out=tmp[0]), LOG_FLOOR, out=tmp[0])
        log_p *= y
        log_q = np.maximum(np.log1p(np.negative(p, out=tmp[1]), out=tmp[1]), LOG_FLOOR, out=tmp[1])
        log_q *= np.subtract(1.0, y, out=out)
        log_q += log_p
        np.negative(log_q, out=out)
    if g is not None:
        np.subtract(p, y, out=g)
        denom = np.subtract(1.0, p, out=tmp[0])
        denom *= p
        g /= np.maximum(denom, GRAD_EPS, out=denom)
        g *= scale
    return out.sum() if v is True else None


def _bce_logits(y, z, v, g, tmp, scale):
    e = np.exp(np.negative(np.abs(z, out=tmp[0]), out=tmp[0]), out=tmp[0])  # exp(-|z|) in (0, 1]: no overflow
    out = tmp[2] if v is True else v
    if v is not None:
        # max(z, 0) - z y first: for a confident right answer (z = 40, y = 1) it is exactly 0, and the
        # tiny log1p term (4e-18) survives instead of vanishing in 40 + 4e-18 - 40.
        np.maximum(z, 0.0, out=out)
        out -= np.multiply(z, y, out=tmp[1])
        out += np.log1p(e, out=tmp[1])
    if g is not None:
        np.exp(np.minimum(z, 0.0, out=g), out=g)  # 1 for z >= 0, e for z < 0
        e += 1.0
        g /= e  # sigmoid(z), computed without overflow
        g -= y
        g *= scale
    return out.sum() if v is True else None


def binary_cross_entropy(y_true, y_pred, reduction="mean"):
    """Binary cross-entropy on probabilities: -[y log p + (1 - y) log(1 - p)], element-wise.

    y_true: labels in [0, 1] (0/1 or soft); y_pred: probabilities in [0, 1]; same shape.
    Each log is clamped at -100 like PyTorch's ``binary_cross_entropy``, so p = 0 or 1 gives at
    most 100 instead of infinity. Lesson 04.

    >>> round(binary_cross_entropy([1.0], [0.9]), 6)   # -log(0.9)
    0.105361
    >>> binary_cross_entropy([1.0], [0.0])              # confidently wrong: clamped, not inf
    100.0
    """
    return _elementwise(_bce, y_true, y_pred, reduction, True, False, _check_probs_and_labels)[0]


def binary_cross_entropy_grad(y_true, y_pred, reduction="mean"):
    """d bce / d p = (p - y) / (p (1 - p)) / n, with the denominator floored at 1e-12 (PyTorch's choice).

    The floor keeps the gradient finite (and pointing the right way) at p = 0 or 1.
    """
    return _elementwise(_bce, y_true, y_pred, reduction, False, True, _check_probs_and_labels)[1]


def binary_cross_entropy_with_logits(y_true, logits, reduction="mean"):
    """Binary cross-entropy on logits z (p = sigmoid(z)), computed stably, element-wise.

    Uses the identity  bce(y, sigmoid(z)) = max(z, 0) - z y + log(1 + exp(-|z|)),
    which never overflows (z = +-1000 is fine). Same semantics as PyTorch's
    ``binary_cross_entropy_with_logits``. Lesson 04.

    >>> binary_cross_entropy_with_logits([1.0, 0.0], [1000.0, -1000.0])
    0.0
    """
    return _elementwise(_bce_logits, y_true, logits, reduction, True, False, _check_labels)[0]


def binary_cross_entropy_with_logits_grad(y_true, logits, reduction="mean"):
    """d bce / d z = (sigmoid(z) - y) / n: the fused, always-finite gradient."""
    return _elementwise(_bce_logits, y_true, logits, reduction, False, True, _check_labels)[1]


# --------------------------------------------------------------------------- categorical (lesson 05)

def _categorical(y_true, y_pred, reduction, name):
    """Validate (targets, scores) and return (targets, scores (n, k), is_index, single).

    targets is an int array (n,) of class indices or a float array (n, k) of probability rows.
    """
    check_reduction(reduction)
    s = as_float_array(y_pred, name)
    if s.ndim not in (1, 2):
        raise ValueError(
            f"{name} must have shape (n, k): one row of k class scores per sample; got shape {s.shape}. "
            "Reshape it with .reshape(n, k)."
        )
    single = s.ndim == 1
    if single:
        s = s[None, :]
    n, k = s.shape
    y = as_float_array(y_true, "y_true")
    if single and y.ndim == 0:
        y = y[None]
    elif single and y.shape == (k,):
        y = y[None, :]
    if y.shape == (n, k):
        check_unit_interval(y, "y_true (one-hot or probability rows)",
                            "Each row of y_true must be a probability distribution over the classes.")
        sums = _row_sums(y)
        bad = np.flatnonzero(np.abs(sums - 1.0) > 1e-6)
        if bad.size:
            raise ValueError(
                f"row {bad[0]} of y_true sums to {sums[bad[0]]:.6g}, but each row must sum to 1 "
                "(one-hot: a single 1 and the rest 0s). If these are class indices, pass them as a flat "
                "array of shape (n,)."
            )
        return y, s, False, single
    if y.shape == (n,):
        whole = y == np.round(y)
        if not whole.all():
            i = int(np.flatnonzero(~whole)[0])
            raise ValueError(
                f"class indices in y_true must be whole numbers 0..{k - 1}, but y_true[{i}] = {y[i]}. "
                f"For probability targets pass an array of shape ({n}, {k})."
            )
        out = (y < 0) | (y >= k)
        if out.any():
            i = int(np.flatnonzero(out)[0])
            raise ValueError(
                f"class index y_true[{i}] = {int(y[i])} is out of range: with k = {k} columns of scores "
                f"the valid classes are 0..{k - 1}."
            )
        return y.astype(np.intp), s, True, single
    if y.shape == (n, 1):
        raise ValueError(
            f"y_true has shape {y.shape}, a column. Class indices must be a flat array of shape ({n},): "
            "use y_true.ravel(). (A column would broadcast against the rows and give a wrong loss.)"
        )
    expected = "(k,) one-hot or a single index" if single else f"({n},) class indices or ({n}, {k}) one-hot rows"
    raise ValueError(f"y_true has shape {y.shape}, but with {name} of shape {s.shape if not single else (k,)} "
                     f"it must be {expected}.")


def _row_sums(a):
    """Sum of each row; much faster than a.sum(axis=1) when rows are short."""
    return np.einsum("ij->i", a)


def _row_max(z):
    """Max of each row; a loop over a few columns beats z.max(axis=1), which is slow for short rows."""
    if z.shape[1] > 32:
        return z.max(axis=1)
    out = z[:, 0].copy()
    for j in range(1, z.shape[1]):
        np.maximum(out, z[:, j], out=out)
    return out


def _finish(per_sample, g, reduction, single):
    """Reduce per-sample losses and undo the single-sample promotion of (k,) inputs."""
    if per_sample is not None:
        if reduction == "none":
            per_sample = per_sample[0] if single else per_sample
        else:
            per_sample = reduce(per_sample, reduction, per_sample.size)
    if g is not None and single:
        g = g[0]
    return per_sample, g


def _check_rows_sum_to_one(p, tol=1e-3):
    """Each row of predicted probabilities must be a distribution; otherwise the loss is meaningless."""
    sums = _row_sums(p)
    bad = np.flatnonzero(np.abs(sums - 1.0) > tol)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"row {i} of y_pred (probabilities) sums to {sums[i]:.6g}, but each row must sum to 1 "
            f"({bad.size} of {p.shape[0]} rows do not). If these are raw scores, use softmax_cross_entropy; "
            "if you applied softmax yourself, normalise over the classes with softmax(z, axis=1) "
            "(axis=0 normalises each column instead)."
        )


def _cce(y_true, y_pred, reduction="mean", value=True, grad=True):
    y, p, is_index, single = _categorical(y_true, y_pred, reduction, "y_pred (probabilities)")
    check_unit_interval(p, "y_pred (probabilities)", _PROBS_ADVICE)
    _check_rows_sum_to_one(p)
    scale = grad_scale(reduction, p.shape[0])
    per_sample = g = None
    if is_index:
        rows = np.arange(p.shape[0])
        picked = p[rows, y]
        if value:
            with np.errstate(divide="ignore"):
                per_sample = -np.maximum(np.log(picked), LOG_FLOOR)
        if grad:
            g = np.zeros_like(p)
            g[rows, y] = -scale / np.maximum(picked, GRAD_EPS)
        return _finish(per_sample, g, reduction, single)
    g = np.empty_like(p)  # the clamped logs, then the gradient
    if value:
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(p, out=g), LOG_FLOOR, out=g)
        per_sample = -np.einsum("ij,ij->i", y, log_p)
    if grad:
        np.divide(y, np.maximum(p, GRAD_EPS, out=g), out=g)
        g *= -scale
    return _finish(per_sample, g if grad else None, reduction, single)


def _softmax_ce(y_true, logits, reduction="mean", value=True, grad=True):
    y, z, is_index, single = _categorical(y_true, logits, reduction, "logits")
    n, k = z.shape
    g = np.empty_like(z)  # shifted logits, then exp, then the gradient
    per_sample = np.empty(n) if value else None
    scale = grad_scale(reduction, n)

    def run(lo, hi):
        s, yb, rows = g[lo:hi], y[lo:hi], np.arange(hi - lo)
        np.subtract(z[lo:hi], _row_max(z[lo:hi])[:, None], out=s)  # stable: every exp(s) <= 1
        if value:
            picked = s[rows, yb] if is_index else np.einsum("ij,ij->i", yb, s)
        np.exp(s, out=s)
        total = _row_sums(s)
        y_sums = None if is_index else _row_sums(yb)
        if value:  # -sum_k y_k log_softmax_k = log(total) sum_k y_k - sum_k y_k s_k
            per_sample[lo:hi] = (np.log(total) if is_index else np.log(total) * y_sums) - picked
        if grad:  # softmax(z) sum_k y_k - y, times scale
            if is_index:
                s *= (scale / total)[:, None]
                s[rows, yb] -= scale
            else:
                s *= (y_sums / total)[:, None]
                s -= yb
                s *= scale

    _in_two(run, n, width=k)
    return _finish(per_sample, g if grad else None, reduction, single)


def categorical_cross_entropy(y_true, y_pred, reduction="mean"):
    """Categorical cross-entropy on probabilities: per sample -sum_k y_k log p_k, mean over samples.

    y_pred: probabilities, shape (n, k) (or (k,) for one sample), values in [0, 1], each row summing
    to 1 (within 1e-3; otherwise ValueError, e.g. for a softmax taken over the wrong axis).
    y_true: class indices, shape (n,) (Keras "sparse" form), or one-hot/probability rows, shape (n, k).
    Logs are clamped at -100 like the binary version. "none" gives one loss per sample, shape (n,).
    Lesson 05.

    >>> round(categorical_cross_entropy([2], [[0.1, 0.2, 0.7]]), 6)   # -log(0.7)
    0.356675
    """
    return _cce(y_true, y_pred, reduction, grad=False)[0]


def categorical_cross_entropy_grad(y_true, y_pred, reduction="mean"):
    """d cce / d p_k = -y_k / p_k / n  (denominator floored at 1e-12). Shape of y_pred."""
    return _cce(y_true, y_pred, reduction, value=False)[1]


def softmax_cross_entropy(y_true, logits, reduction="mean"):
    """Cross-entropy on logits: per sample -sum_k y_k log_softmax(z)_k (PyTorch ``cross_entropy``).

    Uses a stable log-softmax (log-sum-exp with the max subtracted), so logits of +-1000 are fine.
    Shapes as in ``categorical_cross_entropy``, with logits in place of probabilities. Lesson 05.

    >>> round(softmax_cross_entropy([0], [[2.0, 1.0, 0.1]]), 6)
    0.41703
    """
    return _softmax_ce(y_true, logits, reduction, grad=False)[0]


def softmax_cross_entropy_grad(y_true, logits, reduction="mean"):
    """d loss / d z = (softmax(z) * sum_k y_k - y) / n, i.e. softmax(z) - y for one-hot rows."""
    return _softmax_ce(y_true, logits, reduction, value=False)[1]


# --------------------------------------------------------------------------- registry

def _both(kernel, check=None, **fixed):
    """value_and_grad for an element-wise kernel: one validation, one pass over the data."""
    def value_and_grad(y_true, y_pred, reduction="mean", **kwargs):
        if "delta" in kwargs:
            kwargs["delta"] = check_positive_number(kwargs["delta"], "delta")
        return _elementwise(kernel, y_true, y_pred, reduction, True, True, check, **{**fixed, **kwargs})
    return value_and_grad


@dataclass(frozen=True)
class Loss:
    """A named loss: ``loss(y_true, y_pred)`` gives the value, ``loss.grad(...)`` the gradient.

    ``loss.value_and_grad(y_true, y_pred)`` returns both from one pass (what a training step needs).
    Unpacks as a pair, so ``fn, grad = get_loss("mse")`` works too. ``kind`` is "regression",
    "binary" or "categorical"; ``from_logits`` says whether y_pred is a logit rather than a probability.
    """

    name: str
    fn: Callable
    grad: Callable
    kind: str
    from_logits: bool = False
    both: Callable = None

    def __call__(self, y_true, y_pred, **kwargs):
        return self.fn(y_true, y_pred, **kwargs)

    def __iter__(self):
        return iter((self.fn, self.grad))

    def value_and_grad(self, y_true, y_pred, **kwargs):
        """(loss value, d loss / d y_pred) computed together; same arguments as the loss itself."""
        if self.both is None:
            return self.fn(y_true, y_pred, **kwargs), self.grad(y_true, y_pred, **kwargs)
        return self.both(y_true, y_pred, **kwargs)


_LOSSES = {
    "mse": (Loss("mse", mse, mse_grad, "regression", both=_both(_mse)),
            ["mean_squared_error", "MeanSquaredError", "MSELoss", "squared_error", "l2"]),
    "mae": (Loss("mae", mae, mae_grad, "regression", both=_both(_mae)),
            ["mean_absolute_error", "MeanAbsoluteError", "L1Loss", "l1", "absolute_error"]),
    "huber": (Loss("huber", huber, huber_grad, "regression", both=_both(_huber, delta=1.0)),
              ["huber_loss", "Huber", "HuberLoss"]),
    "binary_cross_entropy": (
        Loss("binary_cross_entropy", binary_cross_entropy, binary_cross_entropy_grad, "binary",
             both=_both(_bce, _check_probs_and_labels)),
        ["binary_crossentropy", "BinaryCrossentropy", "BCELoss", "bce", "log_loss"]),
    "binary_cross_entropy_with_logits": (
        Loss("binary_cross_entropy_with_logits", binary_cross_entropy_with_logits,
             binary_cross_entropy_with_logits_grad, "binary", from_logits=True,
             both=_both(_bce_logits, _check_labels)),
        ["BCEWithLogitsLoss", "bce_with_logits", "binary_crossentropy_from_logits", "sigmoid_cross_entropy"]),
    "categorical_cross_entropy": (
        Loss("categorical_cross_entropy", categorical_cross_entropy, categorical_cross_entropy_grad,
             "categorical", both=_cce),
        ["categorical_crossentropy", "CategoricalCrossentropy", "sparse_categorical_crossentropy",
         "SparseCategoricalCrossentropy", "sparse_categorical_cross_entropy", "cce", "nll"]),
    "softmax_cross_entropy": (
        Loss("softmax_cross_entropy", softmax_cross_entropy, softmax_cross_entropy_grad, "categorical",
             from_logits=True, both=_softmax_ce),
        ["cross_entropy", "CrossEntropyLoss", "categorical_crossentropy_from_logits",
         "sparse_categorical_crossentropy_from_logits"]),
}


def _key(name):
    return "".join(ch for ch in name.lower() if ch.isalnum())


_BY_KEY = {_key(alias): loss for loss, aliases in _LOSSES.values() for alias in [loss.name, *aliases]}
LOSS_NAMES = tuple(sorted({alias for loss, aliases in _LOSSES.values() for alias in [loss.name, *aliases]}))
"""Every spelling ``get_loss`` accepts (case, '_', '-' and spaces are ignored)."""


def get_loss(name):
    """Look a loss up by name, accepting Keras and PyTorch spellings ("mse", "binary_crossentropy", ...).

    Returns a ``Loss``. Case, underscores, hyphens and spaces are ignored.

    >>> get_loss("mean_squared_error").name
    'mse'
    >>> get_loss("sparse_categorical_crossentropy").name
    'categorical_cross_entropy'
    """
    if isinstance(name, Loss):
        return name
    if not isinstance(name, str):
        raise TypeError(f"get_loss expects a loss name (a string) such as 'mse', got {type(name).__name__}.")
    try:
        return _BY_KEY[_key(name)]
    except KeyError:
        close = difflib.get_close_matches(name, LOSS_NAMES, n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise ValueError(
            f"unknown loss {name!r}.{hint} Valid names: {', '.join(LOSS_NAMES)}."
        ) from None
