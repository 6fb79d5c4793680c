"""Hidden tests of 05_categorical_cross_entropy (instructor only: never in the student release or the sandbox)."""
import numpy as np

from lessons_lib import losses
from lessons_lib.activations import softmax as reference_softmax
from lessons_lib.grade.hidden import hidden_test


@hidden_test("softmax-hidden", after="05-softmax-check", points=1)
def softmax_hidden(softmax):
    """softmax: rows sum to 1, invariance to a shift, agreement with the reference."""
    assert np.allclose(softmax(np.zeros((2, 4))), 0.25)
    rng = np.random.default_rng(6)
    z = 50 * rng.normal(size=(5, 7))
    assert np.allclose(np.asarray(softmax(z)).sum(axis=1), 1.0)
    assert np.allclose(softmax(z + 1000.0), softmax(z))
    assert np.allclose(softmax(z), reference_softmax(z, axis=1), rtol=1e-12)


@hidden_test("cce-hidden", after="05-sparse-categorical-cross-entropy-check", points=2)
def cce_hidden(categorical_cross_entropy, sparse_categorical_cross_entropy):
    """The one-hot and the index versions agree with each other and with the reference."""
    assert np.isclose(sparse_categorical_cross_entropy(np.array([1]), np.array([[0.5, 0.5]])), np.log(2))
    rng = np.random.default_rng(7)
    p = rng.dirichlet(np.ones(4), size=9)
    labels = rng.integers(0, 4, size=9)
    one_hot = np.eye(4)[labels]
    assert np.isclose(categorical_cross_entropy(one_hot, p), losses.categorical_cross_entropy(labels, p), rtol=1e-9)
    assert np.isclose(sparse_categorical_cross_entropy(labels, p), categorical_cross_entropy(one_hot, p), rtol=1e-12)
