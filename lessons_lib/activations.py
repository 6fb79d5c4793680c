"""Numerically stable sigmoid, softmax and log-softmax (lessons 04 and 05).

All three accept any finite input, including logits of +-1000, without overflow or NaN.
"""
import numpy as np

from ._validate import as_float_array


def sigmoid(z):
    """Logistic function 1 / (1 + exp(-z)), element-wise; any shape in, same shape out.

    Computed as exp(min(z, 0)) / (1 + exp(-|z|)) so exp never sees a large positive argument.

    >>> float(sigmoid(0.0)), float(sigmoid(1000.0)), float(sigmoid(-1000.0))
    (0.5, 1.0, 0.0)
    """
    z = as_float_array(z, "z")
    return _sigmoid(z)


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)


def _logits(z):
    z = as_float_array(z, "logits")
    if z.ndim == 0:
        raise ValueError("softmax needs a vector of logits (one per class), got a single number.")
    return z


def log_softmax(z, axis=-1):
    """log(softmax(z)) along ``axis``: z - max(z) - log(sum(exp(z - max(z)))). Shape preserved.

    >>> np.round(log_softmax([1000.0, 0.0]), 3).tolist()
    [0.0, -1000.0]
    """
    return _log_softmax(_logits(z), axis)


def _log_softmax(z, axis=-1):
    with np.errstate(over="ignore"):  # a gap beyond float64's range gives -inf, the rounded true value
        shifted = z - z.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def softmax(z, axis=-1):
    """exp(z_k) / sum_j exp(z_j) along ``axis`` (the max-shift trick keeps it finite). Shape preserved.

    >>> softmax([1.0, 1.0, 1.0, 1.0]).tolist()
    [0.25, 0.25, 0.25, 0.25]
    """
    return _softmax(_logits(z), axis)


def _softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)
