"""Lessons 10-12 helpers: likelihoods (vs scipy.stats), calibration bins and ECE (hand-worked), the valley."""
import numpy as np
import pytest

from lessons_lib import likelihood as LK
from lessons_lib.losses import binary_cross_entropy, mae, mse
from lessons_lib.metrics import expected_calibration_error, reliability_bins
from lessons_lib.optimizers import SGD, Adam
from lessons_lib.valley import optimizer_path, valley_grad, valley_loss

stats = pytest.importorskip("scipy.stats", reason="scipy (a scikit-learn dependency) not installed")

rng = np.random.default_rng(0)
Y = rng.normal(5.0, 2.0, size=30)
MU = rng.normal(5.0, 1.0, size=30)


@pytest.mark.parametrize("sigma", [0.1, 1.0, 7.5])
def test_gaussian_nll_is_scipy_logpdf_and_mse(sigma):
    expected = -stats.norm.logpdf(Y, loc=MU, scale=sigma)
    np.testing.assert_allclose(LK.gaussian_nll(Y, MU, sigma, reduction="none"), expected, rtol=1e-12)
    n = Y.size
    assert LK.gaussian_nll(Y, MU, sigma) == pytest.approx(
        n * np.log(sigma * np.sqrt(2 * np.pi)) + n / (2 * sigma ** 2) * mse(Y, MU), rel=1e-12)


@pytest.mark.parametrize("b", [0.1, 1.0, 7.5])
def test_laplace_nll_is_scipy_logpdf_and_mae(b):
    expected = -stats.laplace.logpdf(Y, loc=MU, scale=b)
    np.testing.assert_allclose(LK.laplace_nll(Y, MU, b, reduction="none"), expected, rtol=1e-12)
    assert LK.laplace_nll(Y, MU, b) == pytest.approx(Y.size * np.log(2 * b) + Y.size / b * mae(Y, MU), rel=1e-12)


def test_bernoulli_nll_is_scipy_and_bce():
    y = (rng.random(25) < 0.3).astype(float)
    p = rng.uniform(0.05, 0.95, size=25)
    np.testing.assert_allclose(LK.bernoulli_nll(y, p, reduction="none"), -stats.bernoulli.logpmf(y, p), rtol=1e-12)
    assert LK.bernoulli_nll(y, p, reduction="mean") == pytest.approx(binary_cross_entropy(y, p), rel=1e-12)


def test_lesson_11_worked_numbers():
    """The worked example of lesson 11: likelihoods 0.74 and 0.32, best constants, outlier shift."""
    y = np.array([4.8, 5.1, 5.3, 4.9, 5.4])
    assert np.exp(-LK.gaussian_nll(y, 5.0, 0.3)) == pytest.approx(0.743, abs=1e-3)
    assert np.exp(-LK.gaussian_nll(y, 5.3, 0.3)) == pytest.approx(0.323, abs=1e-3)
    y_out = np.append(y, 9.0)
    grid = np.linspace(4.0, 7.0, 3001)
    assert grid[np.argmin([LK.gaussian_nll(y_out, c, 0.3) for c in grid])] == pytest.approx(5.75, abs=1e-9)
    laplace = np.array([LK.laplace_nll(y_out, c, 0.3) for c in grid])
    flat = grid[np.isclose(laplace, laplace.min(), rtol=0, atol=1e-9)]
    assert flat.min() == pytest.approx(5.1, abs=1e-9) and flat.max() == pytest.approx(5.3, abs=1e-9)


def test_likelihood_errors():
    with pytest.raises(ValueError, match="positive"):
        LK.gaussian_nll([1.0], [1.0], sigma=0.0)
    with pytest.raises(ValueError, match="0 or 1"):
        LK.bernoulli_nll([0.5], [0.5])
    with pytest.raises(ValueError, match="shape"):
        LK.laplace_nll([1.0, 2.0], [1.0, 2.0, 3.0])


# --------------------------------------------------------------------------- calibration

def test_reliability_bins_hand_worked():
    y = np.array([0, 0, 1, 1, 1, 0])
    p = np.array([0.05, 0.15, 0.15, 0.85, 0.95, 1.0])
    bins = reliability_bins(y, p, n_bins=2)
    np.testing.assert_allclose(bins.mean_predicted, [(0.05 + 0.15 + 0.15) / 3, (0.85 + 0.95 + 1.0) / 3])
    np.testing.assert_allclose(bins.observed, [1 / 3, 2 / 3])
    assert bins.counts.tolist() == [3, 3]
    expected_ece = 0.5 * abs(1 / 3 - 0.35 / 3) + 0.5 * abs(2 / 3 - 2.8 / 3)
    assert expected_calibration_error(y, p, n_bins=2) == pytest.approx(expected_ece, rel=1e-12)


