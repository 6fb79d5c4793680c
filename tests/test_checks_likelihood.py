"""The lesson 11 checks: references against scipy's log-densities and the course's likelihood module, right
answers pass (on float64 and float32 probes, in several styles), each catalogued mistake is named, extreme inputs work.

Every wrong answer below is written out as a learner would, independently of the checker's catalogue.
"""
import numpy as np
import pytest
from scipy import stats

from lessons_lib import likelihood as library
from lessons_lib.checks import likelihood as lk
from lessons_lib.losses import binary_cross_entropy

from checks_helpers import assert_diagnosis, run as verdict

RNG = np.random.default_rng(2024)
Y, MU = RNG.normal(1.0, 2.0, size=30), RNG.normal(1.0, 2.0, size=30)


def stub(*args):
    raise NotImplementedError("replace this line with your code")


# --------------------------------------------------------------------------- references against independent code

@pytest.mark.parametrize("sigma", [0.05, 1.0, 7.5])
def test_gaussian_reference_is_scipy_and_the_library(sigma):
    assert lk.ref_gaussian_nll(Y, MU, sigma) == pytest.approx(-stats.norm.logpdf(Y, MU, sigma).sum(), rel=1e-12)
    assert lk.ref_gaussian_nll(Y, 0.7, sigma) == pytest.approx(library.gaussian_nll(Y, 0.7, sigma), rel=1e-12)


@pytest.mark.parametrize("b", [0.05, 1.0, 7.5])
def test_laplace_reference_is_scipy_and_the_library(b):
    assert lk.ref_laplace_nll(Y, MU, b) == pytest.approx(-stats.laplace.logpdf(Y, MU, b).sum(), rel=1e-12)
    assert lk.ref_laplace_nll(Y, -1.0, b) == pytest.approx(library.laplace_nll(Y, -1.0, b), rel=1e-12)


def test_bernoulli_reference_is_scipy_and_cross_entropy():
    y, p = (RNG.random(40) < 0.3).astype(float), RNG.uniform(0.01, 0.99, size=40)
    assert lk.ref_bernoulli_nll(y, p) == pytest.approx(-stats.bernoulli.logpmf(y, p).sum(), rel=1e-12)
    assert lk.ref_bernoulli_nll(y, p) / 40 == pytest.approx(binary_cross_entropy(y, p), rel=1e-12)
    assert lk.ref_bernoulli_nll(y, 0.25) == pytest.approx(library.bernoulli_nll(y, 0.25), rel=1e-12)


def test_nll_is_a_plus_b_times_mse_for_any_predictions():
    A, B = lk.NLL_AS_MSE
    y = RNG.normal(3.0, 0.4, size=lk.NLL_MSE_N)
    for c in (2.5, 3.0, RNG.normal(3.0, 0.4, size=lk.NLL_MSE_N)):
        nll = -stats.norm.logpdf(y, c, lk.NLL_MSE_SIGMA).sum()
        assert nll == pytest.approx(A + B * np.mean((y - c) ** 2), rel=1e-12)


def test_mle_constant_is_where_each_nll_is_lowest_on_a_fine_grid():
    grid = np.arange(60.0, 150.0, 0.001)
    gauss = -stats.norm.logpdf(lk.HEART_RATES[:, None], grid, 2.0).sum(axis=0)
    laplace = -stats.laplace.logpdf(lk.HEART_RATES[:, None], grid, 2.0).sum(axis=0)
    assert grid[np.argmin(gauss)] == pytest.approx(lk.MLE_CONSTANT[0], abs=1e-3)
    assert grid[np.argmin(laplace)] == pytest.approx(lk.MLE_CONSTANT[1], abs=1e-3)


# --------------------------------------------------------------------------- correct answers pass

def gaussian_nll(y, mu, sigma=1.0):
    return np.sum(np.log(sigma) + 0.5 * np.log(2 * np.pi) + (y - mu) ** 2 / (2 * sigma ** 2))


def laplace_nll(y, mu, b=1.0):
    return np.sum(np.log(2 * b) + np.abs(y - mu) / b)


def bernoulli_nll(y, p):
    return -np.sum(np.where(y == 1, np.log(p), np.log(1 - p)))


@pytest.mark.parametrize("exercise, answer", [
    ("gaussian_nll", gaussian_nll), ("laplace_nll", laplace_nll), ("bernoulli_nll", bernoulli_nll),
    ("bernoulli_nll", lambda y, p: float(-np.sum(y * np.log(p) + (1 - y) * np.log1p(-p)))),
    ("gaussian_nll", lambda y, mu, sigma=1.0: len(y) / 2 * np.log(2 * np.pi * sigma ** 2)
     + np.sum((y - mu) ** 2) / (2 * sigma ** 2)),
])
def test_correct_answers_pass(exercise, answer):
    result = verdict(exercise, answer)
    assert result.passed and result.points == result.max_points, result


@pytest.mark.parametrize("exercise, value", [("nll_as_mse", lk.NLL_AS_MSE), ("mle_constant", (82.14, 73.0))])
def test_values_pass(exercise, value):
    assert verdict(exercise, value).passed


