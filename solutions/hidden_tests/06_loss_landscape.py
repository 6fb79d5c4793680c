"""Hidden tests of 06_loss_landscape (instructor only: never in the student release or the sandbox)."""
import numpy as np

from lessons_lib.grade.hidden import hidden_test, passes


@hidden_test("landscape_gd", after="06-loss-landscape-09", points=3)
def landscape_gd(gd_step, gd_run):
    """gd_step and gd_run pass, and gd_run converges to the least-squares slope."""
    assert passes("gd_step", gd_step)
    assert passes("gd_run", gd_run)
    X, y = np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.5])
    assert abs(float(gd_run(X, y, 0.0, 0.1, 200)) - np.sum(X * y) / np.sum(X * X)) < 1e-8
