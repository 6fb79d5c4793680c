"""Checks for lesson 11's exercises: negative log-likelihoods and the losses they turn into.

Exercise ids (solution notebook: 11_why_these_losses):

    gaussian_nll    gaussian_nll(y, mu, sigma=1.0) -> sum of -log N(y_i; mu_i, sigma**2)
    nll_as_mse      the constants (A, B) with Gaussian NLL = A + B * MSE on the exercise's readings
    laplace_nll     laplace_nll(y, mu, b=1.0) -> sum of -log Laplace(y_i; mu_i, b)
    bernoulli_nll   bernoulli_nll(y, p) -> sum of -log p_i**y_i (1 - p_i)**(1 - y_i)
    mle_constant    the maximum-likelihood constant under Gaussian and under Laplace noise, with an outlier

Every NLL is a *sum* over the observations (the usual negative log-likelihood of a data set); ``mu`` and
``p`` may be arrays of y's shape or one number (a constant model). The references below are written here,
independent of ``lessons_lib.likelihood`` (a test compares the two and scipy's log-densities).
"""
import numpy as np

from . import probes as rp
from .diagnosis import Contract, Misconception as M, compare_value, diagnose_function
from .registry import register

_A = np.array
LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


def _d(y, mu):
    return np.asarray(y, dtype=np.float64) - np.asarray(mu, dtype=np.float64)


# --------------------------------------------------------------------------- Gaussian

def ref_gaussian_nll(y, mu, sigma=1.0):
    """Sum over i of log(sigma sqrt(2 pi)) + (y_i - mu_i)**2 / (2 sigma**2). Lesson 11."""
    d = _d(y, mu)
    return float(np.sum(np.log(sigma) + LOG_SQRT_2PI + d ** 2 / (2.0 * sigma ** 2)))


def _gauss(log_term, quad):
    """A (wrong) Gaussian NLL: n * log_term(sigma) + quad(d, sigma) summed."""
    def nll(y, mu, sigma=1.0):
        d = _d(y, mu)
        return float(d.size * log_term(sigma) + np.sum(quad(d, sigma)))
    return nll


_RIGHT_LOG = lambda s: np.log(s) + LOG_SQRT_2PI  # noqa: E731
_RIGHT_QUAD = lambda d, s: d ** 2 / (2.0 * s ** 2)  # noqa: E731

GAUSSIAN_MISCONCEPTIONS = [
    M("dropped_normaliser",
      "You left out the n log(sigma sqrt(2 pi)) term. It does not move the minimum for a fixed sigma, but the NLL's "
      "value includes it (and it matters as soon as sigma is learned too).",
      _gauss(lambda s: 0.0, _RIGHT_QUAD)),
    M("dropped_log_sigma",
      "The log(sigma) part of the normalising term is missing: the density's factor 1 / (sigma sqrt(2 pi)) gives "
      "log(sigma) + log(sqrt(2 pi)) per observation.",
      _gauss(lambda s: LOG_SQRT_2PI, _RIGHT_QUAD)),
    M("forgot_2pi",
      "The log(sqrt(2 pi)) part of the normalising term is missing: each observation adds log(sigma sqrt(2 pi)).",
      _gauss(np.log, _RIGHT_QUAD)),
    M("sigma_not_squared",
      "You divided the squared error by 2 sigma instead of 2 sigma**2: the exponent of the normal density is "
      "-(y - mu)**2 / (2 sigma**2).",
      _gauss(_RIGHT_LOG, lambda d, s: d ** 2 / (2.0 * s))),
    M("sigma_used_as_variance",
      "You treated sigma as the variance. sigma is the standard deviation; the variance is sigma**2, both in "
      "the normalising term and under the squared error.",
      _gauss(lambda s: 0.5 * np.log(2.0 * np.pi * s), lambda d, s: d ** 2 / (2.0 * s))),
    M("missing_half",
      "The 1/2 in the exponent is missing: each squared error is divided by 2 sigma**2.",
      _gauss(_RIGHT_LOG, lambda d, s: d ** 2 / s ** 2)),
    M("log_base_2",
      "You used log base 2 (bits). The course measures likelihoods in nats, with the natural log np.log.",
      lambda y, mu, sigma=1.0: ref_gaussian_nll(y, mu, sigma) / np.log(2.0),
      variants=(_gauss(lambda s: np.log2(s * np.sqrt(2.0 * np.pi)), _RIGHT_QUAD),)),
    M("log_base_10",
      "You used log base 10. The course measures likelihoods in nats, with the natural log np.log.",
      lambda y, mu, sigma=1.0: ref_gaussian_nll(y, mu, sigma) / np.log(10.0),
      variants=(_gauss(lambda s: np.log10(s * np.sqrt(2.0 * np.pi)), _RIGHT_QUAD),)),
    M("missing_minus",
      "You returned the log-likelihood. The NLL is its negative, so that smaller is better, as for every loss.",
      lambda y, mu, sigma=1.0: -ref_gaussian_nll(y, mu, sigma)),
    M("mean_not_sum",
      "You averaged over the observations. The NLL of a data set is the *sum* of the per-observation terms "
      "(the log of a product of densities).",
      lambda y, mu, sigma=1.0: ref_gaussian_nll(y, mu, sigma) / np.size(y)),
]

