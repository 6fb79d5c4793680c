"""The course's loss functions and their gradients, written as the lessons write them (lessons 02-05).

Read this file top to bottom: each loss is one NumPy formula, and its gradient is the derivative
worked out in the lesson. Conventions, the same for every function here:

* Keras argument order: targets first, ``f(y_true, y_pred)``.
* PyTorch numbers: values and gradients agree with ``torch.nn.functional`` in float64.
* ``reduction="mean"`` (default), ``"sum"`` or ``"none"``. Regression losses and the binary
  cross-entropies reduce over every element; the categorical ones over samples (rows).
* ``f_grad(y_true, y_pred, reduction=...)`` returns d(loss)/d(y_pred) with ``y_pred``'s shape.
  For ``"none"`` it is the derivative of the *sum* of the per-item losses (what
  ``loss.backward(torch.ones_like(loss))`` gives in PyTorch).
* Inputs are converted to float64; shapes must match exactly (no broadcasting), and bad input
  raises ValueError/TypeError with a message that says how to fix it (the checks live in
  ``_validate.py``).

A training step wants the value and the gradient together: ``get_loss(name).value_and_grad(y, p)``
checks the input once and computes both in one pass with the tuned kernels of ``_kernels.py``
(same formulas, same numbers to ~1e-15, several times less memory traffic).
"""
import difflib
import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np

from . import _kernels
from ._validate import (
    categorical_inputs,
    check_binary_labels,
    check_finite,
    check_pair,
    check_positive_number,
    check_probabilities_and_labels,
    check_probability_rows,
    check_reduction,
    check_same_shape,
    grad_scale,
    reduce,
)
from .activations import _log_softmax, _sigmoid, _softmax, log_softmax, sigmoid, softmax

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


def _formula(fn):
    """Run a formula with overflow (a huge error squared is inf) and log(0) = -inf (clamped at once
    to LOG_FLOOR) allowed to happen quietly: both are intended."""
    @functools.wraps(fn)
    def quiet(*args, **kwargs):
        with np.errstate(over="ignore", divide="ignore"):
            return fn(*args, **kwargs)
    return quiet


# --------------------------------------------------------------------------- regression (lessons 02, 03)

@_formula
def mse(y_true, y_pred, reduction="mean"):
    """Mean squared error: mean over all n elements of (y_pred - y_true)**2.

    Shapes: y_true and y_pred identical, any shape. Returns a float ("mean"/"sum") or an array
    of y_pred's shape ("none"). Introduced in lesson 02.

    >>> mse(90, 70)             # one score: actual 90, predicted 70
    400.0
    >>> mse([1, 2, 3], [1, 2, 5])
    1.3333333333333333
    """
    y, p = check_pair(y_true, y_pred, reduction)
    return reduce((p - y) ** 2, reduction, p.size)


@_formula
def mse_grad(y_true, y_pred, reduction="mean"):
    """d mse / d y_pred = 2 (y_pred - y_true) / n   (no 1/n for "sum"/"none"). Shape of y_pred. Lesson 02.

    >>> mse_grad([90.0], [70.0]).tolist()
    [-40.0]
    """
    y, p = check_pair(y_true, y_pred, reduction)
    return 2.0 * (p - y) * grad_scale(reduction, p.size)


def mae(y_true, y_pred, reduction="mean"):
    """Mean absolute error: mean over all n elements of |y_pred - y_true|. Shapes as in ``mse``. Lesson 03.

    >>> mae([1, 2, 3], [1, 2, 5])
    0.6666666666666666
    """
    y, p = check_pair(y_true, y_pred, reduction)
    return reduce(np.abs(p - y), reduction, p.size)


def mae_grad(y_true, y_pred, reduction="mean"):
    """d mae / d y_pred = sign(y_pred - y_true) / n. Lesson 03.

    At the kink (y_pred == y_true) the gradient is 0, as in PyTorch's ``l1_loss``.
    """
    y, p = check_pair(y_true, y_pred, reduction)
    return np.sign(p - y) * grad_scale(reduction, p.size)


