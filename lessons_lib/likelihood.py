"""Negative log-likelihoods behind the course's losses (lesson 11).

    Gaussian(mu, sigma):  -log p(y) = log(sigma sqrt(2 pi)) + (y - mu)**2 / (2 sigma**2)    -> MSE
    Laplace(mu, b):       -log p(y) = log(2 b) + |y - mu| / b                              -> MAE
    Bernoulli(p):         -log p(y) = -[y log p + (1 - y) log(1 - p)]                       -> BCE

Arguments follow the losses: observed values first, the model's prediction (mu or p) second, and
a ``reduction`` ("sum" is the usual negative log-likelihood of a data set, "mean" its per-sample value).
"""
import numpy as np

from ._validate import (as_float_array, check_positive_number, check_reduction, check_same_shape,
                        check_unit_interval, reduce)

__all__ = ["gaussian_nll", "laplace_nll", "bernoulli_nll"]


def _pair(y, prediction, name):
    y = as_float_array(y, "y")
    prediction = as_float_array(prediction, name)
    if prediction.ndim == 0:                      # one parameter for every sample (a constant model)
        prediction = np.full_like(y, float(prediction))
    check_same_shape(y, prediction, "y", name)
    return y, prediction


def gaussian_nll(y, mu, sigma=1.0, reduction="sum"):
    """-log of the normal density N(y; mu, sigma**2), per sample; mu: same shape as y, or one number."""
    check_reduction(reduction)
    y, mu = _pair(y, mu, "mu")
    sigma = check_positive_number(sigma, "sigma")
    per_item = np.log(sigma * np.sqrt(2.0 * np.pi)) + (y - mu) ** 2 / (2.0 * sigma ** 2)
    return reduce(per_item, reduction, per_item.size)


def laplace_nll(y, mu, scale=1.0, reduction="sum"):
    """-log of the Laplace density exp(-|y - mu| / b) / (2 b), per sample; b = ``scale``."""
    check_reduction(reduction)
    y, mu = _pair(y, mu, "mu")
    b = check_positive_number(scale, "scale")
    per_item = np.log(2.0 * b) + np.abs(y - mu) / b
    return reduce(per_item, reduction, per_item.size)


def bernoulli_nll(y, p, reduction="sum"):
    """-log of the probability p**y (1 - p)**(1 - y) of each 0/1 outcome y; p in (0, 1), same shape or one number."""
    check_reduction(reduction)
    y, p = _pair(y, p, "p")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("y must hold outcomes 0 or 1 for a Bernoulli likelihood.")
    check_unit_interval(p, "p", "p is the probability of outcome 1.")
    with np.errstate(divide="ignore"):
        per_item = -np.where(y == 1, np.log(p), np.log1p(-p))
    return reduce(per_item, reduction, per_item.size)
