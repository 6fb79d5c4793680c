"""Pictures of a trained model: the decision regions of a classifier on 2-D data (lesson 07)."""
import numpy as np

from .style import COLORS, axes

__all__ = ["plot_decision_regions"]


def plot_decision_regions(model, X, y, class_names=None, resolution=200, padding=0.3, title=None, ax=None):
    """Colour the 2-D plane by the class ``model.predict`` picks there, and scatter (X, y) on top.

    X: (n, 2); y: (n,) class labels. Works for a sigmoid output (n, 1) and a softmax output (n, k).
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"decision regions can only be drawn for 2 features, X has shape {X.shape}.")
    y = np.asarray(y).astype(int).ravel()
    ax = axes(ax, figsize=(5.0, 4.5))
    lo, hi = X.min(axis=0) - padding, X.max(axis=0) + padding
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    probs = model.predict(np.column_stack([g0.ravel(), g1.ravel()]))
    labels = (probs[:, 0] > 0.5).astype(int) if probs.shape[1] == 1 else probs.argmax(axis=1)
    k = max(int(y.max()) + 1, probs.shape[1], 2)
    levels = np.arange(k + 1) - 0.5
    colours = [COLORS[i % len(COLORS)] for i in range(k)]
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