READINGS = _A([4.8, 5.1, 5.3, 4.9, 5.4])
GAUSSIAN_PROBES = [  # the float64 tolerance of the random probes: an answer computed in float32 passes too
    rp.probe({"y": READINGS, "mu": _A([5.0, 5.2, 5.1, 5.0, 5.3]), "sigma": 0.3}),
    rp.probe({"y": _A([1.0, 2.0, 4.0]), "mu": 2.5, "sigma": 2.0}),         # a constant model: mu is one number
    rp.probe({"y": _A([0.0, 1.5]), "mu": _A([3.0, 1.0])}, omitted=("sigma",)),
    rp.probe({"y": _A([10.002, 9.997, 10.0]), "mu": 10.0, "sigma": 0.004}),  # a precise instrument
    rp.probe({"y": _A([1.0e6, -2.0e6]), "mu": _A([0.0, 0.0]), "sigma": 1.0e3}),  # large values
]


def _observations(rng, *, constant_every=3):
    """(y, mu) pairs of shape (n,), float64 and float32; every ``constant_every``-th mu is one number."""
    out = []
    for i, (n, dtype) in enumerate(((1, np.float64), (5, np.float64), (13, np.float64), (40, np.float64),
                                    (6, np.float32), (9, np.float32))):
        y = rng.normal(0.0, 3.0, size=n)
        mu = y + rng.normal(0.0, 1.5, size=n)
        mu = float(np.round(mu.mean(), 3)) if i % constant_every == 1 else mu.astype(dtype)
        out.append((y.astype(dtype), mu))
    return out


def _scale_random(name, low, high):
    def draw(rng):
        out = []
        for i, (y, mu) in enumerate(_observations(rng)):
            if i % 2:
                out.append(rp.probe({"y": y, "mu": mu}, omitted=(name,)))
            else:
                out.append(rp.probe({"y": y, "mu": mu, name: float(np.round(rng.uniform(low, high), 3))}))
        return out
    return draw


GAUSSIAN_CONTRACT = Contract(defaults={"sigma": 1.0}, random=_scale_random("sigma", 0.2, 4.0), seed=1101)


@register("gaussian_nll", title="The Gaussian negative log-likelihood", points=2,
          misconceptions=GAUSSIAN_MISCONCEPTIONS, contract=GAUSSIAN_CONTRACT, hints=[
    "Take -log of the normal density term by term: the log of a product of two factors is a sum of two logs.",
    "Each observation contributes log(sigma * sqrt(2 pi)) + (y_i - mu_i)**2 / (2 sigma**2); add them all up.",
    "Let NumPy broadcast a single mu over y. Natural log (np.log), a sum not a mean, and one float back.",
])
def check_gaussian_nll(submission):
    """gaussian_nll(y, mu, sigma=1.0) equals the summed Gaussian NLL, for array and constant mu."""
    return diagnose_function(submission, ref_gaussian_nll, GAUSSIAN_PROBES, GAUSSIAN_MISCONCEPTIONS,
                             what="the Gaussian NLL", contract=GAUSSIAN_CONTRACT)