@_formula
def huber(y_true, y_pred, delta=1.0, reduction="mean"):
    """Huber loss with threshold delta > 0 (PyTorch ``huber_loss`` semantics), element-wise then reduced.

    With the error |d| = |y_pred - y_true|:  0.5 d**2 if |d| <= delta,  else delta (|d| - 0.5 delta).
    Quadratic (like MSE) for small errors, linear (like MAE) for large ones. Lesson 03.

    >>> huber([0.0, 0.0], [0.5, 3.0], reduction="none").tolist()
    [0.125, 2.5]
    """
    delta = check_positive_number(delta, "delta")
    y, p = check_pair(y_true, y_pred, reduction)
    error = np.abs(p - y)
    return reduce(np.where(error <= delta, 0.5 * error**2, delta * (error - 0.5 * delta)), reduction, p.size)


def huber_grad(y_true, y_pred, delta=1.0, reduction="mean"):
    """d huber / d y_pred = clip(y_pred - y_true, -delta, delta) / n. Lesson 03.

    d inside [-delta, delta] (the MSE-like part), +-delta outside (the MAE-like part); at |d| == delta
    both give d, so the gradient is continuous there (as in PyTorch).
    """
    delta = check_positive_number(delta, "delta")
    y, p = check_pair(y_true, y_pred, reduction)
    return np.clip(p - y, -delta, delta) * grad_scale(reduction, p.size)


# --------------------------------------------------------------------------- binary (lesson 04)

@_formula
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
    y, p = check_pair(y_true, y_pred, reduction)
    check_probabilities_and_labels(y, p)
    log_p = np.maximum(np.log(p), LOG_FLOOR)
    log_1_minus_p = np.maximum(np.log1p(-p), LOG_FLOOR)  # log1p(-p) = log(1 - p), exact for tiny p
    return reduce(-(y * log_p + (1 - y) * log_1_minus_p), reduction, p.size)


def binary_cross_entropy_grad(y_true, y_pred, reduction="mean"):
    """d bce / d p = (p - y) / (p (1 - p)) / n, with the denominator floored at 1e-12 (PyTorch's choice).

    The floor keeps the gradient finite (and pointing the right way) at p = 0 or 1. Lesson 04.
    """
    y, p = check_pair(y_true, y_pred, reduction)
    check_probabilities_and_labels(y, p)
    return (p - y) / np.maximum(p * (1 - p), GRAD_EPS) * grad_scale(reduction, p.size)


def binary_cross_entropy_with_logits(y_true, logits, reduction="mean"):
    """Binary cross-entropy on logits z (p = sigmoid(z)), computed stably, element-wise.

    Uses the identity  bce(y, sigmoid(z)) = max(z, 0) - z y + log(1 + exp(-|z|)),
    which never overflows (z = +-1000 is fine). Same semantics as PyTorch's
    ``binary_cross_entropy_with_logits``. Lesson 04.

    >>> binary_cross_entropy_with_logits([1.0, 0.0], [1000.0, -1000.0])
    0.0
    """
    y, z = check_pair(y_true, logits, reduction, "logits")
    check_binary_labels(y)
    # max(z, 0) - z y first: for a confident right answer (z = 40, y = 1) it is exactly 0, and the
    # tiny log1p term (4e-18) survives instead of vanishing in 40 + 4e-18 - 40.
    return reduce((np.maximum(z, 0) - z * y) + np.log1p(np.exp(-np.abs(z))), reduction, z.size)


def binary_cross_entropy_with_logits_grad(y_true, logits, reduction="mean"):
    """d bce / d z = (sigmoid(z) - y) / n: the fused, always-finite gradient. Lesson 04."""
    y, z = check_pair(y_true, logits, reduction, "logits")
    check_binary_labels(y)
    return (_sigmoid(z) - y) * grad_scale(reduction, z.size)


# --------------------------------------------------------------------------- categorical (lesson 05)
# Targets are class indices (n,) or one-hot / probability rows (n, k); the loss of a sample is
# -sum_k y_k log p_k, which for an index target is simply -log p[target].

