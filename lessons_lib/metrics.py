"""Metrics: numbers people read while a model trains (lesson 07).

A loss must be differentiable so gradient descent can follow it; a metric only has to mean
something to a person ("92 % of the flowers were classified correctly"). ``Sequential.fit``
reports one list per metric in ``History.history``.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ._validate import as_float_array
from .losses import mae as _mae, mse as _mse

__all__ = ["accuracy", "binary_accuracy", "mean_absolute_error", "mean_squared_error", "Metric", "get_metric",
           "reliability_bins", "expected_calibration_error"]


def _labels(y_true, y_pred):
    """Return (true class, predicted class) arrays, shape (n,), for binary or multi-class predictions."""
    y = as_float_array(y_true, "y_true")
    p = as_float_array(y_pred, "y_pred")
    if p.ndim == 2 and p.shape[1] > 1:                # multi-class: the highest score wins
        predicted = p.argmax(axis=1)
        if y.shape == p.shape:
            return y.argmax(axis=1), predicted
        if y.shape == (p.shape[0],):
            k = p.shape[1]
            bad = (y != np.round(y)) | (y < 0) | (y >= k)
            if bad.any():
                i = int(np.flatnonzero(bad)[0])
                raise ValueError(f"y_true[{i}] = {y[i]:g} is not a class index: with {k} columns of scores "
                                 f"the classes are 0..{k - 1}.")
            return y, predicted
        raise ValueError(f"y_true has shape {y.shape}; with y_pred of shape {p.shape} it must be "
                         f"({p.shape[0]},) class indices or {p.shape} one-hot rows.")
    p = p.reshape(-1) if p.ndim == 2 else p           # binary: one probability per sample
    y = y.reshape(-1) if y.ndim == 2 and y.shape[1] == 1 else y
    if y.shape != p.shape:
        raise ValueError(f"y_true has shape {y.shape} but y_pred has shape {p.shape}; need one label per prediction.")
    return y > 0.5, p > 0.5


def accuracy(y_true, y_pred):
    """Fraction of samples whose predicted class equals the true class.

    Binary: y_pred (n,) or (n, 1) probabilities, class 1 when > 0.5. Multi-class: y_pred (n, k)
    scores, class = argmax; y_true as indices (n,) or one-hot rows (n, k).

    >>> accuracy([0, 1, 1], [0.2, 0.9, 0.4])
    0.6666666666666666
    >>> accuracy([2, 0], [[0.1, 0.2, 0.7], [0.3, 0.6, 0.1]])
    0.5
    """
    truth, predicted = _labels(y_true, y_pred)
    return float(np.mean(truth == predicted))


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """Fraction of *outputs* on the right side of ``threshold``: each column is its own yes/no question.

    For multi-label outputs (k sigmoids, y_true of the same shape (n, k) with 0/1 entries), where
    argmax would be meaningless. ``Sequential`` uses it for "accuracy" with a binary loss on k > 1
    sigmoid outputs. y_true (n,) is accepted against y_pred (n, 1).

    >>> binary_accuracy([[1, 0], [1, 1]], [[0.9, 0.2], [0.4, 0.7]])
    0.75
    """
    y = as_float_array(y_true, "y_true")
    p = as_float_array(y_pred, "y_pred")
    if y.ndim == 1 and p.shape == (y.shape[0], 1):
        y = y[:, None]
    if y.shape != p.shape:
        raise ValueError(f"y_true has shape {y.shape} but y_pred has shape {p.shape}; binary accuracy needs "
                         "one 0/1 label per output.")
    return float(np.mean((y > threshold) == (p > threshold)))


def _dense_targets(y_true, y_pred):
    y, p = as_float_array(y_true, "y_true"), as_float_array(y_pred, "y_pred")
    if p.ndim == 2 and y.shape == (p.shape[0],) and p.shape[1] > 1:   # class indices -> one-hot rows
        k = p.shape[1]
        if not np.all(y == np.round(y)) or y.min() < 0 or y.max() >= k:
            raise ValueError(f"y_true of shape {y.shape} against y_pred of shape {p.shape} must be class indices "
                             f"0..{k - 1}, but it holds values from {y.min():g} to {y.max():g}.")
        onehot = np.zeros_like(p)
        onehot[np.arange(len(y)), y.astype(np.intp)] = 1.0
        return onehot, p
    if p.ndim == 2 and p.shape[1] == 1 and y.shape == (p.shape[0],):
        return y[:, None], p
    return y, p


def mean_absolute_error(y_true, y_pred):
    """``losses.mae`` as a metric; class-index targets are compared as one-hot rows."""
    return _mae(*_dense_targets(y_true, y_pred))


def mean_squared_error(y_true, y_pred):
    """``losses.mse`` as a metric; class-index targets are compared as one-hot rows."""
    return _mse(*_dense_targets(y_true, y_pred))


@dataclass(frozen=True)
class Metric:
    """A named metric ``fn(y_true, y_pred) -> float``; ``name`` is the key used in ``History.history``."""

    name: str
    fn: Callable

    def __call__(self, y_true, y_pred):
        return self.fn(y_true, y_pred)


_METRICS = {
    "accuracy": ("accuracy", accuracy), "acc": ("accuracy", accuracy),
    "mae": ("mae", mean_absolute_error), "mean_absolute_error": ("mae", mean_absolute_error),
    "mse": ("mse", mean_squared_error), "mean_squared_error": ("mse", mean_squared_error),
}


def get_metric(metric):
    """Return a ``Metric`` from a name ("accuracy", "mae", "mse") or a callable ``fn(y_true, y_pred)``.

    >>> get_metric("acc").name
    'accuracy'
    """
    if isinstance(metric, Metric):
        return metric
    if isinstance(metric, str):
        key = metric.strip().lower()
        if key not in _METRICS:
            raise ValueError(f"unknown metric {metric!r}; use 'accuracy', 'mae' or 'mse', or a function "
                             "f(y_true, y_pred) returning a number.")
        return Metric(*_METRICS[key])
    if callable(metric):
        return Metric(getattr(metric, "__name__", "metric"), metric)
    raise TypeError(f"a metric must be a name or a function f(y_true, y_pred), got {type(metric).__name__}.")


# --------------------------------------------------------------------------- calibration (lessons 08, 12)

@dataclass(frozen=True)
class ReliabilityBins:
    """Per-bin summary of predicted probabilities: only bins holding at least one sample are kept.

    ``mean_predicted[i]`` is the average predicted probability in bin i, ``observed[i]`` the fraction of
    positives among those samples, ``counts[i]`` how many samples fell in it; ``edges`` are all bin edges.
    """

    mean_predicted: np.ndarray
    observed: np.ndarray
    counts: np.ndarray
    edges: np.ndarray


def _probabilities_and_labels(y_true, p_pred, n_bins):
    y = as_float_array(y_true, "y_true")
    p = as_float_array(p_pred, "p_pred")
    if y.ndim != 1 or p.ndim != 1 or y.shape != p.shape:
        raise ValueError(f"y_true and p_pred must both have shape (n,), one 0/1 label and one probability per "
                         f"sample; got {y.shape} and {p.shape}. Use .ravel() on (n, 1) columns.")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y_true must hold labels 0 or 1.")
    if p.min() < 0 or p.max() > 1:
        raise ValueError(f"p_pred must be probabilities in [0, 1]; found values from {p.min():g} to {p.max():g}. "
                         "Apply a sigmoid to logits first.")
    if isinstance(n_bins, bool) or not isinstance(n_bins, (int, np.integer)) or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}.")
    return y, p


def reliability_bins(y_true, p_pred, n_bins=10):
    """Group predictions into ``n_bins`` equal-width bins of [0, 1] and compare confidence with frequency.

    y_true: (n,) labels 0/1; p_pred: (n,) predicted probabilities of label 1. Bin i holds
    edges[i] <= p < edges[i + 1] (the last bin includes 1.0). A calibrated model has
    observed == mean_predicted in every bin. Returns a ``ReliabilityBins``.
    """
    y, p = _probabilities_and_labels(y_true, p_pred, n_bins)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    index = np.minimum((p * n_bins).astype(np.intp), n_bins - 1)
    counts = np.bincount(index, minlength=n_bins)
    sum_p = np.bincount(index, weights=p, minlength=n_bins)
    sum_y = np.bincount(index, weights=y, minlength=n_bins)
    used = counts > 0
    return ReliabilityBins(sum_p[used] / counts[used], sum_y[used] / counts[used], counts[used], edges)


def expected_calibration_error(y_true, p_pred, n_bins=10):
    """ECE: the gap |observed - mean predicted| of each bin, averaged with weights counts / n.

    Same bins as ``reliability_bins``. 0 for a perfectly calibrated model on its own data.
    """
    bins = reliability_bins(y_true, p_pred, n_bins)
    return float(np.sum(bins.counts * np.abs(bins.observed - bins.mean_predicted)) / bins.counts.sum())
