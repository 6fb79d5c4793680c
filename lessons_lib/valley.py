"""A long, narrow valley to watch optimisers on, and the path an optimizer takes across it (lesson 10).

    L(w1, w2) = (w1**2 + steepness * w2**2) / 2,     grad = (w1, steepness * w2),  minimum at (0, 0)

The valley is gentle along w1 and ``steepness`` times steeper across w2: the shape of a badly
conditioned loss surface, where one learning rate cannot suit both directions.
"""
import numpy as np

from ._validate import as_float_array, check_positive_number

__all__ = ["valley_loss", "valley_grad", "optimizer_path"]


def valley_loss(w1, w2, steepness=25.0):
    """L = (w1**2 + steepness * w2**2) / 2; w1, w2 arrays of one shape (e.g. meshgrids) or numbers."""
    steepness = check_positive_number(steepness, "steepness")
    w1, w2 = np.asarray(w1, dtype=np.float64), np.asarray(w2, dtype=np.float64)
    return 0.5 * (w1 ** 2 + steepness * w2 ** 2)


def valley_grad(w, steepness=25.0):
    """Gradient of ``valley_loss`` at a point w = (w1, w2), shape (2,): (w1, steepness * w2)."""
    steepness = check_positive_number(steepness, "steepness")
    w = as_float_array(w, "w")
    if w.shape != (2,):
        raise ValueError(f"w must be one point (w1, w2) of shape (2,), got shape {w.shape}.")
    return np.array([w[0], steepness * w[1]])


def optimizer_path(optimizer, grad_fn, w0, num_steps):
    """Run ``optimizer.step`` ``num_steps`` times from ``w0``; return every point visited, shape (num_steps + 1, d).

    grad_fn(w) -> gradient of w's shape. The optimizer's memory is reset first, so a path always
    starts fresh. Stops early (shorter path) if the weights stop being finite.
    """
    w = as_float_array(w0, "w0").copy()
    if isinstance(num_steps, bool) or not isinstance(num_steps, (int, np.integer)) or num_steps < 0:
        raise ValueError(f"num_steps must be a whole number >= 0, got {num_steps!r}.")
    optimizer.reset()
    path = [w.copy()]
    with np.errstate(over="ignore", invalid="ignore"):     # a diverging run ends the path, quietly
        for _ in range(num_steps):
            optimizer.step([w], [grad_fn(w)])
            if not np.all(np.isfinite(w)):
                break
            path.append(w.copy())
    return np.array(path)