# --------------------------------------------------------------------------- NLL = A + B * MSE

NLL_MSE_SIGMA = 0.5
NLL_MSE_N = 8
"""The readings of the ``nll_as_mse`` exercise: eight of them, noise of spread sigma = 0.5."""
_N, _S = NLL_MSE_N, NLL_MSE_SIGMA
NLL_AS_MSE = (_N * (np.log(_S) + LOG_SQRT_2PI), _N / (2.0 * _S ** 2))
NLL_AS_MSE_WRONG = [
    M("per_sample_constants",
      "Those are the constants of one observation. The data set's NLL adds n of them, and MSE is a mean, so "
      "both A and B carry a factor n.", (NLL_AS_MSE[0] / _N, NLL_AS_MSE[1] / _N)),
    M("factor_missing_n",
      "Your B misses the factor n: the NLL has the *sum* of squared errors, SSE / (2 sigma**2), and SSE = n MSE.",
      (NLL_AS_MSE[0], 1.0 / (2.0 * _S ** 2))),
    M("sigma_not_squared", "B divides by 2 sigma**2, not by 2 sigma.", (NLL_AS_MSE[0], _N / (2.0 * _S))),
    M("missing_half", "The 1/2 of the exponent is missing from B: B = n / (2 sigma**2).",
      (NLL_AS_MSE[0], _N / _S ** 2)),
    M("forgot_2pi", "A misses the sqrt(2 pi) of the density's normalising factor: A = n log(sigma sqrt(2 pi)).",
      (_N * np.log(_S), NLL_AS_MSE[1])),
    M("swapped_pair", "The two numbers are in the wrong order: (A, B), the constant first, the factor second.",
      (NLL_AS_MSE[1], NLL_AS_MSE[0])),
]


@register("nll_as_mse", title="The Gaussian NLL is a constant plus a multiple of the MSE", points=1,
          misconceptions=NLL_AS_MSE_WRONG, hints=[
    "Split the sum of the per-observation terms into the part that does not depend on the predictions and the "
    "part that does.",
    "The squared errors add up to the SSE, and SSE = n * MSE.",
    "With n = 8 and sigma = 0.5, B is a whole number; A is negative or positive depending on sigma sqrt(2 pi).",
])
def check_nll_as_mse(submission):
    """(A, B) = (n log(sigma sqrt(2 pi)), n / (2 sigma**2)) for n = 8, sigma = 0.5."""
    return compare_value(submission, NLL_AS_MSE, NLL_AS_MSE_WRONG, what="(A, B)", explanation=(
        "B > 0, so for a fixed sigma the predictions with the smallest MSE are those with the smallest NLL: "
        "minimising MSE *is* maximum likelihood under Gaussian noise."))


# --------------------------------------------------------------------------- Laplace

def ref_laplace_nll(y, mu, b=1.0):
    """Sum over i of log(2 b) + |y_i - mu_i| / b. Lesson 11."""
    d = _d(y, mu)
    return float(np.sum(np.log(2.0 * b) + np.abs(d) / b))


def _laplace(log_term, lin):
    def nll(y, mu, b=1.0):
        d = _d(y, mu)
        return float(d.size * log_term(b) + np.sum(lin(d, b)))
    return nll


_LAP_LOG = lambda b: np.log(2.0 * b)  # noqa: E731
_LAP_LIN = lambda d, b: np.abs(d) / b  # noqa: E731

