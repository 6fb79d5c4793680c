"""Seeded random probes for the differential checks: inputs drawn from each exercise's declared input space.

Every generator takes a ``numpy.random.Generator`` and returns a list of ``Probe``: 1-D and 2-D arrays
of several sizes, float64 and float32, values with many significant digits, and calls that leave
defaulted arguments out. ``Contract.random_probes`` draws them once, from a fixed seed per exercise,
so the same answer always gets the same verdict.
"""
import numpy as np

from .diagnosis import Probe

F32_RTOL, F32_ATOL, F32_SCALE = 1e-4, 1e-6, 1e-5
"""Tolerance on float32 inputs: a float32 computation is accurate to about 1e-7 per operation."""
F64_RTOL, F64_ATOL, F64_SCALE = 1e-5, 1e-9, 1e-6
"""Tolerance on float64 inputs: loose enough for an answer computed in float32, far too tight for rounding
to 4 decimals. ``SCALE`` times the largest expected magnitude is added to the absolute tolerance, so an
entry near 0 of a gradient is judged on the scale of the whole array."""

SHAPES_64 = ((1,), (5,), (13,), (4, 3), (2, 5))
SHAPES_32 = ((6,), (3, 4))


def probe(inputs, *, omitted=(), expected=None):
    """A Probe with the float32 tolerance when any input array is float32."""
    f32 = any(isinstance(v, np.ndarray) and v.dtype == np.float32 for v in inputs.values())
    return Probe(inputs, expected=expected, omitted=tuple(omitted), rtol=F32_RTOL if f32 else F64_RTOL,
                 atol=F32_ATOL if f32 else F64_ATOL, scale_atol=F32_SCALE if f32 else F64_SCALE)


def shapes():
    """(shape, dtype) pairs: several sizes in 1-D and 2-D as float64, two as float32."""
    return [(s, np.float64) for s in SHAPES_64] + [(s, np.float32) for s in SHAPES_32]


def regression_pairs(rng, scale=2.0):
    """(y_true, y_pred) pairs of equal shape; errors of both signs, some below and some above 1."""
    pairs = []
    for shape, dtype in shapes():
        y = rng.normal(0.0, scale, size=shape)
        p = y + rng.normal(0.0, scale, size=shape)
        pairs.append((y.astype(dtype), p.astype(dtype)))
    return pairs


def binary_pairs(rng):
    """(labels in {0, 1}, probabilities in (0, 1)) pairs, including some within 1e-3 of 0 and 1."""
    pairs = []
    for shape, dtype in shapes():
        y = (rng.random(shape) < 0.5).astype(float)
        p = rng.uniform(0.02, 0.98, size=shape)
        if p.size >= 5:
            p.ravel()[:2] = rng.uniform(1e-3, 5e-3), 1 - rng.uniform(1e-3, 5e-3)
        pairs.append((y.astype(dtype), p.astype(dtype)))
    return pairs


def labels_not_argmax(rng, p):
    """One label per row, never the row's most probable class (so ignoring the labels cannot pass)."""
    n, k = p.shape
    top = p.argmax(axis=1)
    return (top + rng.integers(1, k, size=n)) % k


def class_tables(rng, sizes=((3, 3), (5, 4), (2, 6), (7, 2), (4, 5))):
    """(labels, probability rows) with labels not the argmax; some true-class probabilities are tiny.

    The tiny ones (a few 1e-6) tell a harmless clip (<= 1e-7) from one that changes the loss (>= 1e-5).
    """
    out = []
    for i, (n, k) in enumerate(sizes):
        p = rng.dirichlet(np.full(k, 0.8), size=n)
        labels = labels_not_argmax(rng, p)
        if i % 2 == 1:  # a true class with a probability of a few 1e-6, renormalised on the other classes
            tiny = rng.uniform(2e-6, 8e-6)
            row = p[0].copy()
            row[labels[0]] = 0.0
            row = row / row.sum() * (1 - tiny)
            row[labels[0]] = tiny
            p[0] = row
        out.append((labels, p))
    return out


def logit_tables(rng, sizes=((3, 3), (5, 4), (2, 6), (4, 2))):
    """(labels, logits) with labels not the argmax; one table has logits in the hundreds."""
    out = []
    for i, (n, k) in enumerate(sizes):
        z = rng.normal(0.0, 3.0, size=(n, k))
        if i == 2:
            z = z * 150.0
        out.append((labels_not_argmax(rng, z), z))
    return out
