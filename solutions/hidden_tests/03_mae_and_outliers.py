"""Hidden tests of 03_mae_and_outliers (instructor only: never in the student release or the sandbox)."""
import numpy as np

from lessons_lib import losses
from lessons_lib.grade.hidden import hidden_test


@hidden_test("huber-hidden", after="03-huber-check", points=1)
def huber_hidden(huber):
    """huber: continuity at |d| = delta and agreement with the reference."""
    assert np.isclose(huber(np.zeros(1), np.array([3.0])), 2.5)
    for delta in (0.5, 1.0, 3.0):
        assert np.isclose(huber(np.zeros(1), np.array([delta]), delta), 0.5 * delta ** 2)
        rng = np.random.default_rng(4)
        y, y_hat = rng.normal(size=30), 3 * rng.normal(size=30)
        assert np.isclose(huber(y, y_hat, delta), losses.huber(y, y_hat, delta=delta), rtol=1e-12)


@hidden_test("medical-hidden", after="03-medical-reflection-check", points=1)
def medical_hidden(mse_A, mae_A, mse_B, mae_B, medical_choice):
    """The medical practice: the four numbers and the choice."""
    assert np.allclose(np.asarray((mse_A, mae_A, mse_B, mae_B), dtype=float), (4.0, 2.0, 10.0, 1.0))
    assert isinstance(medical_choice, str) and medical_choice.strip().lower() == "a"