LAPLACE_MISCONCEPTIONS = [
    M("forgot_1_over_b",
      "The absolute errors are not divided by b. The exponent of the Laplace density is -|y - mu| / b, so each "
      "error costs |y - mu| / b nats.", _laplace(_LAP_LOG, lambda d, b: np.abs(d))),
    M("b_multiplies_error",
      "You multiplied the absolute error by b; it is divided by b (a wider noise model makes an error cheaper).",
      _laplace(_LAP_LOG, lambda d, b: np.abs(d) * b)),
    M("dropped_log_2b",
      "You left out the n log(2 b) term from the density's normalising factor 1 / (2 b).",
      _laplace(lambda b: 0.0, _LAP_LIN)),
    M("log_b_without_2",
      "The normalising term is log(2 b), not log(b): the density is exp(-|y - mu| / b) / (2 b).",
      _laplace(np.log, _LAP_LIN)),
    M("used_square",
      "You squared the errors: that is the Gaussian's exponent. Laplace noise costs the *absolute* error over b.",
      _laplace(_LAP_LOG, lambda d, b: d ** 2 / b)),
    M("missing_minus", "You returned the log-likelihood; the NLL is its negative.",
      lambda y, mu, b=1.0: -ref_laplace_nll(y, mu, b)),
    M("mean_not_sum", "You averaged over the observations; the NLL of a data set is the sum.",
      lambda y, mu, b=1.0: ref_laplace_nll(y, mu, b) / np.size(y)),
    M("log_base_2", "You used log base 2; the course uses the natural log (nats).",
      _laplace(lambda b: np.log2(2.0 * b), _LAP_LIN),
      variants=(lambda y, mu, b=1.0: ref_laplace_nll(y, mu, b) / np.log(2.0),)),
]

LAPLACE_PROBES = [rp.probe(inputs, omitted=omitted) for inputs, omitted in (
    ({"y": READINGS, "mu": _A([5.0, 5.2, 5.1, 5.0, 5.3]), "b": 0.3}, ()),
    ({"y": _A([1.0, 2.0, 4.0, 9.0]), "mu": 2.5, "b": 2.0}, ()),
    ({"y": _A([0.0, 1.5]), "mu": _A([3.0, 1.0])}, ("b",)),
    ({"y": _A([10.002, 9.997, 10.0]), "mu": 10.0, "b": 0.004}, ()),
    ({"y": _A([1.0e6, -2.0e6]), "mu": _A([0.0, 0.0]), "b": 1.0e3}, ()),
)]

LAPLACE_CONTRACT = Contract(defaults={"b": 1.0}, random=_scale_random("b", 0.2, 4.0), seed=1102)


@register("laplace_nll", title="The Laplace negative log-likelihood", points=2,
          misconceptions=LAPLACE_MISCONCEPTIONS, contract=LAPLACE_CONTRACT, hints=[
    "Same recipe as the Gaussian: -log of the density, term by term, then the sum over the observations.",
    "Each observation contributes log(2 b) + |y_i - mu_i| / b.",
    "Check by hand: y = [1], mu = [0], b = 0.5 gives log(1) + 2 = 2.",
])
def check_laplace_nll(submission):
    """laplace_nll(y, mu, b=1.0) equals the summed Laplace NLL, for array and constant mu."""
    return diagnose_function(submission, ref_laplace_nll, LAPLACE_PROBES, LAPLACE_MISCONCEPTIONS,
                             what="the Laplace NLL", contract=LAPLACE_CONTRACT)


# --------------------------------------------------------------------------- Bernoulli

def ref_bernoulli_nll(y, p):
    """Sum over i of -[y_i log p_i + (1 - y_i) log(1 - p_i)], y in {0, 1}, p in (0, 1). Lesson 11."""
    y = np.asarray(y, dtype=np.float64)
    p = np.broadcast_to(np.asarray(p, dtype=np.float64), y.shape)
    return float(-np.sum(np.where(y == 1, np.log(p), np.log1p(-p))))


def _f(x):
    return np.asarray(x, dtype=np.float64)


def _per_outcome(y, p):
    """-log of each outcome's probability."""
    y = _f(y)
    p = np.broadcast_to(_f(p), y.shape)
    return -np.where(y == 1, np.log(p), np.log1p(-p))


