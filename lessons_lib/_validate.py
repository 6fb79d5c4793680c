"""Input checking for the loss functions: array-likes in, float64 arrays out, or a clear error.

Every public loss runs its arguments through these helpers first, so a learner who passes the wrong
thing gets a message naming the argument, what was wrong and how to fix it, instead of a silently
wrong number or a traceback from deep inside NumPy.
"""
import numbers

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def _describe(x):
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def as_float_array(x, name):
    """Return ``x`` as a float64 ndarray (any shape, scalars give shape ()).

    TypeError for non-numeric input (strings, None, complex, objects); ValueError for ragged lists,
    empty input, NaN or infinity.
    """
    if x is None or isinstance(x, (str, bytes)):
        raise TypeError(
            f"{name} must be numbers (a number, a list of numbers or a NumPy array), "
            f"got {type(x).__name__} {_describe(x)}."
        )
    try:
        arr = np.asarray(x)
    except ValueError as err:  # ragged nested lists
        raise ValueError(
            f"{name} could not be turned into an array ({err}). Check that every row has the same length."
        ) from None
    if arr.dtype.kind == "c":
        raise TypeError(f"{name} must be real numbers, got complex values {_describe(x)}.")
    if arr.dtype.kind not in "biuf":
        if arr.dtype.kind == "O" and any(v is None for v in arr.flat):
            raise TypeError(f"{name} contains None where a number is expected: {_describe(x)}. "
                            "Fill in the missing values (or drop those samples) first.")
        try:
            arr = arr.astype(np.float64)
        except (TypeError, ValueError):
            raise TypeError(
                f"{name} must contain only numbers, got {arr.dtype.name} data such as {_describe(arr.flat[0])}. "
                "Convert it first, e.g. np.array(values, dtype=float)."
            ) from None
    arr = np.asarray(arr, dtype=np.float64)
    if arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}); a loss needs at least one value.")
    with np.errstate(over="ignore", invalid="ignore"):
        quick_total = arr.sum()  # NaN/inf propagate into the sum: one fast pass for the common case
    if not np.isfinite(quick_total) and not np.isfinite(arr).all():
        bad = np.argwhere(~np.isfinite(arr))[0]
        where = tuple(int(i) for i in bad) if arr.ndim else ()
        value = arr[where] if arr.ndim else arr
        raise ValueError(
            f"{name} contains {value} at index {where if arr.ndim else '()'}"
            f" ({int((~np.isfinite(arr)).sum())} non-finite value(s) in all). "
            "These computations need finite numbers: look for a division by zero or a diverging update upstream."
        )
    return arr


def check_same_shape(a, b, name_a, name_b):
    """Raise ValueError unless ``a`` and ``b`` have identical shapes (no broadcasting, by design)."""
    if a.shape == b.shape:
        return
    if {a.ndim, b.ndim} == {1, 2} and a.shape[0] == b.shape[0] and (a.ndim == 2 and a.shape[1] == 1 or b.ndim == 2 and b.shape[1] == 1):
        n = a.shape[0]
        column = name_a if a.ndim == 2 else name_b
        raise ValueError(
            f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}. NumPy would broadcast a column "
            f"against a row and compare all {n} x {n} = {n * n} pairs, giving a silently wrong loss. "
            f"Make the shapes equal, e.g. {column} = {column}.ravel(), so both are ({n},)."
        )
    raise ValueError(
        f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}; they must have the same shape, "
        "one prediction per target. Check that you passed matching arrays (targets first, predictions second)."
    )


def check_reduction(reduction):
    """Raise ValueError unless ``reduction`` is one of 'mean', 'sum', 'none'."""
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of 'mean', 'sum' or 'none', got {_describe(reduction)}.")


def check_positive_number(value, name):
    """Return ``value`` as a float after checking it is a finite number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a positive number, got {type(value).__name__} {_describe(value)}.")
    value = float(value)
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive, finite number, got {value}.")
    return value


def check_unit_interval(arr, name, advice):
    """Raise ValueError unless every entry of ``arr`` lies in [0, 1]; ``advice`` says how to fix it."""
    if arr.min() >= 0 and arr.max() <= 1:
        return
    outside = (arr < 0) | (arr > 1)
    if outside.any():
        where = tuple(int(i) for i in np.argwhere(outside)[0]) if arr.ndim else ()
        raise ValueError(
            f"{name} must lie in [0, 1], but it contains {arr[where] if arr.ndim else float(arr)} "
            f"at index {where} ({int(outside.sum())} value(s) outside). {advice}"
        )


def reduce(values, reduction, count):
    """Apply a reduction: 'mean' divides the sum by ``count``, 'sum' adds, 'none' returns ``values``."""
    if reduction == "none":
        return values
    total = float(np.sum(values))
    return total / count if reduction == "mean" else total


def grad_scale(reduction, count):
    """The factor d(reduced loss)/d(per-item loss): 1/count for 'mean', 1 otherwise."""
    return 1.0 / count if reduction == "mean" else 1.0