def _per_sample(values, reduction, single):
    """Reduce per-sample losses over the samples; a single (k,) sample gives back a single loss."""
    if reduction == "none":
        return values[0] if single else values
    return reduce(values, reduction, values.size)


@_formula
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
    y, p, is_index, single = categorical_inputs(y_true, y_pred, reduction, "y_pred (probabilities)")
    check_probability_rows(p)
    if is_index:
        losses = -np.maximum(np.log(p[np.arange(len(p)), y]), LOG_FLOOR)   # -log p[target]
    else:
        losses = -(y * np.maximum(np.log(p), LOG_FLOOR)).sum(axis=1)
    return _per_sample(losses, reduction, single)


def categorical_cross_entropy_grad(y_true, y_pred, reduction="mean"):
    """d cce / d p_k = -y_k / p_k / n  (denominator floored at 1e-12). Shape of y_pred. Lesson 05.

    For an index target only the target's column is non-zero: -1 / p[target] / n.
    """
    y, p, is_index, single = categorical_inputs(y_true, y_pred, reduction, "y_pred (probabilities)")
    check_probability_rows(p)
    scale = grad_scale(reduction, len(p))
    if is_index:
        rows = np.arange(len(p))
        grad = np.zeros_like(p)
        grad[rows, y] = -scale / np.maximum(p[rows, y], GRAD_EPS)
    else:
        grad = -y / np.maximum(p, GRAD_EPS) * scale
    return grad[0] if single else grad


def softmax_cross_entropy(y_true, logits, reduction="mean"):
    """Cross-entropy on logits: per sample -sum_k y_k log_softmax(z)_k (PyTorch ``cross_entropy``).

    Uses a stable log-softmax (log-sum-exp with the max subtracted), so logits of +-1000 are fine.
    Shapes as in ``categorical_cross_entropy``, with logits in place of probabilities. Lesson 05.

    >>> round(softmax_cross_entropy([0], [[2.0, 1.0, 0.1]]), 6)
    0.41703
    """
    y, z, is_index, single = categorical_inputs(y_true, logits, reduction, "logits")
    log_p = _log_softmax(z, axis=1)
    if is_index:
        losses = -log_p[np.arange(len(z)), y]
    else:
        losses = -(y * log_p).sum(axis=1)
    return _per_sample(losses, reduction, single)


def softmax_cross_entropy_grad(y_true, logits, reduction="mean"):
    """d loss / d z = (softmax(z) * sum_k y_k - y) / n, i.e. softmax(z) - y for one-hot rows. Lesson 05."""
    y, z, is_index, single = categorical_inputs(y_true, logits, reduction, "logits")
    grad = _softmax(z, axis=1)
    if is_index:
        grad[np.arange(len(z)), y] -= 1.0
    else:
        grad = grad * y.sum(axis=1, keepdims=True) - y
    grad *= grad_scale(reduction, len(z))
    return grad[0] if single else grad


# --------------------------------------------------------------------------- one pass for a training step
# The same losses and gradients, checked once and computed together by the tuned kernels.

def _deferred_finiteness(checked, compute, reduction):
    """Validate with ``checked(finite)``, then ``compute(*inputs)``; returns (value, grad, inputs).

    A reduced loss is NaN or infinite whenever an input is, so for "mean"/"sum" the NaN/infinity pass is
    skipped and run (``checked(finite=True)``) only when the value is not finite: then it raises, or the
    loss really overflowed. Any other error is raised after the same full check, so the message is the
    readable path's (it checks finiteness first).
    """
    deferred = reduction != "none"
    try:
        inputs = checked(finite=not deferred)
    except ValueError:
        if deferred:
            checked(finite=True)
        raise
    value, grad = compute(*inputs)
    if deferred and not np.isfinite(value):
        checked(finite=True)
    return value, grad, inputs


