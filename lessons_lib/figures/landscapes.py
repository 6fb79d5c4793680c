"""Loss landscapes of y = w x + b and gradient descent walking down them (lesson 06).

The numbers (loss curves and surfaces, descent paths) come from ``lessons_lib.landscape``; this
module only draws them, following the package convention (``ax=None`` keyword, labelled, course
colours).
"""
import numpy as np

from ..landscape import as_grid, as_line_loss, descent_verdict, gradient_descent, linear_model, loss_curve_1d, \
    loss_surface_2d
from .style import COLORS, axes

__all__ = ["draw_descent_1d", "draw_contour", "draw_surface", "plot_paths_on_contour"]


def draw_descent_1d(loss, X, y, lr, w0=0.0, num_steps=10, w_grid=None, xlabel="weight w",
                    ylabel=None, title=None, delta=1.0, ax=None):
    """Draw the 1-D loss curve of ``y_hat = w x`` and the gradient-descent steps on it (lesson 06).

    Made for ``explore(partial(draw_descent_1d, loss=..., X=X, y=y), lr=...)``: a learning-rate
    slider live, too small / good / diverging panels when static. ``delta`` is Huber's threshold
    (used by the Huber loss only). Returns the path of w.
    """
    ax = axes(ax)
    loss = as_line_loss(loss)
    extra = {"delta": delta} if loss.name == "huber" else {}
    f, grad = linear_model(loss, X, y, fit_bias=False, **extra)
    path = gradient_descent(lambda w: grad([w]), w0, lr, num_steps)
    if w_grid is None:
        w_grid = np.linspace(min(path.min(), w0) - 1.0, max(path.max(), w0) + 1.0, 400)
    curve = loss_curve_1d(loss, X, y, w_grid, **extra)
    path_loss = loss_curve_1d(loss, X, y, path, **extra)
    lo, hi = float(np.min(w_grid)), float(np.max(w_grid))
    ax.plot(w_grid, curve, color="0.3", label=f"{loss.name} loss L(w)")
    shown = (path >= lo) & (path <= hi)
    taken = path.size - 1
    steps = (f"{num_steps} steps of gradient descent" if taken == num_steps else
             f"{taken} of {num_steps} steps, then w blew up (diverged)")
    hidden = int(np.sum(~shown))
    if hidden:  # keep the label short: it shares the panel with the curve
        steps = steps.replace(" of gradient descent", "") + f", {hidden} off the chart"
    ax.plot(path[shown], path_loss[shown], "-o", color=COLORS[3], markersize=4, linewidth=1, label=steps)
    ax.plot(path[:1], path_loss[:1], "s", color=COLORS[0], markersize=8, label="start")
    ax.set_xlim(lo, hi)
    ax.set_ylim(0, float(np.max(curve)) * 1.05)
    ax.set(xlabel=xlabel, ylabel=ylabel or f"mean {loss.name} loss",
           title=title or f"lr = {lr:g}: {descent_verdict(path_loss, float(curve.min()), 0.1, path)}, final w = {path[-1]:.3g}")
    ax.legend(loc="upper center")
    return path


def draw_contour(loss, X, y, w_grid, b_grid, lr=None, start=(0.0, 0.0), num_steps=30, levels=20,
                 xlabel="weight w", ylabel="bias b", title=None, colorbar=True, ax=None):
    """Contour map of the (w, b) loss surface, optionally with a gradient-descent path (lesson 06).

    Contours are log-spaced so both the steep walls and the flat floor show. With ``lr`` given, the
    path from ``start`` is drawn and returned (shape (steps + 1, 2)); otherwise returns None.
    """
    ax = axes(ax)
    loss = as_line_loss(loss)
    w_grid, b_grid = as_grid(w_grid, "w_grid"), as_grid(b_grid, "b_grid")
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
        default_title = f"lr = {lr:g}: {descent_verdict(path_loss, z_min, 1e-3)}"
        ax.plot(path[:, 0], path[:, 1], "-o", color=COLORS[3], markersize=3, linewidth=1.2,
                label=f"gradient descent, lr = {lr:g}")
        ax.plot(path[0, 0], path[0, 1], "s", color="white", markeredgecolor="black", label="start")
    ax.set_xlim(w_grid.min(), w_grid.max())
    ax.set_ylim(b_grid.min(), b_grid.max())
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title or default_title)
    ax.legend(loc="upper right", fontsize=8, frameon=True)
    return path


def draw_surface(loss, X, y, w_grid, b_grid, xlabel="weight w", ylabel="bias b", title=None, ax=None):
    """3-D surface of the (w, b) loss (lesson 06); ``ax`` must be made with ``projection="3d"`` (or None)."""
    ax3d = axes(ax, figsize=(6.0, 4.5), projection="3d")
    loss = as_line_loss(loss)
    w_grid, b_grid = as_grid(w_grid, "w_grid"), as_grid(b_grid, "b_grid")
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


def plot_paths_on_contour(f, paths, w_range, b_range, title="Paths of three optimisers on one valley",
                          xlabel="weight w1", ylabel="weight w2", levels=15, minimum=None, ax=None):
    """Contour lines of ``f(W1, W2)`` (vectorised over grids) and each path ``{label: (steps, 2) array}``.

    ``w_range``/``b_range``: (low, high) of the two axes; ``minimum``: (w1, w2) marked with a star. Lesson 10.
    """
    ax = axes(ax)
    W1, W2 = np.meshgrid(np.linspace(*w_range, 200), np.linspace(*b_range, 200))
    Z = f(W1, W2)
    ax.contour(W1, W2, Z, levels=np.geomspace(max(Z.min(), 1e-3), Z.max(), levels), colors="0.6", linewidths=0.8)
    for (label, path), color in zip(dict(paths).items(), COLORS):
        path = np.asarray(path, dtype=np.float64)
        ax.plot(path[:, 0], path[:, 1], marker="o", markersize=3, linewidth=1.4, color=color, label=label)
    if minimum is not None:
        ax.scatter([minimum[0]], [minimum[1]], marker="*", s=180, color="black", zorder=4, label="minimum")
    ax.set(xlim=w_range, ylim=b_range, xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend(loc="upper right")
    return ax
