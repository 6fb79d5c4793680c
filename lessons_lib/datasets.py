"""Small, seeded data sets for the demonstrations and exercises (lessons 07, 08).

Every generator takes a ``seed`` and builds its own ``np.random.default_rng(seed)``, so the same
call always returns the same numbers. Features X are float64 of shape (n, d); labels y are (n,).
The real data set (iris) ships inside scikit-learn and loads without a network.
"""
from dataclasses import dataclass

import numpy as np

from ._validate import as_float_array, check_positive_int

__all__ = ["line_with_outliers", "two_blobs", "spirals", "one_hot", "standardize",
           "Split", "load_iris_split", "load_digits_split"]


def line_with_outliers(n=30, seed=0, slope=2.0, intercept=1.0, noise=0.3, n_outliers=3, outlier_shift=12.0):
    """Points near y = slope * x + intercept, x in [0, 5], plus ``n_outliers`` far above the line.

    Returns X (n, 1) and y (n,). The outliers sit at the largest x values, shifted up by
    ``outlier_shift``, so a line fitted with MSE tilts towards them while MAE and Huber barely move.
    Used in lesson 08.
    """
    n = check_positive_int(n, "n", 2)
    n_outliers = check_positive_int(n_outliers, "n_outliers", 0)
    if n_outliers >= n:
        raise ValueError(f"n_outliers ({n_outliers}) must be smaller than n ({n}).")
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 5.0, size=n))
    y = slope * x + intercept + rng.normal(0.0, noise, size=n)
    if n_outliers:
        y[-n_outliers:] += outlier_shift
    return x[:, None], y


def two_blobs(n=200, seed=0, distance=3.0, spread=1.0):
    """Two Gaussian clouds in 2-D, centred ``distance`` apart: X (n, 2), y (n,) with labels 0 and 1.

    Half the points (rounded down) belong to class 0. Used in lesson 07.
    """
    n = check_positive_int(n, "n", 2)
    rng = np.random.default_rng(seed)
    y = (np.arange(n) >= n // 2).astype(np.float64)
    centres = np.where(y[:, None] == 1.0, distance / 2, -distance / 2) * np.array([1.0, 0.5])
    X = centres + rng.normal(0.0, spread, size=(n, 2))
    order = rng.permutation(n)
    return X[order], y[order]


def spirals(n_per_class=100, n_classes=3, seed=0, noise=0.2):
    """Interleaved 2-D spiral arms, one per class: X (n_per_class * n_classes, 2), y (n,) integers.

    No straight line separates the arms, so a model needs a hidden layer. Used in lesson 07.
    """
    n_per_class = check_positive_int(n_per_class, "n_per_class", 2)
    n_classes = check_positive_int(n_classes, "n_classes", 2)
    rng = np.random.default_rng(seed)
    r = np.tile(np.linspace(0.05, 1.0, n_per_class), n_classes)
    k = np.repeat(np.arange(n_classes), n_per_class)
    theta = 4.0 * r + 2.0 * np.pi * k / n_classes + rng.normal(0.0, noise, size=r.size)
    X = np.column_stack([r * np.sin(theta), r * np.cos(theta)])
    return X, k


def one_hot(y, num_classes=None):
    """Class indices (n,) -> one-hot rows (n, num_classes) of float64.

    >>> one_hot([0, 2, 1]).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    y = as_float_array(y, "y")
    if y.ndim != 1:
        raise ValueError(f"one_hot expects a flat array of class indices, shape (n,), got {y.shape}; try y.ravel().")
    if not np.all(y == np.round(y)) or y.min() < 0:
        raise ValueError("one_hot expects whole-number class indices 0, 1, 2, ...")
    k = int(y.max()) + 1 if num_classes is None else check_positive_int(num_classes, "num_classes")
    if y.max() >= k:
        raise ValueError(f"class index {int(y.max())} does not fit in num_classes={k}; it needs at least {int(y.max()) + 1}.")
    out = np.zeros((len(y), k))
    out[np.arange(len(y)), y.astype(np.intp)] = 1.0
    return out


def standardize(X_train, X_test):
    """Scale each feature to mean 0, std 1 using the *training* statistics only (no test leakage).

    Features that are constant in the training set (std 0, e.g. blank pixels) are only centred.
    Shapes: (n_train, d) and (n_test, d), or (n_train,) and (n_test,) for a single feature.
    """
    X_train, X_test = as_float_array(X_train, "X_train"), as_float_array(X_test, "X_test")
    if X_train.ndim not in (1, 2) or X_test.ndim != X_train.ndim or X_train.shape[1:] != X_test.shape[1:]:
        raise ValueError(f"X_train has shape {X_train.shape} and X_test has shape {X_test.shape}; both need "
                         "shape (n, features) with the same number of features (or both (n,) for one feature).")
    mean = X_train.mean(axis=0)
    std = np.atleast_1d(X_train.std(axis=0))
    std[std == 0] = 1.0
    if X_train.ndim == 1:
        std = std[0]
    return (X_train - mean) / std, (X_test - mean) / std


@dataclass(frozen=True)
class Split:
    """A train/test split; unpacks like scikit-learn's: ``X_train, X_test, y_train, y_test = split``.

    ``class_names[i]`` names label i.
    """

    X_train: np.ndarray
    X_test: np.ndarray
    y_train: np.ndarray
    y_test: np.ndarray
    class_names: tuple

    def __iter__(self):
        return iter((self.X_train, self.X_test, self.y_train, self.y_test))


def _split(bunch, seed, test_size):
    from sklearn.model_selection import train_test_split

    X_train, X_test, y_train, y_test = train_test_split(
        bunch.data.astype(np.float64), bunch.target.astype(np.intp), test_size=test_size,
        random_state=seed, stratify=bunch.target)
    X_train, X_test = standardize(X_train, X_test)
    return Split(X_train, X_test, y_train, y_test, tuple(str(c) for c in bunch.target_names))


def load_iris_split(seed=0, test_size=0.25):
    """Fisher's iris flowers (150 x 4 features, 3 species), stratified split, standardised. Lesson 07."""
    from sklearn.datasets import load_iris

    return _split(load_iris(), seed, test_size)


def load_digits_split(seed=0, test_size=0.25):
    """8x8 handwritten digits (1797 x 64 pixel features, classes 0-9), stratified split, standardised. Lesson 10."""
    from sklearn.datasets import load_digits

    return _split(load_digits(), seed, test_size)
