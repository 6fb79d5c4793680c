"""Hidden tests of 04_binary_cross_entropy (instructor only: never in the student release or the sandbox)."""
import numpy as np

from lessons_lib import losses
from lessons_lib.grade.hidden import hidden_test


@hidden_test("bce-hidden", after="04-binary-cross-entropy-check", points=2)
def bce_hidden(binary_cross_entropy):
    """binary_cross_entropy: a hand value, finite at p = 0 and 1, reference on random data."""
    assert np.isclose(binary_cross_entropy(np.array([1.0]), np.array([0.5])), np.log(2))
    assert np.isfinite(binary_cross_entropy(np.array([1.0, 0.0]), np.array([0.0, 1.0])))
    assert binary_cross_entropy(np.array([1.0, 0.0]), np.array([1.0, 0.0])) < 1e-6
    rng = np.random.default_rng(5)
    y, p = rng.integers(0, 2, size=40).astype(float), rng.uniform(0.01, 0.99, size=40)
    assert np.isclose(binary_cross_entropy(y, p), losses.binary_cross_entropy(y, p), rtol=1e-9)
