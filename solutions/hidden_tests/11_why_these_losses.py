"""Hidden tests of 11_why_these_losses (instructor only: never in the student release or the sandbox)."""
import numpy as np

from lessons_lib.grade.hidden import hidden_test, passes
from lessons_lib.likelihood import gaussian_nll as lib_gaussian, laplace_nll as lib_laplace
from lessons_lib.losses import binary_cross_entropy


@hidden_test("likelihood_nlls", after="11-why-these-losses-16", points=2)
def likelihood_nlls(gaussian_nll, laplace_nll, bernoulli_nll):
    """The three NLLs pass and agree with the course's likelihood module and with binary cross-entropy."""
    assert passes("gaussian_nll", gaussian_nll)
    assert passes("laplace_nll", laplace_nll)
    assert passes("bernoulli_nll", bernoulli_nll)
    rng = np.random.default_rng(11)
    y, mu = rng.normal(3.0, 2.0, size=200), rng.normal(3.0, 2.0, size=200)
    assert np.isclose(float(gaussian_nll(y, mu, 0.7)), lib_gaussian(y, mu, 0.7), rtol=1e-9)
    assert np.isclose(float(laplace_nll(y, mu, 1.3)), lib_laplace(y, mu, 1.3), rtol=1e-9)
    outcomes, p = (rng.random(200) < 0.3).astype(float), rng.uniform(0.01, 0.99, size=200)
    assert np.isclose(float(bernoulli_nll(outcomes, p)) / 200, binary_cross_entropy(outcomes, p), rtol=1e-9)
