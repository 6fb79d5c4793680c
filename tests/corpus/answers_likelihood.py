"""Learner answers for lesson 11: Gaussian, Laplace and Bernoulli negative log-likelihoods, and two values."""
import math

import numpy as np

from .base import bad, ok

# --------------------------------------------------------------------------- gaussian_nll


def gaussian_nll(y, mu, sigma=1.0):
    return float(np.sum(np.log(sigma * np.sqrt(2 * np.pi)) + (y - mu) ** 2 / (2 * sigma ** 2)))


ok("gaussian_nll", gaussian_nll)


@bad("gaussian_nll")
def gaussian_nll_from_density(y, mu, sigma=1.0):
    density = np.exp(-(y - mu) ** 2 / (2 * sigma ** 2)) / (sigma * np.sqrt(2 * np.pi))
    return -np.sum(np.log(density))  # infinite once a density underflows (the statement asks for finite)


@ok("gaussian_nll")
def gaussian_nll_log_density(y, mu, sigma=1.0):
    log_density = -(y - mu) ** 2 / (2 * sigma ** 2) - np.log(sigma) - 0.5 * np.log(2 * np.pi)
    return -log_density.sum()


@ok("gaussian_nll")
def gaussian_nll_split(y, mu, sigma=1.0):
    y = np.asarray(y, dtype=float)
    sse = np.sum((y - mu) ** 2)
    return len(y) / 2 * np.log(2 * np.pi * sigma ** 2) + sse / (2 * sigma ** 2)


@ok("gaussian_nll")
def gaussian_nll_loop(y, mu, sigma=1.0):
    mus = np.broadcast_to(mu, np.shape(y))
    return sum(math.log(sigma) + 0.5 * math.log(2 * math.pi) + (float(a) - float(b)) ** 2 / (2 * sigma * sigma)
               for a, b in zip(y, mus))


def _g(log_term, quad):
    def nll(y, mu, sigma=1.0):
        d = np.asarray(y, dtype=float) - mu
        return float(len(d) * log_term(sigma) + np.sum(quad(d, sigma)))
    return nll


bad("gaussian_nll", "dropped_normaliser", answer=_g(lambda s: 0.0, lambda d, s: d ** 2 / (2 * s ** 2)), label="sse only")
bad("gaussian_nll", "dropped_log_sigma", answer=_g(lambda s: 0.5 * np.log(2 * np.pi), lambda d, s: d ** 2 / (2 * s ** 2)),
    label="no log sigma")
bad("gaussian_nll", "forgot_2pi", answer=_g(np.log, lambda d, s: d ** 2 / (2 * s ** 2)), label="no 2 pi")
bad("gaussian_nll", "sigma_not_squared", answer=_g(lambda s: np.log(s * np.sqrt(2 * np.pi)), lambda d, s: d ** 2 / (2 * s)),
    label="2 sigma")
bad("gaussian_nll", "sigma_used_as_variance", answer=_g(lambda s: 0.5 * np.log(2 * np.pi * s), lambda d, s: d ** 2 / (2 * s)),
    label="sigma is variance")
bad("gaussian_nll", "missing_half", answer=_g(lambda s: np.log(s * np.sqrt(2 * np.pi)), lambda d, s: d ** 2 / s ** 2),
    label="no half")
bad("gaussian_nll", "log_base_2", answer=lambda y, mu, sigma=1.0: -np.sum(np.log2(
    np.exp(-(y - mu) ** 2 / (2 * sigma ** 2)) / (sigma * np.sqrt(2 * np.pi)))), label="log2 of density")
bad("gaussian_nll", "missing_minus", answer=lambda y, mu, sigma=1.0: -gaussian_nll(y, mu, sigma), label="log-likelihood")
bad("gaussian_nll", "mean_not_sum", answer=lambda y, mu, sigma=1.0: float(np.mean(
    np.log(sigma * np.sqrt(2 * np.pi)) + (y - mu) ** 2 / (2 * sigma ** 2))), label="mean")
