"""The course look: colours, matplotlib settings, and the one convention every figure follows.

Convention: a figure function takes its data first and ``ax=None`` as a keyword; it draws on ``ax``
(a new Axes when None), labels everything it draws (title, axis labels, legend) in the course
colours, and returns the Axes (or, for the lesson pictures, the numbers it drew), so a notebook can
compose figures freely. ``use_course_style()`` switches matplotlib to the course look; importing
this package changes nothing.
"""
import matplotlib as mpl
import matplotlib.pyplot as plt
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

    Call once in each notebook's setup cell. Lessons 01-09.
    """
    mpl.rcParams.update(COURSE_RC)


def axes(ax=None, figsize=(6.0, 4.0), **subplot_kw):
    """``ax`` itself, or a new Axes of size ``figsize`` when ``ax`` is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, constrained_layout=True, subplot_kw=subplot_kw or None)
    return ax


def vector(values, name):
    """``values`` as a 1-D float64 array (a single number becomes one point), or a clear ValueError."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 0:
        arr = arr[None]
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional (one value per point), got shape {arr.shape}. "
                         "Flatten it with .ravel().")
    return arr


def same_length(name_a, a, name_b, b):
    """Raise ValueError unless two 1-D arrays pair up one-to-one."""
    if a.shape != b.shape:
        raise ValueError(f"{name_a} has {a.size} values but {name_b} has {b.size}; "
                         "they must match one-to-one.")