def test_ece_is_small_for_calibrated_and_large_for_shifted_predictions():
    g = np.random.default_rng(5)
    p = g.uniform(0, 1, size=200_000)
    y = (g.uniform(0, 1, size=p.size) < p).astype(float)       # outcomes drawn with probability p
    assert expected_calibration_error(y, p) < 0.01
    assert expected_calibration_error(y, p ** 0.3) > 0.15          # everything pushed towards 1


def test_weighted_optimum_formula_of_lesson_08():
    """Expected weighted BCE -c pi log p - (1 - pi) log(1 - p) is smallest at p = c pi / (c pi + 1 - pi)."""
    c, pi = 5.0, 0.25
    p = np.linspace(1e-4, 1 - 1e-4, 200_001)
    expected_loss = -c * pi * np.log(p) - (1 - pi) * np.log1p(-p)
    assert p[np.argmin(expected_loss)] == pytest.approx(c * pi / (c * pi + 1 - pi), abs=1e-5)
    assert c * pi / (c * pi + 1 - pi) == pytest.approx(0.625)


def test_calibration_errors():
    with pytest.raises(ValueError, match="probabilities"):
        reliability_bins([0, 1], [0.5, 1.5])
    with pytest.raises(ValueError, match=r"\(n,\)"):
        reliability_bins(np.array([[0], [1]]), np.array([0.1, 0.9]))
    with pytest.raises(ValueError, match="n_bins"):
        reliability_bins([0, 1], [0.1, 0.9], n_bins=0)


# --------------------------------------------------------------------------- valley and paths

def test_valley_gradient_matches_finite_differences():
    w = np.array([-3.0, 0.7])
    h = 1e-6
    numeric = [(valley_loss(w[0] + h, w[1], 25.0) - valley_loss(w[0] - h, w[1], 25.0)) / (2 * h),
               (valley_loss(w[0], w[1] + h, 25.0) - valley_loss(w[0], w[1] - h, 25.0)) / (2 * h)]
    np.testing.assert_allclose(valley_grad(w, 25.0), numeric, rtol=1e-8)


def test_sgd_path_follows_the_closed_form():
    """Plain gradient descent multiplies w1 by (1 - lr) and w2 by (1 - 25 lr) per step (lesson 10)."""
    lr, steps = 0.07, 12
    path = optimizer_path(SGD(lr), lambda w: valley_grad(w, 25.0), [-9.0, 1.2], steps)
    k = np.arange(steps + 1)
    np.testing.assert_allclose(path[:, 0], -9.0 * (1 - lr) ** k, rtol=1e-12)
    np.testing.assert_allclose(path[:, 1], 1.2 * (1 - 25 * lr) ** k, rtol=1e-12)


def test_sgd_diverges_above_the_critical_rate_and_path_stops_on_overflow():
    path = optimizer_path(SGD(0.085), lambda w: valley_grad(w, 25.0), [-9.0, 1.2], 40)
    assert abs(path[-1, 1]) > abs(path[0, 1]) * 50
    blown = optimizer_path(SGD(10.0), lambda w: valley_grad(w, 25.0), [1.0, 1.0], 10_000)
    assert len(blown) < 10_001 and np.isfinite(blown).all()


def test_adam_first_step_is_lr_per_coordinate():
    path = optimizer_path(Adam(0.1), lambda w: valley_grad(w, 25.0), [-4.0, 0.8], 1)
    np.testing.assert_allclose(path[1] - path[0], [0.1, -0.1], rtol=1e-6)


def test_momentum_reaches_lower_than_sgd_on_the_valley():
    """The lesson-10 claim: 40 steps, momentum (lr 0.03, 0.8) ends over ten times lower than plain SGD."""
    grad = lambda w: valley_grad(w, 25.0)
    sgd = optimizer_path(SGD(0.07), grad, [-9.0, 1.2], 40)[-1]
    mom = optimizer_path(SGD(0.03, momentum=0.8), grad, [-9.0, 1.2], 40)[-1]
    assert valley_loss(*mom, 25.0) < valley_loss(*sgd, 25.0) / 10