def _bern(term):
    def nll(y, p):
        y = np.asarray(y, dtype=np.float64)
        p = np.broadcast_to(np.asarray(p, dtype=np.float64), y.shape)
        return float(np.sum(term(y, p)))
    return nll


BERNOULLI_MISCONCEPTIONS = [
    M("missing_minus", "You returned the log-likelihood (a negative number); the NLL is its negative.",
      lambda y, p: -ref_bernoulli_nll(y, p)),
    M("mean_not_sum",
      "You averaged: that is binary cross-entropy, the NLL *per observation*. The exercise asks for the data "
      "set's NLL, the sum.", lambda y, p: ref_bernoulli_nll(y, p) / np.size(y)),
    M("flipped_terms",
      "The two terms are swapped: an outcome 1 has probability p, so it costs -log(p); an outcome 0 costs "
      "-log(1 - p).", _bern(lambda y, p: -(y * np.log(1 - p) + (1 - y) * np.log(p)))),
    M("ignored_label",
      "Your NLL charges -log(p) for every observation, whatever happened. The probability of an outcome 0 is "
      "1 - p.", _bern(lambda y, p: -np.log(p))),
    M("missing_negative_class_term",
      "The term for the outcomes 0, -(1 - y) log(1 - p), is missing: those observations have a probability too.",
      _bern(lambda y, p: -y * np.log(p))),
    M("returned_likelihood",
      "You returned the likelihood itself (the product of the probabilities). The NLL is minus its logarithm, "
      "a sum of -log terms, which does not underflow.",
      lambda y, p: float(np.exp(-ref_bernoulli_nll(y, p)))),
    M("product_underflow",
      "You multiplied the probabilities and took the log of the product. On a long data set the product "
      "underflows to 0 (2000 outcomes of probability 0.5 give 2**-2000, far below the smallest float), and "
      "-log(0) is infinite. Take the log of each probability and add the logs instead.",
      lambda y, p: float(-np.log(np.prod(np.exp(-_per_outcome(y, p))))),
      variants=(lambda y, p: float(-np.log(np.prod(np.where(_f(y) == 1, _f(p), 1.0 - _f(p))))),)),
    M("log_base_2", "You used log base 2; the course uses the natural log (nats).",
      lambda y, p: ref_bernoulli_nll(y, p) / np.log(2.0)),
    M("log_base_10", "You used log base 10; the course uses the natural log (nats).",
      lambda y, p: ref_bernoulli_nll(y, p) / np.log(10.0)),
    M("clipped_probabilities",
      "You clipped the probabilities (as exercise 04 did for a loss that may meet p = 0 or 1). Here every p "
      "is strictly between 0 and 1, and a probability of 1e-9 really costs -log(1e-9) = 20.7 nats; a clip "
      "at 1e-7 changes it. Leave the probabilities as they are.",
      lambda y, p: ref_bernoulli_nll(y, np.clip(_f(p), 1e-7, 1.0 - 1e-7)),
      variants=tuple(lambda y, p, eps=eps: ref_bernoulli_nll(y, np.clip(_f(p), eps, 1.0 - eps))
                     for eps in (1e-8, 1e-6, 1e-5))),  # Keras's epsilon first, then other usual clips
]

BERNOULLI_PROBES = [
    {"y": _A([1.0, 0.0, 1.0, 0.0, 0.0]), "p": _A([0.8, 0.3, 0.4, 0.1, 0.65])},
    {"y": _A([0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, 0.0]), "p": 0.25},   # a constant model: one p for all
    {"y": _A([1.0, 0.0]), "p": _A([1e-9, 1.0 - 1e-9])},               # confident and wrong: large but finite
    {"y": _A([1.0]), "p": _A([0.999])},
    # a long data set: the product of the probabilities underflows to 0, the sum of the logs does not
    {"y": np.tile(_A([1.0, 0.0, 0.0, 1.0]), 500), "p": np.tile(_A([0.5, 0.4, 0.6, 0.45]), 500)},
]