bad("gaussian_nll", "wrong_default", answer=lambda y, mu, sigma=0.5: gaussian_nll(y, mu, sigma), label="default 0.5")
bad("gaussian_nll", "changed_input", answer=lambda y, mu, sigma=1.0: (y.__isub__(mu), float(np.sum(
    np.log(sigma * np.sqrt(2 * np.pi)) + y ** 2 / (2 * sigma ** 2))))[1], label="y -= mu")
bad("gaussian_nll", answer=lambda y, mu, sigma=1.0: float(np.sum((y - mu) ** 2)), label="plain sse")
bad("gaussian_nll", answer=lambda y, mu, sigma=1.0: float(np.prod(np.exp(-(y - mu) ** 2 / (2 * sigma ** 2))
                                                                  / (sigma * np.sqrt(2 * np.pi)))), label="likelihood")
bad("gaussian_nll", answer=lambda y, mu, sigma=1.0: np.log(sigma * np.sqrt(2 * np.pi))
    + (y - mu) ** 2 / (2 * sigma ** 2), label="per observation")


# --------------------------------------------------------------------------- laplace_nll

def laplace_nll(y, mu, b=1.0):
    return float(np.sum(np.log(2 * b) + np.abs(y - mu) / b))


ok("laplace_nll", laplace_nll)
ok("laplace_nll", lambda y, mu, b=1.0: len(y) * np.log(2 * b) + np.abs(np.subtract(y, mu)).sum() / b, "split")
bad("laplace_nll", answer=lambda y, mu, b=1.0: -np.sum(np.log(np.exp(-np.abs(y - mu) / b) / (2 * b))),
    label="log of an underflowing density")
ok("laplace_nll", lambda y, mu, b=1.0: np.sum(np.abs(y - mu) / b - np.log(0.5 / b)), "minus log of 1/(2b)")


@ok("laplace_nll")
def laplace_nll_loop(y, mu, b=1.0):
    total = 0.0
    for a, c in zip(y, np.broadcast_to(mu, np.shape(y))):
        total += math.log(2 * b) + abs(float(a) - float(c)) / b
    return total


bad("laplace_nll", "forgot_1_over_b", answer=lambda y, mu, b=1.0: float(np.sum(np.log(2 * b) + np.abs(y - mu))),
    label="no 1/b")
bad("laplace_nll", "b_multiplies_error", answer=lambda y, mu, b=1.0: float(np.sum(np.log(2 * b) + b * np.abs(y - mu))),
    label="times b")
bad("laplace_nll", "dropped_log_2b", answer=lambda y, mu, b=1.0: float(np.sum(np.abs(y - mu) / b)), label="no log")
bad("laplace_nll", "log_b_without_2", answer=lambda y, mu, b=1.0: float(np.sum(np.log(b) + np.abs(y - mu) / b)),
    label="log b")
bad("laplace_nll", "used_square", answer=lambda y, mu, b=1.0: float(np.sum(np.log(2 * b) + (y - mu) ** 2 / b)),
    label="squared")
bad("laplace_nll", "missing_minus", answer=lambda y, mu, b=1.0: -laplace_nll(y, mu, b), label="log-likelihood")
bad("laplace_nll", "mean_not_sum", answer=lambda y, mu, b=1.0: float(np.mean(np.log(2 * b) + np.abs(y - mu) / b)),
    label="mean")
bad("laplace_nll", "log_base_2", answer=lambda y, mu, b=1.0: float(np.sum(np.log2(2 * b) + np.abs(y - mu) / b)),
    label="log2")
bad("laplace_nll", "wrong_default", answer=lambda y, mu, b: laplace_nll(y, mu, b), label="no default")
bad("laplace_nll", answer=lambda y, mu, b=1.0: float(np.sum(np.log(2 * b) + np.abs(y - mu) / (2 * b))), label="2b under")
bad("laplace_nll", answer=lambda y, mu, b=1.0: float(np.sum(np.log(2 * b) - np.abs(y - mu) / b)), label="sign of term")


# --------------------------------------------------------------------------- bernoulli_nll

def bernoulli_nll(y, p):
    return float(-np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)))


