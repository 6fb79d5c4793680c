"""The fast path behind ``Loss.value_and_grad``: the same formulas as ``losses.py``, tuned for speed.

Private: nothing here is course material. ``losses.py`` states each loss and its gradient the way
the lessons write them; a training step calls ``loss.value_and_grad``, which validates once and then
lands here. The numbers agree with the readable formulas to about 1e-15 relative (sums are taken in a
different order), and ``tests/test_losses_kernels.py`` checks that to a stated tolerance.

The tricks, mostly about memory traffic on large inputs:

* element-wise losses work through their inputs in blocks of ``BLOCK`` elements, so intermediates
  live in small per-thread scratch buffers that stay in cache and are reused between calls (fresh
  megabyte-sized arrays cost page faults on every call); the only input-sized array made is the
  gradient (plus the per-item losses for ``reduction="none"``). The categorical losses do the same
  with blocks of about ``BLOCK`` elements' worth of rows, working inside the gradient array;
* ``log(1 + e)`` and ``log(1 - p)`` are a ``log`` plus an exact correction for the rounding of
  ``1 + e`` (NumPy's ``log1p`` costs about twice a ``log``; ``exp`` and ``log`` dominate the
  cross-entropies);
* class indices pick their entries with ``take``/``put`` on the flattened rows (several times faster
  than ``a[rows, y]``);
* from ``PARALLEL_MIN`` elements on, the input is computed as two halves on two threads (NumPy
  releases the GIL);
* sums of products use ``np.einsum``, not ``np.dot``: on long vectors OpenBLAS wakes a worker thread
  that then busy-waits ~0.1 s, stealing the second core.

Every function takes arrays that ``losses.py`` already validated (float64, matching shapes) and
returns ``(value, gradient)``.
"""
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ._validate import as_float_array, grad_scale, reduce

LOG_FLOOR = -100.0  # as in losses.py (PyTorch's clamp of each log)
GRAD_EPS = float(np.float32(1e-12))  # as in losses.py (PyTorch's floor of probability denominators)
_TINY = np.finfo(np.float64).tiny  # a floor that changes no positive float64 that 1 - p can give

BLOCK = 2**16
"""Element-wise losses work through their inputs in blocks of this many elements."""

PARALLEL_MIN = 2**17
"""Inputs of at least this many elements (rows x classes for the categorical losses) are computed as
two halves on two threads, after all checks ran on the whole input."""

_pool, _pool_pid, _pool_lock = None, None, threading.Lock()
_local = threading.local()


def _scratch():
    """Four BLOCK-sized scratch rows for the calling thread, kept between calls."""
    tmp = getattr(_local, "tmp", None)
    if tmp is None or tmp.shape[1] != BLOCK:
        tmp = _local.tmp = np.empty((4, BLOCK))
    return tmp


def _executor():
    """The shared one-worker pool that computes second halves (re-created in a forked child)."""
    global _pool, _pool_pid
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool, _pool_pid = ThreadPoolExecutor(1, thread_name_prefix="lessons_lib"), os.getpid()
        return _pool


