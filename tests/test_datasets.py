"""lessons_lib.datasets: shapes, determinism, and the properties the lessons rely on."""
import numpy as np
import pytest

from lessons_lib.datasets import (
    line_with_outliers,
    load_iris_split,
    one_hot,
    spirals,
    standardize,
    two_blobs,
)


@pytest.mark.parametrize("make", [line_with_outliers, two_blobs, spirals])
def test_generators_are_seeded_and_float64(make):
    X1, y1 = make(seed=4)
    X2, y2 = make(seed=4)
    X3, _ = make(seed=5)
    assert X1.dtype == np.float64 and X1.ndim == 2 and len(X1) == len(y1)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


def test_line_with_outliers_puts_outliers_far_above_the_line():
    X, y = line_with_outliers(n=30, seed=0, slope=2.0, intercept=1.0, noise=0.3, n_outliers=3)
    assert X.shape == (30, 1) and y.shape == (30,)
    residual = y - (2.0 * X[:, 0] + 1.0)
    assert (residual[-3:] > 10).all() and (np.abs(residual[:-3]) < 1.5).all()
    with pytest.raises(ValueError, match="n_outliers"):
        line_with_outliers(n=3, n_outliers=3)


def test_two_blobs_balanced_and_separated():
    X, y = two_blobs(n=201, seed=0, distance=6.0, spread=0.5)
    assert set(np.unique(y)) == {0.0, 1.0} and y.sum() == 101
    assert X[y == 1, 0].mean() - X[y == 0, 0].mean() == pytest.approx(6.0, abs=0.3)


def test_spirals_classes_and_radius():
    X, y = spirals(n_per_class=50, n_classes=4, seed=0, noise=0.0)
    assert X.shape == (200, 2) and np.bincount(y).tolist() == [50] * 4
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), np.tile(np.linspace(0.05, 1.0, 50), 4))


def test_one_hot_and_errors():
    np.testing.assert_array_equal(one_hot([1, 0], num_classes=3), [[0, 1, 0], [1, 0, 0]])
    with pytest.raises(ValueError, match="num_classes=2"):
        one_hot([0, 2], num_classes=2)
    with pytest.raises(ValueError, match="ravel"):
        one_hot(np.zeros((3, 1)))
    with pytest.raises(ValueError, match="whole-number"):
        one_hot([0.5, 1])


def test_standardize_uses_training_statistics_only():
    train = np.array([[0.0, 5.0], [2.0, 5.0]])
    test = np.array([[4.0, 6.0]])
    a, b = standardize(train, test)
    np.testing.assert_array_equal(a, [[-1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_array_equal(b, [[3.0, 1.0]])          # constant column: centred, not divided by 0


@pytest.mark.parametrize("load, n, d, k", [(load_iris_split, 150, 4, 3)])
def test_real_data_splits(load, n, d, k):
    split = load(seed=0)
    X_train, X_test, y_train, y_test = split
    assert len(X_train) + len(X_test) == n and X_train.shape[1] == d == X_test.shape[1]
    assert len(split.class_names) == k and set(np.unique(y_train)) == set(range(k))
    np.testing.assert_allclose(X_train.mean(axis=0), 0.0, atol=1e-12)
    assert np.all(np.isin(X_train.std(axis=0).round(12), [0.0, 1.0]))
    # stratified: every class keeps (about) its share of the test set
    assert np.bincount(y_test, minlength=k).min() >= 0.2 * len(y_test) / k
    again = load(seed=0)
    np.testing.assert_array_equal(again.X_test, X_test)


def test_standardize_single_feature_vectors_and_mismatched_features():
    a, b = standardize(np.array([1.0, 3.0]), np.array([5.0]))
    np.testing.assert_array_equal(a, [-1.0, 1.0])
    np.testing.assert_array_equal(b, [3.0])
    a, b = standardize(np.array([2.0, 2.0]), np.array([4.0]))      # constant: centred only
    np.testing.assert_array_equal(b, [2.0])
    with pytest.raises(ValueError, match="same number of features"):
        standardize(np.zeros((3, 2)), np.zeros((2, 3)))
    with pytest.raises(ValueError, match="same number of features"):
        standardize(np.zeros((3, 2)), np.zeros(2))


def test_digits_split_is_stratified_standardised_and_seeded():
    from lessons_lib.datasets import load_digits_split

    a, b = load_digits_split(seed=0), load_digits_split(seed=0)
    assert a.X_train.shape[1] == 64 and len(a.X_train) + len(a.X_test) == 1797
    np.testing.assert_array_equal(a.X_train, b.X_train)  # same seed, same code path: identical
    assert set(np.unique(a.y_test)) == set(range(10))
    np.testing.assert_allclose(a.X_train.mean(axis=0), 0.0, atol=1e-12)
