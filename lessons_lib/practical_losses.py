"""Losses for practical problems: imbalance, label smoothing, margins, quantiles, distributions (lesson 12).

Same conventions as ``losses.py``: targets first, predictions second, a ``reduction`` of "mean",
"sum" or "none", every gradient is d(reduced loss)/d(prediction) with the prediction's shape, and
bad input raises a ValueError or TypeError that says how to fix it. Vectorised NumPy throughout.

    weighted BCE (logits z):  -[w y log s(z) + (1 - y) log(1 - s(z))]        s = sigmoid
    focal (logits z, y 0/1):  -a_t (1 - p_t)**gamma log p_t,  p_t = s(z) if y = 1 else 1 - s(z)
    label smoothing (logits): cross-entropy of softmax(z) against (1 - eps) one_hot(y) + eps / K
    hinge (scores s, y +-1):  max(0, 1 - y s)
    pinball / quantile q:     max((1 - q) e, -q e),  e = y_hat - y
    KL(p || q), rows:         sum_k p_k log(p_k / q_k)   (0 log 0 = 0)
"""
import numbers

import numpy as np

from ._validate import (as_float_array, check_positive_number, check_reduction, check_same_shape,
                        check_unit_interval, grad_scale, reduce)

__all__ = [
    "weighted_bce_with_logits", "weighted_bce_with_logits_grad",
    "focal_loss_with_logits", "focal_loss_with_logits_grad",
    "label_smoothing_cross_entropy", "label_smoothing_cross_entropy_grad",
    "hinge", "hinge_grad",
    "pinball", "pinball_grad",
    "kl_divergence", "kl_divergence_grad",
]


# --------------------------------------------------------------------------- shared pieces

def _softplus(x):
    """log(1 + e**x) without overflow."""
    return np.logaddexp(0.0, x)


