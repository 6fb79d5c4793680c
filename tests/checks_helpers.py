"""Shared by the tests of lessons_lib.checks: run a check quietly, assert a diagnosis, a learner's loop."""
import numpy as np

from lessons_lib.checks import check


def run(exercise, submission, **kwargs):
    """The CheckResult of ``check(exercise, submission)``, without printing the verdict."""
    return check(exercise, submission, quiet=True, **kwargs)


def assert_diagnosis(exercise, submission, name):
    """The submission fails, scores 0, and is diagnosed as the catalogued misconception ``name``."""
    result = run(exercise, submission)
    assert result.status == "failed", result.message
    assert result.misconception == name, result.message
    assert result.points == 0
    return result


def train_by_hand(X, y, num_epochs, lr, w, *, grad=lambda err, n: 2 * err / n, bias_step=np.sum):
    """A learner's full-batch loop for y_hat = X @ w + b on the MSE, from starting weights ``w``.

    ``grad(err, n)`` gives dL/dy_hat and ``bias_step`` reduces it to db: where learners' bugs go.
    Returns (w, b, losses), one loss per epoch recorded before the update.
    """
    b, losses = 0.0, []
    for _ in range(num_epochs):
        err = X @ w + b - y
        losses.append(np.mean(err ** 2))
        g = grad(err, len(y))
        w, b = w - lr * (X.T @ g), b - lr * bias_step(g)
    return w, b, np.array(losses)
