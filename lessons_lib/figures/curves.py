"""Curves: losses against the error, predictions and residuals, fitted lines, training histories.

Every function follows the package convention (data first, ``ax=None`` keyword, labelled, course
colours, returns the Axes).
"""
import numpy as np

from .style import COLORS, LOSS_COLORS, axes, same_length, vector

__all__ = ["plot_curves", "plot_loss_vs_error", "plot_residuals", "plot_fitted_lines", "plot_history"]


def _named(curves, what="curves"):
    if not isinstance(curves, dict) or not curves:
        raise TypeError(f'{what} must be a non-empty dict {{label: values}}, e.g. {{"MSE": mse_values}}.')
    return curves


def plot_curves(x, curves, xlabel, ylabel, title, styles=None, ax=None):
    """Draw several named curves over the same ``x``: ``curves = {label: values}``. Lessons 03, 04, 06, 08, 09.

    Known loss names ("MSE", "MAE", "Huber", "BCE") get their course colour; ``styles`` may map a
    label to extra ``ax.plot`` keyword arguments (e.g. ``{"MAE": {"linestyle": "--"}}``).
    """
    ax = axes(ax)
    x = vector(x, "x")
    styles = styles or {}
    for label, values in _named(curves).items():
        values = vector(values, f"curves[{label!r}]")
        same_length("x", x, f"curves[{label!r}]", values)
        kwargs = {"color": LOSS_COLORS.get(label)} | dict(styles.get(label, {}))
        ax.plot(x, values, label=label, **kwargs)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend()
    return ax


def plot_loss_vs_error(errors, curves, xlabel="error  y_hat - y", ylabel="loss for one prediction",
                       title="How each loss punishes an error", styles=None, ax=None):
    """Draw each loss as a function of the error, e.g. ``{"MSE": e**2, "MAE": abs(e)}``. Lessons 02, 03, 08, 09.

    errors: 1-D grid of errors; each value in ``curves``: the per-item loss at those errors;
    ``styles`` as in ``plot_curves``.
    """
    ax = plot_curves(errors, curves, xlabel, ylabel, title, styles=styles, ax=ax)
    ax.axvline(0.0, color="0.5", linewidth=0.8)
    return ax


def plot_residuals(x, y, y_hat, xlabel="x", ylabel="y", title="Predictions and their errors", connect=True,
                   ax=None):
    """Scatter targets ``y`` and predictions ``y_hat`` at ``x`` and join each pair by its error bar.

    The vertical segments are the residuals y - y_hat that a regression loss adds up. x, y, y_hat:
    1-D, same length. ``connect`` draws the predictions as a line (sorted by x). Lesson 02.
    """
    ax = axes(ax)
    x, y, y_hat = vector(x, "x"), vector(y, "y"), vector(y_hat, "y_hat")
    same_length("x", x, "y", y)
    same_length("y", y, "y_hat", y_hat)
    ax.vlines(x, y, y_hat, colors=COLORS[3], linewidth=1.5, alpha=0.8, label="error (residual)")
    ax.scatter(x, y, color=COLORS[0], zorder=3, label="true y")
    order = np.argsort(x, kind="stable")
    if connect:
        ax.plot(x[order], y_hat[order], color=COLORS[1], marker="o", label="prediction y_hat")
    else:
        ax.scatter(x, y_hat, color=COLORS[1], zorder=3, label="prediction y_hat")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend()
    return ax


def line_equation(w, b, digits=2):
    """The text 'y_hat = 3.05 x - 0.53' for a line with slope ``w`` and intercept ``b`` (sign written once)."""
    sign = "-" if b < 0 else "+"
    return f"y_hat = {w:.{digits}f} x {sign} {abs(b):.{digits}f}"


