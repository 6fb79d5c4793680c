"""Loss landscapes of a straight-line model and gradient descent walking down them (lessons 06, 08).

The model is ``y_hat = w x + b`` on one input feature x (shape (n,)). For a regression loss
``y_hat`` is the prediction itself; for a binary loss it is a score: a logit when the loss takes
logits (``from_logits=True``), otherwise it is squashed to a probability ``sigmoid(w x + b)``.
A loss is a name accepted by ``lessons_lib.losses.get_loss`` or a ``Loss`` (also a custom one).

Everything is vectorised: a grid of parameters is broadcast against the samples, so a
100 x 100 surface over 50 samples is one array operation, not 500 000 Python steps.
"""
import numbers

import numpy as np

from ._validate import as_float_array
from .activations import _sigmoid
from .losses import get_loss

__all__ = [
    "loss_curve_1d", "loss_surface_2d", "linear_model", "gradient_descent",
    "draw_descent_1d", "draw_contour", "draw_surface",
]

DIVERGED = 1e12
"""gradient_descent stops once a parameter's size passes this: the run has diverged."""


# --------------------------------------------------------------------------- inputs

def _loss(loss):
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


def _grid(values, name):
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
    loss = _loss(loss)
    X, y = _data(X, y)
    w = _grid(w_grid, "w_grid")
    with np.errstate(over="ignore", invalid="ignore"):
        scores = w[:, None] * X[None, :] + float(b)
    return _mean_loss(loss, y, scores, loss_kwargs)


def loss_surface_2d(loss, X, y, w_grid, b_grid, **loss_kwargs):
    """Mean loss of ``y_hat = w x + b`` over a (w, b) grid: the 2-D bowl of lesson 06.

    w_grid: shape (m,), b_grid: shape (p,). Returns Z of shape (p, m) with
    Z[j, i] = loss(y, w_grid[i] X + b_grid[j]), the layout ``ax.contour(w_grid, b_grid, Z)`` expects.
    """
    loss = _loss(loss)
    X, y = _data(X, y)
    w, b = _grid(w_grid, "w_grid"), _grid(b_grid, "b_grid")
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
    loss = _loss(loss)
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
    if isinstance(num_steps, bool) or not isinstance(num_steps, (int, np.integer)) or num_steps < 0:
        raise ValueError(f"num_steps must be a whole number >= 0, got {num_steps!r}.")
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


# --------------------------------------------------------------------------- pictures

def _verdict(path_loss, floor, tol, path=None):
    """Name a run: 'diverging'; 'hopping' (still turning back and forth with steps that no longer
    shrink, as on the MAE cone); 'too slow' (more than ``tol`` of the loss drop still to go); or
    'converged'. ``path`` (the points visited) is needed to recognise hopping."""
    start, end = path_loss[0], path_loss[-1]
    if path_loss.size < 2 or not np.isfinite(end) or end > start:
        return "diverging"
    if path is not None and len(path) >= 9:
        steps = np.diff(np.asarray(path, dtype=np.float64).reshape(len(path), -1), axis=0)
        q = len(steps) // 4
        half = steps[-2 * q:]
        turns = int(np.sum(np.einsum("ij,ij->i", half[1:], half[:-1]) < 0))
        recent, before = np.linalg.norm(steps[-q:], axis=1).mean(), np.linalg.norm(steps[-2 * q:-q], axis=1).mean()
        if turns >= 2 and recent > 0 and recent >= 0.8 * before:
            return "hopping"
    return "too slow" if end - floor > tol * (start - floor) else "converged"


def draw_descent_1d(ax, loss, X, y, lr, w0=0.0, num_steps=10, w_grid=None, xlabel="weight w",
                    ylabel=None, title=None):
    """Draw the 1-D loss curve of ``y_hat = w x`` and the gradient-descent steps on it (lesson 06).

    Made for ``explore(partial(draw_descent_1d, loss=..., X=X, y=y), lr=...)``: a learning-rate
    slider live, too small / good / diverging panels when static. Returns the path of w.
    """
    loss = _loss(loss)
    f, grad = linear_model(loss, X, y, fit_bias=False)
    path = gradient_descent(lambda w: grad([w]), w0, lr, num_steps)
    if w_grid is None:
        w_grid = np.linspace(min(path.min(), w0) - 1.0, max(path.max(), w0) + 1.0, 400)
    curve = loss_curve_1d(loss, X, y, w_grid)
    path_loss = loss_curve_1d(loss, X, y, path)
    lo, hi = float(np.min(w_grid)), float(np.max(w_grid))
    ax.plot(w_grid, curve, color="0.3", label=f"{loss.name} loss L(w)")
    shown = (path >= lo) & (path <= hi)
    taken = path.size - 1
    steps = (f"{num_steps} steps of gradient descent" if taken == num_steps else
             f"{taken} of {num_steps} steps, then w blew up (diverged)")
    hidden = int(np.sum(~shown))
    if hidden:  # keep the label short: it shares the panel with the curve
        steps = steps.replace(" of gradient descent", "") + f", {hidden} off the chart"
    ax.plot(path[shown], path_loss[shown], "-o", color="#D55E00", markersize=4, linewidth=1, label=steps)
    ax.plot(path[:1], path_loss[:1], "s", color="#0072B2", markersize=8, label="start")
    ax.set_xlim(lo, hi)
    ax.set_ylim(0, float(np.max(curve)) * 1.05)
    ax.set(xlabel=xlabel, ylabel=ylabel or f"mean {loss.name} loss",
           title=title or f"lr = {lr:g}: {_verdict(path_loss, float(curve.min()), 0.1, path)}, final w = {path[-1]:.3g}")
    ax.legend(loc="upper center")
    return path


