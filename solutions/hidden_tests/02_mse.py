"""Hidden tests of 02_mse (instructor only: never in the student release or the sandbox)."""
import numpy as np

from lessons_lib import losses
from lessons_lib.gradcheck import numerical_gradient
from lessons_lib.grade.hidden import hidden_test


@hidden_test("mse-hidden", after="02-mse-check", points=1)
def mse_hidden(mse):
    """mse: a hand-worked value, agreement with the reference on random data, the shape rule."""
    assert np.isclose(mse(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 5.0])), 4 / 3)
    rng = np.random.default_rng(2)
    y, y_hat = rng.normal(size=(7, 3)), rng.normal(size=(7, 3))
    assert np.isclose(mse(y, y_hat), losses.mse(y, y_hat), rtol=1e-12)
    try:
        mse(np.zeros(4), np.zeros((4, 1)))
        raise AssertionError("mse accepted a (4,) and a (4, 1) array")
    except ValueError:
        pass


@hidden_test("mse-grad-hidden", after="02-mse-grad-check", points=1)
def mse_grad_hidden(mse_grad):
    """mse_grad: a hand-worked value and a finite-difference slope of the reference MSE."""
    assert np.allclose(mse_grad(np.array([90.0]), np.array([70.0])), [-40.0])
    rng = np.random.default_rng(3)
    y, y_hat = rng.normal(size=6), rng.normal(size=6)
    assert np.allclose(mse_grad(y, y_hat), numerical_gradient(lambda v: losses.mse(y, v), y_hat.copy()), atol=1e-6)