def plot_fitted_lines(x, y, lines, xlabel="x", ylabel="y", title="Lines fitted under different losses", ax=None):
    """Scatter the data and draw straight lines ``y_hat = w x + b``: ``lines = {label: (w, b)}``. Lessons 03, 07-09.

    x, y: 1-D, same length. Each line spans the range of x; known loss names get their course colour.
    """
    ax = axes(ax)
    x, y = vector(x, "x"), vector(y, "y")
    same_length("x", x, "y", y)
    ax.scatter(x, y, color="0.35", zorder=3, label="data")
    grid = np.linspace(x.min(), x.max(), 2)
    for label, wb in _named(lines, "lines").items():
        w, b = (float(v) for v in wb)
        ax.plot(grid, w * grid + b, color=LOSS_COLORS.get(label), label=f"{label}: {line_equation(w, b)}")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend()
    return ax


def _runs(history, key):
    """{label: {name: values}} from any of the forms ``plot_history`` accepts."""
    if hasattr(history, "history") or (isinstance(history, dict) and (key in history or "loss" in history)):
        return {"": getattr(history, "history", history)}
    if isinstance(history, dict):
        return {label: (getattr(h, "history", h) if hasattr(h, "history") or isinstance(h, dict) else {key: h})
                for label, h in _named(history, "history").items()}
    return {"": {key: history}}                                    # one plain curve of values


def plot_history(history, x=None, key="loss", label=None, xlabel="epoch", ylabel=None, title=None, log=False,
                 color=None, ax=None):
    """Training curves: ``key`` ("loss", "accuracy", ...) per epoch, for one run or several. Lessons 01, 06, 07, 09, 10.

    history: the values of one curve (a list or 1-D array), a ``History`` from ``fit``, its
    ``.history`` dict, or ``{label: any of these}`` to overlay several runs. "val_<key>" curves, when
    present, are drawn dashed in the run's colour. x: the x values (default 1, 2, ... epochs);
    ``log=True`` puts the values on a log scale (useful when a loss falls over several orders of
    magnitude). Call it again on the same ``ax`` to overlay another run.
    """
    ax = axes(ax)
    runs = _runs(history, key)
    for i, (run, curves) in enumerate(runs.items()):
        if key not in curves:
            raise ValueError(f"no {key!r} in this history; it has {', '.join(curves)}.")
        values = vector(curves[key], key)
        xs = np.arange(1, len(values) + 1) if x is None else vector(x, "x")
        same_length("x", xs, key, values)
        prefix = f"{run}: " if run else ""
        plain = not isinstance(history, dict) and not hasattr(history, "history")   # one bare curve
        # one run: the next course colour, so repeated calls on one ax overlay in different colours
        colour = color or (COLORS[i % len(COLORS)] if len(runs) > 1 else None)
        line, = ax.plot(xs, values, color=colour, label=label or (key if plain else f"{prefix}training {key}"))
        if f"val_{key}" in curves:
            ax.plot(xs, vector(curves[f"val_{key}"], f"val_{key}"), color=line.get_color(), linestyle="--",
                    label=f"{prefix}validation {key}")
    if log:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel or key,
           title=title or ("Loss during training" if key == "loss" else f"{key} per epoch"))
    ax.legend()
    return ax


def plot_reliability_diagram(curves, title="Reliability diagram", xlabel="mean predicted probability in the bin",
                             ylabel="observed fraction of positives", ax=None):
    """Reliability curves ``{label: ReliabilityBins}`` (from ``metrics.reliability_bins``). Lessons 08, 12.

    Each curve joins (mean predicted, observed) per bin; a marker's area grows with the bin's count. The
    dashed diagonal is perfect calibration (a bin of 70 % predictions holds 70 % positives).
    """
    ax = axes(ax)
    ax.plot([0, 1], [0, 1], linestyle="--", color="0.5", linewidth=1.2, label="perfectly calibrated")
    for (label, bins), color in zip(_named(curves, "curves").items(), COLORS):
        sizes = 12 + 200 * bins.counts / bins.counts.max()
        ax.plot(bins.mean_predicted, bins.observed, color=color, label=label)
        ax.scatter(bins.mean_predicted, bins.observed, s=sizes, color=color, zorder=3)
    ax.set(xlim=(0, 1), ylim=(0, 1), xlabel=xlabel, ylabel=ylabel, title=title)
    ax.set_aspect("equal")
    ax.legend(loc="upper left")
    return ax