ok("bernoulli_nll", bernoulli_nll)
ok("bernoulli_nll", lambda y, p: -np.sum(np.log(np.where(y == 1, p, 1 - p))), "np.where")
ok("bernoulli_nll", lambda y, p: -np.sum(np.log(p ** y * (1 - p) ** (1 - y))), "power form")
ok("bernoulli_nll", lambda y, p: float(-np.sum(y * np.log(p) + (1 - y) * np.log1p(-p))), "log1p")


@ok("bernoulli_nll")
def bernoulli_nll_loop(y, p):
    total = 0.0
    for outcome, prob in zip(y, np.broadcast_to(p, np.shape(y))):
        total -= math.log(prob) if outcome == 1 else math.log(1 - prob)
    return total


bad("bernoulli_nll", "missing_minus", answer=lambda y, p: -bernoulli_nll(y, p), label="log-likelihood")
bad("bernoulli_nll", "mean_not_sum", answer=lambda y, p: float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))),
    label="bce")
bad("bernoulli_nll", "flipped_terms", answer=lambda y, p: float(-np.sum(y * np.log(1 - p) + (1 - y) * np.log(p))),
    label="flipped")
bad("bernoulli_nll", "ignored_label", answer=lambda y, p: float(-np.sum(np.log(p) * np.ones_like(y))), label="-log p")
bad("bernoulli_nll", "missing_negative_class_term", answer=lambda y, p: float(-np.sum(y * np.log(p))), label="y log p")
bad("bernoulli_nll", "returned_likelihood", answer=lambda y, p: float(np.prod(p ** y * (1 - p) ** (1 - y))),
    label="product")
bad("bernoulli_nll", "log_base_2", answer=lambda y, p: float(-np.sum(y * np.log2(p) + (1 - y) * np.log2(1 - p))),
    label="log2")
bad("bernoulli_nll", "log_base_10", answer=lambda y, p: float(-np.sum(y * np.log10(p) + (1 - y) * np.log10(1 - p))),
    label="log10")
bad("bernoulli_nll", answer=lambda y, p: float(-np.sum(y * np.log(np.clip(p, 0.01, 0.99))
                                                       + (1 - y) * np.log(1 - np.clip(p, 0.01, 0.99)))),
    label="clip at 0.01")
bad("bernoulli_nll", answer=lambda y, p: float(np.sum((y - p) ** 2)), label="squared error")
bad("bernoulli_nll", "changed_input", answer=lambda y, p: (np.clip(p, 1e-7, 1 - 1e-7, out=p) if isinstance(
    p, np.ndarray) else p, bernoulli_nll(y, p))[1], label="clip in place")


# --------------------------------------------------------------------------- nll_as_mse and mle_constant

_A, _B = 8 * np.log(0.5 * np.sqrt(2 * np.pi)), 8 / (2 * 0.5 ** 2)
ok("nll_as_mse", (_A, _B), "exact")
ok("nll_as_mse", (round(_A, 4), _B), "rounded to 4 decimals")
ok("nll_as_mse", [4 * np.log(2 * np.pi * 0.25), 16], "n/2 log(2 pi sigma^2)")
ok("nll_as_mse", lambda: (_A, _B), "a function")
bad("nll_as_mse", "per_sample_constants", answer=(_A / 8, _B / 8), label="one observation")
bad("nll_as_mse", "factor_missing_n", answer=(_A, 2.0), label="B without n")
bad("nll_as_mse", "sigma_not_squared", answer=(_A, 8.0), label="2 sigma")
bad("nll_as_mse", "missing_half", answer=(_A, 32.0), label="no half")
bad("nll_as_mse", "forgot_2pi", answer=(8 * np.log(0.5), _B), label="no 2pi")
bad("nll_as_mse", "swapped_pair", answer=(_B, _A), label="swapped")
bad("nll_as_mse", answer=(0.0, 16.0), label="A dropped")
bad("nll_as_mse", answer=(_A,), label="one number")