def _fused_elementwise(kernel, check=None, y_name="y_pred", has_delta=False):
    def value_and_grad(y_true, y_pred, reduction="mean", **kwargs):
        extra = {}
        if has_delta:
            extra["delta"] = check_positive_number(kwargs.pop("delta", 1.0), "delta")
        if kwargs:
            raise TypeError(f"unexpected argument(s) {', '.join(kwargs)}")
        check_reduction(reduction)

        def checked(finite):
            y, p = _kernels.as_float_pair(y_true, y_pred, y_name, finite=finite)
            check_same_shape(y, p, "y_true", y_name)
            if check is not None:
                check(y, p)
            return y, p

        value, grad, _ = _deferred_finiteness(
            checked, lambda y, p: _kernels.elementwise(kernel, y, p, reduction, **extra), reduction)
        return value, grad
    return value_and_grad


def _fused_categorical(kernel, name, probabilities):
    def checked(y_true, y_pred, reduction, finite):
        rows = None
        if probabilities and not finite and _kernels.large_float_matrix(y_pred):
            # the probability rows are checked on the second thread while the targets are checked here
            # (any error makes _deferred_finiteness check again in the readable order, for the same message)
            rows = _kernels.in_background(check_probability_rows, y_pred)
        try:
            y, s, is_index, single = categorical_inputs(y_true, y_pred, reduction, name, finite)
        finally:
            if rows is not None:
                rows.result()
        if probabilities and rows is None:
            check_probability_rows(s)  # its range and row-sum checks also catch every NaN and infinity
        elif is_index and not finite:
            check_finite(s, name)  # a logit of -inf outside the target class would leave the loss finite
        return y, s, is_index, single

    def value_and_grad(y_true, y_pred, reduction="mean"):
        value, grad, (_, _, _, single) = _deferred_finiteness(
            lambda finite: checked(y_true, y_pred, reduction, finite),
            lambda y, s, is_index, single: kernel(y, s, is_index, reduction), reduction)
        if single:
            value, grad = (value[0] if reduction == "none" else value), grad[0]
        return value, grad
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
    "mse": (Loss("mse", mse, mse_grad, "regression", both=_fused_elementwise(_kernels.mse_kernel)),
            ["mean_squared_error", "MeanSquaredError", "MSELoss", "squared_error", "l2"]),
    "mae": (Loss("mae", mae, mae_grad, "regression", both=_fused_elementwise(_kernels.mae_kernel)),
            ["mean_absolute_error", "MeanAbsoluteError", "L1Loss", "l1", "absolute_error"]),
    "huber": (Loss("huber", huber, huber_grad, "regression",
                   both=_fused_elementwise(_kernels.huber_kernel, has_delta=True)),
              ["huber_loss", "Huber", "HuberLoss"]),
    "binary_cross_entropy": (
        Loss("binary_cross_entropy", binary_cross_entropy, binary_cross_entropy_grad, "binary",
             both=_fused_elementwise(_kernels.bce_kernel, check_probabilities_and_labels)),
        ["binary_crossentropy", "BinaryCrossentropy", "BCELoss", "bce", "log_loss"]),
    "binary_cross_entropy_with_logits": (
        Loss("binary_cross_entropy_with_logits", binary_cross_entropy_with_logits,
             binary_cross_entropy_with_logits_grad, "binary", from_logits=True,
             both=_fused_elementwise(_kernels.bce_logits_kernel, lambda y, z: check_binary_labels(y), "logits")),
        ["BCEWithLogitsLoss", "bce_with_logits", "binary_crossentropy_from_logits", "sigmoid_cross_entropy"]),
    "categorical_cross_entropy": (
        Loss("categorical_cross_entropy", categorical_cross_entropy, categorical_cross_entropy_grad,
             "categorical",
             both=_fused_categorical(_kernels.categorical, "y_pred (probabilities)", probabilities=True)),
        ["categorical_crossentropy", "CategoricalCrossentropy", "sparse_categorical_crossentropy",
         "SparseCategoricalCrossentropy", "sparse_categorical_cross_entropy", "cce", "nll"]),
    "softmax_cross_entropy": (
        Loss("softmax_cross_entropy", softmax_cross_entropy, softmax_cross_entropy_grad, "categorical",
             from_logits=True, both=_fused_categorical(_kernels.softmax_cross_entropy, "logits", False)),
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