def in_two(fn, n, step=1, width=1):
    """[fn(0, n)], or [fn(0, mid), fn(mid, n)] on two threads when n * width is large; mid is a multiple
    of step. fn(lo, hi) works on items lo..hi-1 (elements, or rows of ``width`` columns)."""
    if n * width < PARALLEL_MIN:
        return [fn(0, n)]
    mid = min(n, -(-n // (2 * step)) * step)
    second = in_background(fn, mid, n)
    return [fn(0, mid), second.result()]


def large_float_matrix(a):
    """True for a float64 array of shape (n, k) with at least PARALLEL_MIN entries."""
    return isinstance(a, np.ndarray) and a.dtype == np.float64 and a.ndim == 2 and a.size >= PARALLEL_MIN


def in_background(fn, *args):
    """Start fn(*args) on the second thread; returns a future (``.result()`` re-raises its error)."""
    return _executor().submit(fn, *args)


def as_float_pair(y_true, y_pred, y_name="y_pred", finite=True):
    """``as_float_array`` on both arguments, on two threads when both are large arrays that need the
    finiteness pass (``finite``; without it, a float64 array is returned as it is).

    If both are bad, y_true's error is the one raised, as when they are checked one after the other.
    """
    if finite and all(isinstance(a, np.ndarray) and a.size >= PARALLEL_MIN for a in (y_true, y_pred)):
        y = in_background(as_float_array, y_true, "y_true")
        try:
            p = as_float_array(y_pred, y_name)
        finally:
            y = y.result()
        return y, p
    return as_float_array(y_true, "y_true", finite), as_float_array(y_pred, y_name, finite)


def _dot(a, b):
    """Sum of a * b for 1-D arrays (einsum: no BLAS threads, see the module docstring)."""
    return float(np.einsum("i,i->", a, b))


def elementwise(kernel, y, p, reduction, **kwargs):
    """Run ``kernel`` block by block over validated arrays of one shape; returns (value, gradient).

    ``kernel(y, p, v, g, tmp, scale, **kwargs)`` gets flat blocks; ``v`` is True (return the block's sum
    of losses) or an array to fill with the per-element losses; the gradient times ``scale`` goes into
    ``g``; ``tmp`` holds four scratch blocks.
    """
    shape, n = p.shape, p.size
    y, p = y.reshape(-1), p.reshape(-1)
    v = np.empty(n) if reduction == "none" else None
    g = np.empty(n)
    scale = grad_scale(reduction, n)

    def run(lo, hi):
        tmp = _scratch()
        sums = []
        with np.errstate(all="ignore"):  # overflow gives +-inf on purpose; errstate is per thread
            for start in range(lo, hi, BLOCK):
                b = slice(start, min(start + BLOCK, hi))
                want = v[b] if v is not None else True
                sums.append(kernel(y[b], p[b], want, g[b], tmp[:, :b.stop - start], scale, **kwargs))
        return sums

    sums = [s for part in in_two(run, n, BLOCK) for s in part]
    if v is not None:
        value = v.reshape(shape)
    else:
        value = float(np.sum(sums))
        value = value / n if reduction == "mean" else value
    return value, g.reshape(shape)


# --------------------------------------------------------------------------- element-wise kernels

def mse_kernel(y, p, v, g, tmp, scale):
    d = np.subtract(p, y, out=g)
    total = _dot(d, d) if v is True else np.square(d, out=v)
    d *= 2.0 * scale
    return total if v is True else None


def mae_kernel(y, p, v, g, tmp, scale):
    d = np.subtract(p, y, out=tmp[0])
    s = np.sign(d, out=g)
    total = _dot(s, d) if v is True else np.abs(d, out=v)  # sum |d| = sign(d) . d
    g *= scale
    return total if v is True else None


def huber_kernel(y, p, v, g, tmp, scale, delta):
    d = np.subtract(p, y, out=tmp[0])
    c = np.clip(d, -delta, delta, out=g)  # the clipped error is also the gradient
    total = None
    if v is True:
        # the sum of c (d - c/2); c.d >= c.c, so at most one bit is lost to cancellation
        total = _dot(c, d) - 0.5 * _dot(c, c)
        total = np.inf if np.isnan(total) else total  # inf - inf when an error overflowed float64
    else:
        # c (d - c/2) is 0.5 d**2 when |d| <= delta and delta (|d| - delta/2) otherwise.
        np.multiply(c, -0.5, out=v)
        v += d
        v *= c
    g *= scale
    return total


def bce_kernel(y, p, v, g, tmp, scale):
    out = tmp[2] if v is True else v
    q = np.subtract(1.0, p, out=tmp[1])
    log_p = np.maximum(np.log(p, out=tmp[0]), LOG_FLOOR, out=tmp[0])
    log_p *= y
    # log(1 - p) to within an ulp of log1p(-p), at the price of a log (log1p costs twice as much):
    # q = 1 - p is rounded, (q - 1) + p is that rounding error exactly, and log(1 - p) = log(q) - err / q
    err = np.subtract(q, 1.0, out=tmp[3])
    err += p
    err /= np.maximum(q, _TINY, out=out)  # q = 0 (p = 1): err is 0 too, and log(q) = -inf is clamped below
    log_q = np.log(q, out=out)
    log_q -= err
    np.maximum(log_q, LOG_FLOOR, out=log_q)
    log_q *= np.subtract(1.0, y, out=tmp[3])
    log_q += log_p
    np.negative(log_q, out=out)
    np.subtract(p, y, out=g)
    denom = np.multiply(q, p, out=tmp[0])
    g /= np.maximum(denom, GRAD_EPS, out=denom)
    g *= scale
    return out.sum() if v is True else None


def bce_logits_kernel(y, z, v, g, tmp, scale):
    e = np.exp(np.negative(np.abs(z, out=tmp[0]), out=tmp[0]), out=tmp[0])  # exp(-|z|) in (0, 1]
    u = np.add(e, 1.0, out=tmp[1])
    # sigmoid(z) = (1 if z >= 0 else e) / (1 + e), without a second exp: as e <= 1, max(e, [z >= 0])
    # is 1 where z >= 0 and e elsewhere (exp is by far the slowest step here)
    np.maximum(e, np.greater_equal(z, 0.0, out=tmp[3].view(bool)[:z.size]), out=g)
    g /= u
    g -= y
    g *= scale
    if v is True:  # only the sum is wanted: max(z, 0) - z y summed, plus the sum of log(1 + e)
        linear = np.maximum(z, 0.0, out=tmp[2])
        linear -= np.multiply(z, y, out=tmp[1])
        return linear.sum() + _sum_log1p(e, tmp[1])
    # log(1 + e) to within an ulp of log1p(e), at the price of a log (log1p costs twice as much):
    # u = 1 + e is rounded, (u - 1) - e is that rounding error exactly, and log(1 + e) = log(u) - err / u
    err = np.subtract(u, 1.0, out=tmp[3])
    err -= e
    err /= u
    log1p_e = np.log(u, out=tmp[1])
    log1p_e -= err
    # max(z, 0) - z y first: for a confident right answer (z = 40, y = 1) it is exactly 0, and the
    # tiny log(1 + e) term (4e-18) survives instead of vanishing in 40 + 4e-18 - 40.
    np.maximum(z, 0.0, out=v)
    v -= np.multiply(z, y, out=tmp[0])
    v += log1p_e
    return None


_GROUP = 512
"""_sum_log1p multiplies groups of this many (1 + e): at most 2**512, far from overflow."""


def _sum_log1p(e, spare):
    """Sum of log(1 + e) over e in [0, 1] with one log per _GROUP elements; ``e`` is overwritten.

    log(1 + a) + log(1 + b) = log(1 + c) with c = a + b + a b, so each group's excesses are combined
    pairwise (9 rounds of halving) and one log1p is taken per group. Keeping the excess c, not the
    product 1 + c, keeps its relative accuracy (about 10 ulp) even when every e is tiny, e.g. for
    confident right answers. ``spare``: scratch of at least half of e's size.
    """
    whole = e.size // _GROUP * _GROUP
    total = float(np.log1p(e[whole:]).sum())
    if whole:
        c = e[:whole].reshape(-1, _GROUP)
        half = _GROUP
        while half > 1:
            half //= 2
            a, b = c[:, :half], c[:, half:2 * half]
            ab = np.multiply(a, b, out=spare[:a.size].reshape(a.shape))
            a += b
            a += ab
        total += float(np.log1p(c[:, 0]).sum())
    return total


# --------------------------------------------------------------------------- categorical

def _row_max(z):
    """Max of each row; a loop over a few columns beats z.max(axis=1), which is slow for short rows."""
    if z.shape[1] > 32:
        return z.max(axis=1)
    out = z[:, 0].copy()
    for j in range(1, z.shape[1]):
        np.maximum(out, z[:, j], out=out)
    return out


def _row_sums(a):
    return np.einsum("ij->i", a)


def by_row_blocks(block, n, k):
    """block(lo, hi) on rows lo..hi-1 of an (n, k) problem, about BLOCK elements at a time (so the
    pieces stay in cache), the two halves of the rows on two threads when n * k is large."""
    step = max(1, BLOCK // k)

    def run(lo, hi):
        with np.errstate(all="ignore"):  # NaN/inf inputs, checked after the fact, are quiet (per thread)
            for start in range(lo, hi, step):
                block(start, min(start + step, hi))

    in_two(run, n, step, width=k)


def categorical(y, p, is_index, reduction):
    """Cross-entropy on probabilities p (n, k): (per-sample losses reduced, gradient (n, k))."""
    n, k = p.shape
    scale = grad_scale(reduction, n)
    if is_index:
        at = np.arange(0, n * k, k) + y  # the targets' places in p.ravel()
        picked = p.reshape(-1).take(at)
        with np.errstate(divide="ignore"):
            per_sample = -np.maximum(np.log(picked), LOG_FLOOR)
        g = np.zeros_like(p)
        g.reshape(-1)[at] = -scale / np.maximum(picked, GRAD_EPS)
        return reduce(per_sample, reduction, n), g
    g = np.empty_like(p)  # the clamped logs, then the gradient
    per_sample = np.empty(n)

    def block(lo, hi):
        pb, yb, gb = p[lo:hi], y[lo:hi], g[lo:hi]
        with np.errstate(divide="ignore"):
            log_p = np.maximum(np.log(pb, out=gb), LOG_FLOOR, out=gb)
        per_sample[lo:hi] = -np.einsum("ij,ij->i", yb, log_p)
        np.divide(yb, np.maximum(pb, GRAD_EPS, out=gb), out=gb)
        gb *= -scale

    by_row_blocks(block, n, k)
    return reduce(per_sample, reduction, n), g


def softmax_cross_entropy(y, z, is_index, reduction):
    """Cross-entropy on logits z (n, k): (per-sample losses reduced, gradient (n, k))."""
    n, k = z.shape
    g = np.empty_like(z)  # shifted logits, then exp, then the gradient
    per_sample = np.empty(n)
    scale = grad_scale(reduction, n)

    def block(lo, hi):
        s, yb = g[lo:hi], y[lo:hi]
        flat = s.reshape(-1)
        # the target's place in the flattened rows: take/put on a flat view beat s[rows, yb] ~5x
        at = np.arange(0, (hi - lo) * k, k) + yb if is_index else None
        np.subtract(z[lo:hi], _row_max(z[lo:hi])[:, None], out=s)  # stable: every exp(s) <= 1
        picked = flat.take(at) if is_index else np.einsum("ij,ij->i", yb, s)
        np.exp(s, out=s)
        total = _row_sums(s)
        y_sums = None if is_index else _row_sums(yb)
        # -sum_k y_k log_softmax_k = log(total) sum_k y_k - sum_k y_k s_k
        per_sample[lo:hi] = (np.log(total) if is_index else np.log(total) * y_sums) - picked
        if is_index:  # (softmax(z) - y) * scale
            s *= (scale / total)[:, None]
            flat[at] -= scale
        else:  # (softmax(z) sum_k y_k - y) * scale, y * scale made in this thread's scratch space
            s *= (scale * y_sums / total)[:, None]
            room = _scratch()[0]
            s -= np.multiply(yb, scale, out=room[:s.size].reshape(s.shape) if s.size <= room.size else None)

    by_row_blocks(block, n, k)
    return reduce(per_sample, reduction, n), g
