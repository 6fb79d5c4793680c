"""Figures for training runs: loss curves and decision regions (lessons 07, 08).

Every function draws on a matplotlib Axes (a new one if ``ax`` is None), labels it fully, and
returns the Axes so a notebook can add to it.
"""
import matplotlib.pyplot as plt
import numpy as np

__all__ = ["plot_history", "plot_decision_regions"]


def _axes(ax, figsize=(6.0, 4.0)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, constrained_layout=True)
    return ax


def plot_history(histories, key="loss", ax=None, title=None, logy=False):
    """Curves of ``key`` per epoch for one or several runs, with "val_<key>" dashed when present.

    histories: a ``History``, a dict of lists (``History.history``), or {label: either of those}.
    """
    ax = _axes(ax)
    if hasattr(histories, "history") or (isinstance(histories, dict) and key in histories):
        histories = {"": histories}
    for i, (label, hist) in enumerate(histories.items()):
        curves = getattr(hist, "history", hist)
        if key not in curves:
            raise ValueError(f"no {key!r} in this history; it has {', '.join(curves)}.")
        colour = f"C{i}"
        epochs = np.arange(1, len(curves[key]) + 1)
        prefix = f"{label}: " if label else ""
        ax.plot(epochs, curves[key], color=colour, label=f"{prefix}training {key}")
        if f"val_{key}" in curves:
            ax.plot(epochs, curves[f"val_{key}"], color=colour, linestyle="--", label=f"{prefix}validation {key}")
    ax.set_xlabel("epoch")
    ax.set_ylabel(key)
    if logy:
        ax.set_yscale("log")
    ax.set_title(title or f"{key} per epoch")
    ax.legend()
    return ax


def plot_decision_regions(model, X, y, ax=None, class_names=None, resolution=200, padding=0.3, title=None):
    """Colour the 2-D plane by the class ``model.predict`` picks there, and scatter (X, y) on top.

    X: (n, 2); y: (n,) class labels. Works for a sigmoid output (n, 1) and a softmax output (n, k).
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision regions can only be drawn for 2 features, X has shape {X.shape}.")
    y = np.asarray(y).astype(int).ravel()
    ax = _axes(ax, figsize=(5.0, 4.5))
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    probs = model.predict(np.column_stack([g0.ravel(), g1.ravel()]))
    labels = (probs[:, 0] > 0.5).astype(int) if probs.shape[1] == 1 else probs.argmax(axis=1)
    k = max(int(y.max()) + 1, probs.shape[1], 2)
    levels = np.arange(k + 1) - 0.5
    colours = [f"C{i}" for i in range(k)]
    ax.contourf(g0, g1, labels.reshape(g0.shape), levels=levels, colors=colours, alpha=0.25)
    names = class_names or [f"class {i}" for i in range(k)]
    for c in range(k):
        mask = y == c
        if mask.any():
            ax.scatter(X[mask, 0], X[mask, 1], s=14, color=colours[c], edgecolor="k", linewidth=0.3, label=names[c])
    ax.set_xlabel("feature 1")
    ax.set_ylabel("feature 2")
    ax.set_title(title or "decision regions (background) and data (dots)")
    ax.legend(loc="best", fontsize="small")
    return ax