def _bernoulli_random(rng):
    out = []
    for i, (n, dtype) in enumerate(((1, np.float64), (6, np.float64), (15, np.float64), (50, np.float64),
                                    (7, np.float32), (12, np.float32))):
        y = (rng.random(n) < 0.4).astype(dtype)
        p = rng.uniform(0.02, 0.98, size=n)
        if n >= 6:
            p[:2] = rng.uniform(1e-3, 5e-3), 1.0 - rng.uniform(1e-3, 5e-3)
        p = float(np.round(p.mean(), 3)) if i % 3 == 1 else p.astype(dtype)
        out.append(rp.probe({"y": y, "p": p}))
    return out


BERNOULLI_CONTRACT = Contract(random=_bernoulli_random, seed=1103)


@register("bernoulli_nll", title="The Bernoulli negative log-likelihood is cross-entropy", points=2,
          misconceptions=BERNOULLI_MISCONCEPTIONS, contract=BERNOULLI_CONTRACT, hints=[
    "Each observation happened with probability p**y (1 - p)**(1 - y): p if y = 1, 1 - p if y = 0.",
    "Take -log of that probability for each observation (a log turns the powers into factors), then sum.",
    "Divide your result by n and compare with binary cross-entropy of the same y and p: they must agree.",
])
def check_bernoulli_nll(submission):
    """bernoulli_nll(y, p) equals the summed Bernoulli NLL, for array and constant p."""
    return diagnose_function(submission, ref_bernoulli_nll, BERNOULLI_PROBES, BERNOULLI_MISCONCEPTIONS,
                             what="the Bernoulli NLL", contract=BERNOULLI_CONTRACT)


# --------------------------------------------------------------------------- the maximum-likelihood constant

HEART_RATES = _A([72.0, 75.0, 71.0, 74.0, 73.0, 70.0, 140.0])
"""Resting heart rates of one person on seven mornings; the last one was read while the sensor slipped."""
MLE_CONSTANT = (float(HEART_RATES.mean()), float(np.median(HEART_RATES)))
_CLEAN = HEART_RATES[:-1]
MLE_CONSTANT_WRONG = [
    M("swapped_pair",
      "The two are the other way round: Gaussian noise gives the mean (MSE's best constant), Laplace noise the "
      "median (MAE's).", (MLE_CONSTANT[1], MLE_CONSTANT[0])),
    M("mean_for_both",
      "Under Laplace noise the NLL adds |y_i - c| / b: its slope only counts how many readings lie on each side "
      "of c, so the best c is the median, not the mean.", (MLE_CONSTANT[0], MLE_CONSTANT[0])),
    M("median_for_both",
      "Under Gaussian noise the NLL adds (y_i - c)**2 / (2 sigma**2): setting its derivative to zero gives the "
      "mean, outlier included.", (MLE_CONSTANT[1], MLE_CONSTANT[1])),
    M("dropped_outlier",
      "You removed the faulty reading first. The exercise asks what each noise model does with all seven "
      "readings: the Gaussian estimate is dragged towards the outlier, the Laplace one is not.",
      (float(_CLEAN.mean()), float(np.median(_CLEAN)))),
]


@register("mle_constant", title="Maximum likelihood with an outlier: Gaussian or Laplace noise", points=1,
          misconceptions=MLE_CONSTANT_WRONG, hints=[
    "Evaluate your gaussian_nll and laplace_nll at every constant of a fine grid and keep the constant with "
    "the lowest value of each.",
    "Each NLL is a constant plus a positive multiple of a familiar loss of the constant prediction: which "
    "constant minimises MSE, which MAE?",
])
def check_mle_constant(submission):
    """(c_gauss, c_laplace) = (mean, median) of the seven heart rates, to within a grid spacing of 0.01."""
    return compare_value(submission, MLE_CONSTANT, MLE_CONSTANT_WRONG, rtol=0, atol=0.011,
                         what="(c_gauss, c_laplace)", explanation=(
        f"One faulty reading moves the Gaussian estimate to {MLE_CONSTANT[0]:.2f}, above six of the seven "
        f"readings; the Laplace estimate stays at the median {MLE_CONSTANT[1]:g}, where it would stay however far "
        "the faulty reading went."))