def draw_contour(ax, loss, X, y, w_grid, b_grid, lr=None, start=(0.0, 0.0), num_steps=30, levels=20,
                 xlabel="weight w", ylabel="bias b", title=None, colorbar=True):
    """Contour map of the (w, b) loss surface, optionally with a gradient-descent path (lesson 06).

    Contours are log-spaced so both the steep walls and the flat floor show. With ``lr`` given, the
    path from ``start`` is drawn and returned (shape (steps + 1, 2)); otherwise returns None.
    """
    loss = _loss(loss)
    w_grid, b_grid = _grid(w_grid, "w_grid"), _grid(b_grid, "b_grid")
    Z = loss_surface_2d(loss, X, y, w_grid, b_grid)
    z_min, z_max = float(Z.min()), float(Z.max())
    lv = np.geomspace(max(z_min, 1e-12 * z_max) * 1.02, z_max, levels) if z_min > 0 else levels
    cs = ax.contourf(w_grid, b_grid, Z, levels=lv, cmap="viridis",
                     norm="log" if z_min > 0 else None, alpha=0.85)
    if colorbar:
        ax.figure.colorbar(cs, ax=ax, label=f"mean {loss.name} loss", format="%.3g")
    j, i = np.unravel_index(int(np.argmin(Z)), Z.shape)
    ax.plot(w_grid[i], b_grid[j], "*", color="white", markersize=14, markeredgecolor="black", zorder=5,
            label="lowest point on the grid")  # zorder: drawn above any path, so a wild run cannot hide it
    path, default_title = None, f"{loss.name} loss surface seen from above"
    if lr is not None:
        f, grad = linear_model(loss, X, y)
        path = gradient_descent(grad, np.asarray(start, dtype=np.float64), lr, num_steps)
        path_loss = np.array([f(p) for p in path[[0, -1]]])
        default_title = f"lr = {lr:g}: {_verdict(path_loss, z_min, 1e-3)}"
        ax.plot(path[:, 0], path[:, 1], "-o", color="#D55E00", markersize=3, linewidth=1.2,
                label=f"gradient descent, lr = {lr:g}")
        ax.plot(path[0, 0], path[0, 1], "s", color="white", markeredgecolor="black", label="start")
    ax.set_xlim(w_grid.min(), w_grid.max())
    ax.set_ylim(b_grid.min(), b_grid.max())
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title or default_title)
    ax.legend(loc="upper right", fontsize=8, frameon=True)
    return path


def draw_surface(ax3d, loss, X, y, w_grid, b_grid, xlabel="weight w", ylabel="bias b", title=None):
    """3-D surface of the (w, b) loss on an Axes made with ``projection="3d"`` (lesson 06)."""
    loss = _loss(loss)
    w_grid, b_grid = _grid(w_grid, "w_grid"), _grid(b_grid, "b_grid")
    Z = loss_surface_2d(loss, X, y, w_grid, b_grid)
    W, B = np.meshgrid(w_grid, b_grid)
    ax3d.plot_surface(W, B, Z, cmap="viridis", linewidth=0, antialiased=True, alpha=0.9)
    from matplotlib.ticker import MaxNLocator

    for axis in (ax3d.xaxis, ax3d.yaxis, ax3d.zaxis):  # few ticks, padded labels: nothing overlaps
        axis.set_major_locator(MaxNLocator(4))
    ax3d.tick_params(labelsize=8, pad=1)
    ax3d.set_xlabel(xlabel, labelpad=6)
    ax3d.set_ylabel(ylabel, labelpad=6)
    ax3d.set_zlabel(f"mean {loss.name} loss", labelpad=10)
    ax3d.set_box_aspect(None, zoom=0.85)
    ax3d.set_title(title or f"The {loss.name} valley over (w, b)")
    return ax3d

