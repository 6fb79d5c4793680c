"""The course's plot style and small figure helpers (used from lesson 01 on).

``use_course_style()`` switches matplotlib to the course look (call it once in a notebook's setup
cell; importing this module changes nothing). Every ``plot_*`` helper draws on an Axes you pass in,
labels it (title, axis labels, legend) and returns that Axes, so lessons can compose figures freely.
"""
import matplotlib as mpl
import numpy as np

COLORS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")
"""Okabe-Ito colours: distinguishable with every common form of colour blindness."""

LOSS_COLORS = {"MSE": COLORS[0], "MAE": COLORS[1], "Huber": COLORS[2], "BCE": COLORS[3]}
"""One fixed colour per loss, so MSE looks the same in every lesson."""

COURSE_RC = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "font.size": 11,
    "axes.titlesize": 12.5,
    "axes.titleweight": "bold",
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.frameon": False,
    "xtick.labelsize": 10,
    "ytick.labelsize": 10,
    "axes.prop_cycle": mpl.cycler(color=list(COLORS)),
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "grid.linestyle": "-",
    "lines.linewidth": 2.0,
    "lines.markersize": 6,
    "image.cmap": "viridis",
    "svg.hashsalt": "lessons",  # identical SVG output on every run
}
"""The rcParams ``use_course_style`` applies (also usable as ``matplotlib.rc_context(COURSE_RC)``)."""


def use_course_style():
    """Apply the course look to matplotlib (rcParams): readable fonts, colour-blind-safe colours.

    Call once in each notebook's setup cell. Lesson 00 onwards.
    """
    mpl.rcParams.update(COURSE_RC)


def _vector(values, name):
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 0:
        arr = arr[None]
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one value per point), got shape {arr.shape}. "
                         "Flatten it with .ravel().")
    return arr


def _same_length(name_a, a, name_b, b):
    if a.shape != b.shape:
        raise ValueError(f"{name_a} has {a.size} values but {name_b} has {b.size}; "
                         "they must match one-to-one.")


def _curves(curves):
    if not isinstance(curves, dict) or not curves:
        raise TypeError('curves must be a non-empty dict {label: values}, e.g. {"MSE": mse_values}.')
    return curves


def plot_loss_curve(ax, x, losses, label="loss", xlabel="epoch", ylabel="loss", title="Loss during training",
                    log=False, color=None):
    """Draw a loss curve ``losses`` against ``x`` (epochs, steps, ...). Lessons 01, 06, 07.

    x, losses: 1-D, same length. ``log=True`` puts the loss on a log scale (useful when it falls
    over several orders of magnitude). Call it again on the same ``ax`` to overlay another run.
    """
    x, losses = _vector(x, "x"), _vector(losses, "losses")
    _same_length("x", x, "losses", losses)
    ax.plot(x, losses, label=label, color=color)
    if log:
        ax.set_yscale("log")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend()
    return ax


def plot_residuals(ax, x, y, y_hat, xlabel="x", ylabel="y", title="Predictions and their errors",
                   connect=True):
    """Scatter targets ``y`` and predictions ``y_hat`` at ``x`` and join each pair by its error bar.

    The vertical segments are the residuals y - y_hat that a regression loss adds up. x, y, y_hat:
    1-D, same length. ``connect`` draws the predictions as a line (sorted by x). Lessons 02, 03.
    """
    x, y, y_hat = _vector(x, "x"), _vector(y, "y"), _vector(y_hat, "y_hat")
    _same_length("x", x, "y", y)
    _same_length("y", y, "y_hat", y_hat)
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


def plot_curves(ax, x, curves, xlabel, ylabel, title, styles=None):
    """Draw several named curves over the same ``x``: ``curves = {label: values}``. Lessons 02-04.

    Known loss names ("MSE", "MAE", "Huber", "BCE") get their course colour; ``styles`` may map a
    label to extra ``ax.plot`` keyword arguments (e.g. ``{"MAE": {"linestyle": "--"}}``).
    """
    x = _vector(x, "x")
    styles = styles or {}
    for label, values in _curves(curves).items():
        values = _vector(values, f"curves[{label!r}]")
        _same_length("x", x, f"curves[{label!r}]", values)
        kwargs = {"color": LOSS_COLORS.get(label)} | dict(styles.get(label, {}))
        ax.plot(x, values, label=label, **kwargs)
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend()
    return ax


def plot_loss_vs_error(ax, errors, curves, xlabel="error  y_hat - y", ylabel="loss for one prediction",
                       title="How each loss punishes an error", styles=None):
    """Draw each loss as a function of the error, e.g. ``{"MSE": e**2, "MAE": abs(e)}``. Lessons 02, 03.

    errors: 1-D grid of errors; each value in ``curves``: the per-item loss at those errors;
    ``styles`` as in ``plot_curves``.
    """
    ax = plot_curves(ax, errors, curves, xlabel, ylabel, title, styles=styles)
    ax.axvline(0.0, color="0.5", linewidth=0.8)
    return ax


def plot_fitted_lines(ax, x, y, lines, xlabel="x", ylabel="y", title="Lines fitted under different losses"):
    """Scatter the data and draw straight lines ``y_hat = w x + b``: ``lines = {label: (w, b)}``. Lesson 03.

    x, y: 1-D, same length. Each line spans the range of x; known loss names get their course colour.
    """
    x, y = _vector(x, "x"), _vector(y, "y")
    _same_length("x", x, "y", y)
    ax.scatter(x, y, color="0.35", zorder=3, label="data")
    grid = np.linspace(x.min(), x.max(), 2)
    for label, wb in _curves(lines).items():
        w, b = (float(v) for v in wb)
        ax.plot(grid, w * grid + b, color=LOSS_COLORS.get(label), label=f"{label}: y_hat = {w:.2f} x + {b:.2f}")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend()
    return ax
