"""Loss landscapes of a straight-line model and gradient descent walking down them (lessons 06, 08).

The model is ``y_hat = w x + b`` on one input feature x (shape (n,)). For a regression loss
``y_hat`` is the prediction itself; for a binary loss it is a score: a logit when the loss takes
logits (``from_logits=True``), otherwise it is squashed to a probability ``sigmoid(w x + b)``.
A loss is a name accepted by ``lessons_lib.losses.get_loss`` or a ``Loss`` (also a custom one).

This module holds the numbers only (no plotting library); ``lessons_lib.figures.landscapes``
draws them. Everything is vectorised: a grid of parameters is broadcast against the samples, so a
100 x 100 surface over 50 samples is one array operation, not 500 000 Python steps.
"""
import numbers

import numpy as np

from ._validate import as_float_array, check_positive_int
from .activations import _sigmoid
from .losses import get_loss

__all__ = ["loss_curve_1d", "loss_surface_2d", "linear_model", "gradient_descent", "descent_verdict"]

DIVERGED = 1e12
"""gradient_descent stops once a parameter's size passes this: the run has diverged."""


# --------------------------------------------------------------------------- inputs

def as_line_loss(loss):
    """The Loss for a name (or Loss); categorical losses are refused: the line has one output."""
    loss = get_loss(loss)
    if loss.kind == "categorical":
        raise ValueError(f"the straight-line model has one output, so it cannot be scored with the "
                         f"categorical loss {loss.name!r}. Use a regression loss (e.g. 'mse') or a binary "
                         "one (e.g. 'bce_with_logits').")
    return loss


def _data(X, y):
    X = as_float_array(X, "X")
    y = as_float_array(y, "y")
    if X.ndim == 2 and X.shape[1] == 1:
        X = X[:, 0]
    if X.ndim != 1:
        raise ValueError(f"X must hold one feature per sample, shape (n,) or (n, 1); got shape {X.shape}.")
    if y.shape != X.shape:
        raise ValueError(f"y has shape {y.shape} but X has {X.shape[0]} samples; pass one target per sample "
                         f"as a flat array of shape ({X.shape[0]},) (use y.ravel() for a column).")
    return X, y


def as_grid(values, name):
    """A 1-D float64 grid of parameter values (a single number becomes a grid of one)."""
    g = as_float_array(values, name)
    if g.ndim == 0:
        g = g[None]
    if g.ndim != 1:
        raise ValueError(f"{name} must be a 1-D grid of parameter values, e.g. np.linspace(-1, 3, 200); "
                         f"got shape {g.shape}.")
    return g


def _output(loss, scores):
    """Map scores w x + b to what the loss expects (probabilities for binary losses on probabilities)."""
    if loss.kind == "binary" and not loss.from_logits:
        return _sigmoid(scores)
    return scores


def _mean_loss(loss, y, scores, loss_kwargs):
    """Mean over the last axis (the samples) of the per-sample loss; scores (..., n), y (n,)."""
    y_hat = _output(loss, scores)
    per_item = loss.fn(np.broadcast_to(y, y_hat.shape), y_hat, reduction="none", **loss_kwargs)
    return np.asarray(per_item).mean(axis=-1)


# --------------------------------------------------------------------------- surfaces

def loss_curve_1d(loss, X, y, w_grid, b=0.0, **loss_kwargs):
    """Mean loss of ``y_hat = w x + b`` at every w in ``w_grid`` (b fixed): the 1-D valley of lesson 06.

    X, y: shape (n,). w_grid: shape (m,). Returns shape (m,), entry i = loss(y, w_grid[i] X + b).
    Extra keyword arguments go to the loss (e.g. ``delta=2.0`` for Huber).

    >>> loss_curve_1d("mse", [1.0, 2.0], [2.0, 4.0], [0.0, 2.0, 3.0]).tolist()   # 2.5 (w - 2)**2
    [10.0, 0.0, 2.5]
    """
    loss = as_line_loss(loss)
    X, y = _data(X, y)
    w = as_grid(w_grid, "w_grid")
    with np.errstate(over="ignore", invalid="ignore"):
        scores = w[:, None] * X[None, :] + float(b)
    return _mean_loss(loss, y, scores, loss_kwargs)


def loss_surface_2d(loss, X, y, w_grid, b_grid, **loss_kwargs):
    """Mean loss of ``y_hat = w x + b`` over a (w, b) grid: the 2-D bowl of lesson 06.

    w_grid: shape (m,), b_grid: shape (p,). Returns Z of shape (p, m) with
    Z[j, i] = loss(y, w_grid[i] X + b_grid[j]), the layout ``ax.contour(w_grid, b_grid, Z)`` expects.
    """
    loss = as_line_loss(loss)
    X, y = _data(X, y)
    w, b = as_grid(w_grid, "w_grid"), as_grid(b_grid, "b_grid")
    with np.errstate(over="ignore", invalid="ignore"):
        scores = w[None, :, None] * X[None, None, :] + b[:, None, None]
    return _mean_loss(loss, y, scores, loss_kwargs)


