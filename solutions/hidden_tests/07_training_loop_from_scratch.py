"""Hidden tests of 07_training_loop_from_scratch (instructor only: never in the student release or the sandbox)."""
import numpy as np

from lessons_lib.gradcheck import check_gradient
from lessons_lib.grade.hidden import hidden_test, passes


@hidden_test("training_dense_gradcheck", after="07-training-loop-from-scratch-08", points=2)
def training_dense_gradcheck(dense_forward, dense_backward):
    """dense_backward agrees with finite differences of sum(dense_forward * R) for a random R."""
    rng = np.random.default_rng(0)
    X_t, W_t, b_t, R = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), rng.normal(size=2), rng.normal(size=(4, 2))
    _, dW_t, db_t = dense_backward(X_t, W_t, R)
    assert check_gradient(lambda W_: np.sum(dense_forward(X_t, W_, b_t) * R), lambda W_: dW_t, W_t)
    assert check_gradient(lambda b_: np.sum(dense_forward(X_t, W_t, b_) * R), lambda b_: db_t, b_t)


@hidden_test("training_loop", after="07-training-loop-from-scratch-13", points=3)
def training_loop(train_linear):
    """The loop passes the check and recovers the true weights of the demo data."""
    assert passes("train_linear", train_linear)
    rng = np.random.default_rng(0)
    X = rng.normal(size=(100, 2))
    y = X @ np.array([3.0, -2.0]) + 1.0 + 0.1 * rng.normal(size=100)
    w, b, losses = train_linear(X, y, num_epochs=200, lr=0.1, seed=0)
    assert np.allclose(w, [3.0, -2.0], atol=0.05) and abs(float(b) - 1.0) < 0.05
    assert np.all(np.diff(np.asarray(losses, dtype=float)) <= 1e-12)  # falls every epoch (up to rounding)