_HR = np.array([72.0, 75.0, 71.0, 74.0, 73.0, 70.0, 140.0])
ok("mle_constant", (float(_HR.mean()), float(np.median(_HR))), "exact")
ok("mle_constant", (82.14, 73.0), "grid values")
ok("mle_constant", np.array([82.15, 72.999]), "grid neighbours")
ok("mle_constant", lambda: (575 / 7, 73), "fractions")
bad("mle_constant", "swapped_pair", answer=(73.0, 82.14), label="swapped")
bad("mle_constant", "mean_for_both", answer=(82.14, 82.14), label="mean twice")
bad("mle_constant", "median_for_both", answer=(73.0, 73.0), label="median twice")
bad("mle_constant", "dropped_outlier", answer=(72.5, 72.5), label="outlier removed")
bad("mle_constant", answer=(105.0, 73.0), label="midrange")
bad("mle_constant", answer=(82.1, 73.0), label="grid too coarse")


# --------------------------------------------------------------------------- more learner answers (hostile round)

@ok("gaussian_nll")
def gaussian_nll_float32(y, mu, sigma=1.0):
    d = np.asarray(y, dtype=np.float32) - np.float32(mu)  # float32 arithmetic is accurate enough
    return float(np.sum(np.float32(np.log(sigma) + 0.5 * np.log(2 * np.pi)) + d ** 2 / np.float32(2 * sigma ** 2)))


ok("gaussian_nll", lambda y, mu, sigma=1.0: 0.5 * np.sum(np.log(2 * np.pi * sigma ** 2) + (y - mu) ** 2 / sigma ** 2),
   "half of log(2 pi sigma^2) plus squared z")
ok("gaussian_nll", lambda y, mu, sigma=1.0: np.array(np.sum(np.log(sigma * np.sqrt(2 * np.pi))
                                                            + (y - mu) ** 2 / (2 * sigma ** 2))), "0-d array")


@ok("laplace_nll")
def laplace_nll_float32(y, mu, b=1.0):
    d = np.asarray(y, dtype=np.float32) - np.float32(mu)
    return np.float32(np.sum(np.float32(np.log(2 * b)) + np.abs(d) / np.float32(b)))


bad("laplace_nll", answer=lambda y, mu, b=1.0: float(np.sum(np.log(b / 2) + np.abs(y - mu) / b)), label="log(b / 2)")
bad("laplace_nll", answer=lambda y, mu, b=1.0: float(np.sum(np.log(2 * b) + np.abs(y - mu) / b ** 2)), label="b squared")


@ok("bernoulli_nll")
def bernoulli_nll_xlogy(y, p):
    from scipy.special import xlog1py, xlogy
    return float(-np.sum(xlogy(y, p) + xlog1py(1 - y, -p)))


bad("bernoulli_nll", "product_underflow", answer=lambda y, p: float(-np.log(np.prod(p ** y * (1 - p) ** (1 - y)))),
    label="log of the product")
bad("bernoulli_nll", "product_underflow", answer=lambda y, p: -math.log(float(np.prod(np.where(y == 1, p, 1 - p))) or 1e-300),
    label="log of the product, guarded")
bad("bernoulli_nll", "clipped_probabilities",
    answer=lambda y, p: float(-np.sum(y * np.log(np.clip(p, 1e-7, 1 - 1e-7))
                                      + (1 - y) * np.log(1 - np.clip(p, 1e-7, 1 - 1e-7)))),
    label="lesson 04's clip at 1e-7")
bad("bernoulli_nll", "clipped_probabilities",
    answer=lambda y, p: float(-np.mean(np.log(np.where(y == 1, np.clip(p, 1e-8, 1), np.clip(1 - p, 1e-8, 1))))
                              * np.size(y)),
    label="clip at 1e-8 on the picked probability")
ok("bernoulli_nll", lambda y, p: float(np.sum(np.logaddexp(0, -(2 * np.asarray(y) - 1) * np.log(p / (1 - p))))),
   "through the logit")

bad("mle_constant", answer=(82.14, None), label="a search that returned None")
bad("nll_as_mse", answer=(np.log(0.5 * np.sqrt(2 * np.pi)), 16.0), label="A of one reading, B of all")