def linear_model(loss, X, y, fit_bias=True, **loss_kwargs):
    """The loss of ``y_hat = w x + b`` as a function of its parameters, and that function's gradient.

    Returns ``(f, grad)``: ``f(params) -> float`` and ``grad(params) -> array of params' shape``, where
    params = [w, b] (``fit_bias=True``) or [w] (b = 0). The gradient is the chain rule that
    backpropagation performs (lesson 06): dL/dw = sum_i dL/dy_hat_i * x_i and dL/db = sum_i dL/dy_hat_i,
    with dL/dy_hat from the loss's own ``grad`` (times p (1 - p) when a sigmoid sits in between).
    If a diverging run makes the predictions overflow, ``grad`` returns NaN (gradient_descent then stops).
    """
    loss = as_line_loss(loss)
    X, y = _data(X, y)
    size = 2 if fit_bias else 1

    def scores(params):
        p = np.asarray(params, dtype=np.float64).reshape(-1)
        if p.size != size:
            raise ValueError(f"params must hold {size} number(s), {'[w, b]' if fit_bias else '[w]'}; "
                             f"got {p.size}.")
        with np.errstate(over="ignore", invalid="ignore"):
            return X * p[0] + (p[1] if fit_bias else 0.0)

    def f(params):
        return float(_mean_loss(loss, y, scores(params), loss_kwargs))

    def grad(params):
        s = scores(params)
        if not np.isfinite(s).all():
            return np.full(size, np.nan)
        y_hat = _output(loss, s)
        d = loss.grad(y, y_hat, reduction="mean", **loss_kwargs)
        if loss.kind == "binary" and not loss.from_logits:
            d = d * y_hat * (1.0 - y_hat)
        g = np.array([d @ X, d.sum()])
        return g[:size]

    return f, grad


# --------------------------------------------------------------------------- gradient descent

def gradient_descent(grad_fn, w0, lr, num_steps):
    """Plain gradient descent  w <- w - lr * grad_fn(w),  starting at w0. Lesson 06.

    w0: a number or a 1-D array of d parameters. Returns the path, shape (steps + 1,) for a number
    or (steps + 1, d) for an array; row 0 is w0. The run stops early (a shorter path) when a
    parameter passes ``DIVERGED`` in size or stops being finite, so diverging runs stay plottable.
    """
    if isinstance(lr, bool) or not isinstance(lr, numbers.Real) or not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"lr must be a positive number (the step size), got {lr!r}.")
    num_steps = check_positive_int(num_steps, "num_steps", minimum=0)
    scalar = np.ndim(w0) == 0
    w = as_float_array(w0, "w0").reshape(-1).copy()
    path = np.empty((int(num_steps) + 1, w.size))
    path[0] = w
    taken = 0
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(1, int(num_steps) + 1):  # each step needs the previous one: a loop is inherent
            g = np.asarray(grad_fn(w[0] if scalar else w.copy()), dtype=np.float64).reshape(-1)
            if g.shape != w.shape:
                raise ValueError(f"grad_fn returned {g.size} value(s) for {w.size} parameter(s); it must "
                                 "return one partial derivative per parameter.")
            w = w - lr * g
            if not (np.isfinite(w).all() and np.abs(w).max() <= DIVERGED):
                break
            path[t] = w
            taken = t
    path = path[: taken + 1]
    return path[:, 0] if scalar else path


def descent_verdict(path_loss, floor, tol, path=None):
    """Name a run: 'diverging'; 'hopping' (in its last half it still turns back and forth and the loss
    goes up again at least once, as on the MAE cone; a zig-zag that converges lowers the loss at every
    step); 'too slow' (more than ``tol`` of the loss drop still to go); or 'converged'. ``path`` (the
    points visited) is needed to recognise hopping."""
    start, end = path_loss[0], path_loss[-1]
    if path_loss.size < 2 or not np.isfinite(end) or end > start:
        return "diverging"
    if path is not None and len(path) >= 9:
        steps = np.diff(np.asarray(path, dtype=np.float64).reshape(len(path), -1), axis=0)
        q = len(steps) // 4
        half = steps[-2 * q:]
        turns = int(np.sum(np.einsum("ij,ij->i", half[1:], half[:-1]) < 0))
        rises = np.diff(path_loss[-2 * q - 1:]) > 1e-6 * (start - floor)  # above rounding at the floor
        if turns >= 2 and rises.any():
            return "hopping"
    return "too slow" if end - floor > tol * (start - floor) else "converged"