def _sigmoid(x):
    """1 / (1 + e**-x) without overflow for large |x|."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _pair(y_true, y_pred, pred_name="y_pred"):
    y = as_float_array(y_true, "y_true")
    p = as_float_array(y_pred, pred_name)
    check_same_shape(y, p, "y_true", pred_name)
    return y, p


def _binary_labels(y, advice):
    if not np.all((y == 0) | (y == 1)):
        bad = y[(y != 0) & (y != 1)].flat[0]
        raise ValueError(f"y_true must hold labels 0 or 1, found {bad:g}. {advice}")


def _number(value, name, low=None, high=None, low_open=False, high_open=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}.")
    value = float(value)
    too_low = low is not None and (value <= low if low_open else value < low)
    too_high = high is not None and (value >= high if high_open else value > high)
    if not np.isfinite(value) or too_low or too_high:
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        raise ValueError(f"{name} must lie in {lo}{low}, {high}{hi}, got {value}.")
    return value


def _count(arr):
    return arr.size


# --------------------------------------------------------------------------- class imbalance

def weighted_bce_with_logits(y_true, logits, pos_weight=1.0, reduction="mean"):
    """Binary cross-entropy on logits with the positive term weighted by ``pos_weight``.

    y_true, logits: same shape, labels in [0, 1]. Per item: -[w y log s(z) + (1 - y) log(1 - s(z))].
    Matches PyTorch's ``BCEWithLogitsLoss(pos_weight=w)``. Lesson 12.
    """
    check_reduction(reduction)
    y, z = _pair(y_true, logits, "logits")
    check_unit_interval(y, "y_true", "Labels are 0 or 1 (or soft labels in between).")
    w = check_positive_number(pos_weight, "pos_weight")
    # -log s(z) = softplus(-z),  -log(1 - s(z)) = softplus(z)
    per_item = w * y * _softplus(-z) + (1.0 - y) * _softplus(z)
    return reduce(per_item, reduction, _count(per_item))


def weighted_bce_with_logits_grad(y_true, logits, pos_weight=1.0, reduction="mean"):
    """d/dz of ``weighted_bce_with_logits``: (w y + 1 - y) s(z) - w y, per item (/n for 'mean')."""
    check_reduction(reduction)
    y, z = _pair(y_true, logits, "logits")
    check_unit_interval(y, "y_true", "Labels are 0 or 1 (or soft labels in between).")
    w = check_positive_number(pos_weight, "pos_weight")
    s = _sigmoid(z)
    return ((w * y + 1.0 - y) * s - w * y) * grad_scale(reduction, z.size)


def _focal_parts(y_true, logits, gamma, alpha):
    y, z = _pair(y_true, logits, "logits")
    _binary_labels(y, "Focal loss is for 0/1 labels; for soft labels use weighted_bce_with_logits.")
    gamma = _number(gamma, "gamma", low=0.0)
    if alpha is not None:
        alpha = _number(alpha, "alpha", low=0.0, high=1.0)
    sign = 2.0 * y - 1.0            # +1 for positives, -1 for negatives
    t = sign * z                    # p_t = s(t): the probability given to the true label
    log_pt = -_softplus(-t)         # log s(t), stable
    one_minus_pt = _sigmoid(-t)     # 1 - s(t), stable (no cancellation)
    a_t = 1.0 if alpha is None else np.where(y == 1, alpha, 1.0 - alpha)
    return y, z, sign, t, log_pt, one_minus_pt, a_t, gamma


def focal_loss_with_logits(y_true, logits, gamma=2.0, alpha=None, reduction="mean"):
    """Binary focal loss (Lin et al. 2017) on logits: -a_t (1 - p_t)**gamma log p_t.

    y_true: labels 0/1, logits: same shape. p_t is the probability the model gives the true label;
    ``gamma`` >= 0 (0 gives plain BCE) down-weights easy examples; ``alpha`` in [0, 1] weights the
    positives (a_t = alpha for y = 1, 1 - alpha for y = 0); None means no class weight. Lesson 12.
    """
    check_reduction(reduction)
    _, _, _, _, log_pt, one_minus_pt, a_t, gamma = _focal_parts(y_true, logits, gamma, alpha)
    per_item = -a_t * one_minus_pt ** gamma * log_pt
    return reduce(per_item, reduction, _count(per_item))


def focal_loss_with_logits_grad(y_true, logits, gamma=2.0, alpha=None, reduction="mean"):
    """d/dz of ``focal_loss_with_logits``: (2y - 1) a_t (1 - p_t)**gamma [gamma p_t log p_t - (1 - p_t)]."""
    check_reduction(reduction)
    _, z, sign, t, log_pt, one_minus_pt, a_t, gamma = _focal_parts(y_true, logits, gamma, alpha)
    p_t = _sigmoid(t)
    d_dt = a_t * one_minus_pt ** gamma * (gamma * p_t * log_pt - one_minus_pt)
    return sign * d_dt * grad_scale(reduction, z.size)


# --------------------------------------------------------------------------- label smoothing

def _smoothed_targets(y_true, logits, smoothing):
    z = as_float_array(logits, "logits")
    if z.ndim != 2 or z.shape[1] < 2:
        raise ValueError(f"logits must have shape (n, K) with K >= 2 classes, got shape {z.shape}.")
    n, k = z.shape
    eps = _number(smoothing, "smoothing", low=0.0, high=1.0)
    y = as_float_array(y_true, "y_true")
    if y.ndim == 1:
        if y.shape[0] != n:
            raise ValueError(f"y_true has {y.shape[0]} class indices but logits has {n} rows; give one per row.")
        if not np.all((y == np.round(y)) & (y >= 0) & (y < k)):
            raise ValueError(f"y_true as a flat array must hold class indices 0..{k - 1}; "
                             f"found values from {y.min():g} to {y.max():g}.")
        onehot = np.zeros((n, k))
        onehot[np.arange(n), y.astype(np.intp)] = 1.0
    elif y.shape == z.shape:
        check_unit_interval(y, "y_true", "One-hot rows hold 0s and a single 1.")
        if np.any(np.abs(y.sum(axis=1) - 1.0) > 1e-6):
            raise ValueError("every row of y_true must sum to 1 (one-hot or probability rows).")
        onehot = y
    elif y.ndim == 2 and y.shape[1] == 1 and y.shape[0] == n:
        raise ValueError(f"y_true has shape {y.shape}, a column of class indices; pass y_true.ravel() "
                         f"(shape ({n},)).")
    else:
        raise ValueError(f"y_true has shape {y.shape}; give class indices of shape ({n},) or one-hot rows "
                         f"of shape ({n}, {k}).")
    return (1.0 - eps) * onehot + eps / k, z


def _log_softmax(z):
    shifted = z - z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def label_smoothing_cross_entropy(y_true, logits, smoothing=0.1, reduction="mean"):
    """Softmax cross-entropy on logits (n, K) against smoothed targets (1 - eps) one_hot + eps / K.

    y_true: class indices (n,) or one-hot rows (n, K). 'none' gives one value per row (n,).
    Matches PyTorch's ``cross_entropy(logits, y, label_smoothing=eps)``. Lesson 12.
    """
    check_reduction(reduction)
    target, z = _smoothed_targets(y_true, logits, smoothing)
    per_row = -(target * _log_softmax(z)).sum(axis=1)
    return reduce(per_row, reduction, per_row.size)


def label_smoothing_cross_entropy_grad(y_true, logits, smoothing=0.1, reduction="mean"):
    """d/dz of ``label_smoothing_cross_entropy``: softmax(z) - smoothed target, shape (n, K) (/n for 'mean')."""
    check_reduction(reduction)
    target, z = _smoothed_targets(y_true, logits, smoothing)
    return (np.exp(_log_softmax(z)) - target) * grad_scale(reduction, z.shape[0])


# --------------------------------------------------------------------------- margins

def _hinge_parts(y_true, scores):
    y, s = _pair(y_true, scores, "scores")
    if not np.all((y == 1) | (y == -1)):
        bad = y[(y != 1) & (y != -1)].flat[0]
        hint = " Labels 0/1 become -1/+1 via 2 * y - 1." if bad == 0 else ""
        raise ValueError(f"hinge loss needs labels -1 or +1, found {bad:g}.{hint}")
    return y, s


def hinge(y_true, scores, reduction="mean"):
    """Hinge loss of a margin classifier: max(0, 1 - y s); y_true in {-1, +1}, scores: raw, same shape.

    Zero once a sample is on the right side with margin at least 1 (the loss of support vector
    machines). Lesson 12.
    """
    check_reduction(reduction)
    y, s = _hinge_parts(y_true, scores)
    per_item = np.maximum(0.0, 1.0 - y * s)
    return reduce(per_item, reduction, per_item.size)


def hinge_grad(y_true, scores, reduction="mean"):
    """d/ds of ``hinge``: -y where the margin y s < 1, else 0 (0 at the kink y s = 1, as max's subgradient)."""
    check_reduction(reduction)
    y, s = _hinge_parts(y_true, scores)
    return np.where(y * s < 1.0, -y, 0.0) * grad_scale(reduction, s.size)


# --------------------------------------------------------------------------- quantiles

def pinball(y_true, y_pred, quantile=0.5, reduction="mean"):
    """Pinball (quantile) loss: with the error e = y_hat - y, (1 - q) e if e >= 0 else -q e; q in (0, 1).

    Under-predictions cost q per unit, over-predictions 1 - q: its minimiser over a constant is the
    q-th quantile of y (q = 0.5 gives half the MAE and the median). Lesson 12.
    """
    check_reduction(reduction)
    y, p = _pair(y_true, y_pred)
    q = _number(quantile, "quantile", low=0.0, high=1.0, low_open=True, high_open=True)
    e = p - y
    per_item = np.maximum((1.0 - q) * e, -q * e)
    return reduce(per_item, reduction, per_item.size)


def pinball_grad(y_true, y_pred, quantile=0.5, reduction="mean"):
    """d/dy_hat of ``pinball``: -q where y > y_hat, 1 - q where y < y_hat, 0 where they are equal."""
    check_reduction(reduction)
    y, p = _pair(y_true, y_pred)
    q = _number(quantile, "quantile", low=0.0, high=1.0, low_open=True, high_open=True)
    grad = np.where(y > p, -q, np.where(y < p, 1.0 - q, 0.0))
    return grad * grad_scale(reduction, p.size)


# --------------------------------------------------------------------------- distributions

def _distributions(p_true, q_pred):
    p = as_float_array(p_true, "p_true")
    q = as_float_array(q_pred, "q_pred")
    check_same_shape(p, q, "p_true", "q_pred")
    if p.ndim not in (1, 2):
        raise ValueError(f"p_true and q_pred must be one distribution (K,) or rows of distributions (n, K); "
                         f"got shape {p.shape}.")
    for arr, name in ((p, "p_true"), (q, "q_pred")):
        check_unit_interval(arr, name, "Each row must be a probability distribution.")
        sums = arr.sum(axis=-1)
        if np.any(np.abs(sums - 1.0) > 1e-5):
            raise ValueError(f"every row of {name} must sum to 1 (a probability distribution); one row sums to "
                             f"{np.ravel(sums)[np.argmax(np.abs(np.ravel(sums) - 1.0))]:.6g}.")
    if np.any((p > 0) & (q == 0)):
        raise ValueError("q_pred gives probability 0 to an outcome that p_true says can happen, so KL(p || q) is "
                         "infinite. Compute q from logits with a softmax, or mix in a little uniform mass.")
    return p, q


def kl_divergence(p_true, q_pred, reduction="mean"):
    """Kullback-Leibler divergence KL(p || q) = sum_k p_k log(p_k / q_k), in nats, per row.

    p_true, q_pred: (K,) or (n, K) rows of probabilities. 'mean' averages over rows, like PyTorch's
    ``kl_div(log q, p, reduction="batchmean")``; 'none' gives one value per row. Lesson 12.
    """
    check_reduction(reduction)
    p, q = _distributions(p_true, q_pred)
    safe_p = np.where(p > 0, p, 1.0)
    per_entry = np.where(p > 0, p * (np.log(safe_p) - np.log(np.where(p > 0, q, 1.0))), 0.0)
    per_row = per_entry.sum(axis=-1)
    return reduce(per_row, reduction, per_row.size)


def kl_divergence_grad(p_true, q_pred, reduction="mean"):
    """d/dq of ``kl_divergence``: -p / q per entry (0 where p = 0), divided by the number of rows for 'mean'."""
    check_reduction(reduction)
    p, q = _distributions(p_true, q_pred)
    rows = 1 if p.ndim == 1 else p.shape[0]
    grad = np.where(p > 0, -p / np.where(q > 0, q, 1.0), 0.0)
    return grad * grad_scale(reduction, rows)
