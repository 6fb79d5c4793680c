"""Input checking for the library: array-likes in, float64 arrays out, or a clear error.

Every public loss (and the model, data and landscape helpers) runs its arguments through these
helpers first, so a learner who passes the wrong thing gets a message naming the argument, what was
wrong and how to fix it, instead of a silently wrong number or a traceback from deep inside NumPy.
"""
import numbers

import numpy as np

REDUCTIONS = ("mean", "sum", "none")


def _describe(x):
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def as_float_array(x, name, finite=True):
    """Return ``x`` as a float64 ndarray (any shape, scalars give shape ()).

    TypeError for non-numeric input (strings, None, complex, objects); ValueError for ragged lists,
    empty input, NaN or infinity. ``finite=False`` skips the NaN/infinity pass, for a caller that
    checks later (the fused losses look at their result and call ``check_finite`` only when it is not
    finite).
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
    if finite:
        check_finite(arr, name)
    return arr


def check_finite(arr, name):
    """ValueError naming the first NaN or infinity in the float array ``arr``, if it has one."""
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


def check_positive_int(value, name, minimum=1):
    """Return ``value`` as an int after checking it is a whole number >= ``minimum`` (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}.")
    return int(value)


# --------------------------------------------------------------------------- the losses' inputs

PROBS_ADVICE = (
    "This loss expects probabilities (e.g. the output of a sigmoid or softmax). "
    "If these are raw scores (logits), use the *_with_logits / softmax_cross_entropy version instead."
)
LABEL_ADVICE = (
    "Binary labels must be 0 or 1 (soft labels in between are fine). "
    "If your labels are -1/+1, convert them with (y + 1) / 2."
)


def check_pair(y_true, y_pred, reduction, y_name="y_pred"):
    """(targets, predictions) as float64 arrays of one shape, after checking ``reduction``."""
    check_reduction(reduction)
    y = as_float_array(y_true, "y_true")
    p = as_float_array(y_pred, y_name)
    check_same_shape(y, p, "y_true", y_name)
    return y, p


def check_binary_labels(y):
    """Binary labels (0/1, or soft labels) must lie in [0, 1]."""
    check_unit_interval(y, "y_true (labels)", LABEL_ADVICE)


def check_probabilities_and_labels(y, p):
    """Binary cross-entropy on probabilities: p and y both in [0, 1]."""
    check_unit_interval(p, "y_pred (probabilities)", PROBS_ADVICE)
    check_binary_labels(y)


def row_sums(a):
    """Sum of each row of a 2-D array; much faster than a.sum(axis=1) when rows are short."""
    return np.einsum("ij->i", a)


def categorical_inputs(y_true, y_pred, reduction, name, finite=True):
    """Validate (targets, scores) of a categorical loss; return (targets, scores (n, k), is_index, single).

    targets is an int array (n,) of class indices or a float array (n, k) of probability rows;
    ``single`` says a single sample of shape (k,) was promoted to (1, k). ``finite=False`` skips the
    NaN/infinity pass over the scores and over (n, k) targets (see ``as_float_array``).
    """
    check_reduction(reduction)
    s = as_float_array(y_pred, name, finite)
    if s.ndim not in (1, 2):
        raise ValueError(
            f"{name} must have shape (n, k): one row of k class scores per sample; got shape {s.shape}. "
            "Reshape it with .reshape(n, k)."
        )
    single = s.ndim == 1
    if single:
        s = s[None, :]
    n, k = s.shape
    y = as_float_array(y_true, "y_true", finite=False)
    if finite or y.ndim < 2:  # class indices are always checked: they are few, and used as indices
        check_finite(y, "y_true")
    if single and y.ndim == 0:
        y = y[None]
    elif single and y.shape == (k,):
        y = y[None, :]
    if y.shape == (n, k):
        check_unit_interval(y, "y_true (one-hot or probability rows)",
                            "Each row of y_true must be a probability distribution over the classes.")
        sums = row_sums(y)
        bad = np.flatnonzero(~(np.abs(sums - 1.0) <= 1e-6))  # written so that a NaN row counts as bad
        if bad.size:
            raise ValueError(
                f"row {bad[0]} of y_true sums to {sums[bad[0]]:.6g}, but each row must sum to 1 "
                "(one-hot: a single 1 and the rest 0s). If these are class indices, pass them as a flat "
                "array of shape (n,)."
            )
        return y, s, False, single
    if y.shape == (n,):
        whole = y == np.round(y)
        if not whole.all():
            i = int(np.flatnonzero(~whole)[0])
            raise ValueError(
                f"class indices in y_true must be whole numbers 0..{k - 1}, but y_true[{i}] = {y[i]}. "
                f"For probability targets pass an array of shape ({n}, {k})."
            )
        out = (y < 0) | (y >= k)
        if out.any():
            i = int(np.flatnonzero(out)[0])
            raise ValueError(
                f"class index y_true[{i}] = {int(y[i])} is out of range: with k = {k} columns of scores "
                f"the valid classes are 0..{k - 1}."
            )
        return y.astype(np.intp), s, True, single
    if y.shape == (n, 1):
        raise ValueError(
            f"y_true has shape {y.shape}, a column. Class indices must be a flat array of shape ({n},): "
            "use y_true.ravel(). (A column would broadcast against the rows and give a wrong loss.)"
        )
    expected = "(k,) one-hot or a single index" if single else f"({n},) class indices or ({n}, {k}) one-hot rows"
    raise ValueError(f"y_true has shape {y.shape}, but with {name} of shape {s.shape if not single else (k,)} "
                     f"it must be {expected}.")


def check_probability_rows(p, tol=1e-3):
    """Predicted class probabilities (n, k): entries in [0, 1], each row summing to 1 (within ``tol``)."""
    check_unit_interval(p, "y_pred (probabilities)", PROBS_ADVICE)
    sums = row_sums(p)
    bad = np.flatnonzero(~(np.abs(sums - 1.0) <= tol))  # written so that a NaN row counts as bad
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"row {i} of y_pred (probabilities) sums to {sums[i]:.6g}, but each row must sum to 1 "
            f"({bad.size} of {p.shape[0]} rows do not). If these are raw scores, use softmax_cross_entropy; "
            "if you applied softmax yourself, normalise over the classes with softmax(z, axis=1) "
            "(axis=0 normalises each column instead)."
        )