@pytest.mark.parametrize("exercise", ["gaussian_nll", "laplace_nll", "bernoulli_nll"])
def test_stubs_are_not_attempted_and_random_probes_hold_float32(exercise):
    assert verdict(exercise, stub).status == "not_attempted"
    probes = {"gaussian_nll": lk.GAUSSIAN_CONTRACT, "laplace_nll": lk.LAPLACE_CONTRACT,
              "bernoulli_nll": lk.BERNOULLI_CONTRACT}[exercise].random_probes()
    assert any(v.dtype == np.float32 for p in probes for v in p.inputs.values() if isinstance(v, np.ndarray))
    assert any(isinstance(p.inputs.get("mu", p.inputs.get("p")), float) for p in probes)  # constant models too


# --------------------------------------------------------------------------- each mistake is named

def _gauss_no_log_sigma(y, mu, sigma=1.0):
    return np.sum(0.5 * np.log(2 * np.pi) + (y - mu) ** 2 / (2 * sigma ** 2))


def _gauss_sigma_as_variance(y, mu, sigma=1.0):
    return np.sum(0.5 * np.log(2 * np.pi * sigma) + (y - mu) ** 2 / (2 * sigma))


def _gauss_log2(y, mu, sigma=1.0):
    return np.sum(np.log2(sigma * np.sqrt(2 * np.pi)) + (y - mu) ** 2 / (2 * sigma ** 2))


def _laplace_no_over_b(y, mu, b=1.0):
    return np.sum(np.log(2 * b) + np.abs(y - mu))


def _laplace_no_log(y, mu, b=1.0):
    return np.sum(np.abs(y - mu)) / b


def _bernoulli_swapped(y, p):
    return -np.sum(y * np.log(1 - p) + (1 - y) * np.log(p))


CASES = [
    ("gaussian_nll", _gauss_no_log_sigma, "dropped_log_sigma"),
    ("gaussian_nll", _gauss_sigma_as_variance, "sigma_used_as_variance"),
    ("gaussian_nll", _gauss_log2, "log_base_2"),
    ("gaussian_nll", lambda y, mu, sigma=1.0: np.sum((y - mu) ** 2) / (2 * sigma ** 2), "dropped_normaliser"),
    ("laplace_nll", _laplace_no_over_b, "forgot_1_over_b"),
    ("laplace_nll", _laplace_no_log, "dropped_log_2b"),
    ("laplace_nll", lambda y, mu, b=1.0: np.sum(np.log(b) + np.abs(y - mu) / b), "log_b_without_2"),
    ("bernoulli_nll", _bernoulli_swapped, "flipped_terms"),
    ("bernoulli_nll", lambda y, p: binary_cross_entropy(y, np.broadcast_to(p, np.shape(y))), "mean_not_sum"),
    ("bernoulli_nll", lambda y, p: np.prod(np.where(y == 1, p, 1 - p)), "returned_likelihood"),
    ("nll_as_mse", (lk.NLL_AS_MSE[0], 1 / (2 * 0.5 ** 2)), "factor_missing_n"),
    ("mle_constant", (73.0, 82.142857), "swapped_pair"),
    ("mle_constant", (np.mean([72, 75, 71, 74, 73, 70]), np.median([72, 75, 71, 74, 73, 70])), "dropped_outlier"),
]


@pytest.mark.parametrize("exercise, answer, name", CASES, ids=[f"{e}-{n}" for e, _, n in CASES])
def test_mistake_is_named(exercise, answer, name):
    assert_diagnosis(exercise, answer, name)


# --------------------------------------------------------------------------- extreme inputs

def test_extreme_inputs_stay_finite_and_the_check_says_so():
    far = np.array([1e6, -2e6])
    assert np.isfinite(lk.ref_gaussian_nll(far, 0.0, 1e-3)) and np.isfinite(lk.ref_laplace_nll(far, 0.0, 1e-3))
    assert np.isfinite(lk.ref_bernoulli_nll(np.array([1.0, 0.0]), np.array([1e-300, 1 - 1e-16])))

    def from_density(y, mu, sigma=1.0):  # -log of a density that underflows to 0 for far observations
        return -np.sum(np.log(np.exp(-(y - mu) ** 2 / (2 * sigma ** 2)) / (sigma * np.sqrt(2 * np.pi))))

    result = verdict("gaussian_nll", from_density)
    assert result.status == "failed" and result.misconception is None and "infinity" in result.message, result


def test_float32_arithmetic_passes_and_the_product_of_many_probabilities_does_not():
    from lessons_lib.checks import evaluate

    def gaussian32(y, mu, sigma=1.0):
        d = np.asarray(y, dtype=np.float32) - np.float32(mu)
        return float(np.sum(np.float32(np.log(sigma) + 0.5 * np.log(2 * np.pi)) + d ** 2 / np.float32(2 * sigma ** 2)))

    def laplace32(y, mu, b=1.0):
        d = np.asarray(y, dtype=np.float32) - np.float32(mu)
        return float(np.sum(np.float32(np.log(2 * b)) + np.abs(d) / np.float32(b)))

    assert evaluate("gaussian_nll", gaussian32).passed
    assert evaluate("laplace_nll", laplace32).passed
    product = evaluate("bernoulli_nll", lambda y, p: float(-np.log(np.prod(p ** y * (1 - p) ** (1 - y)))))
    assert not product.passed and product.misconception == "product_underflow"
