"""Hidden tests of 10_optimisers (instructor only: never in the student release or the sandbox)."""
import numpy as np

from lessons_lib.grade.hidden import hidden_test, passes
from lessons_lib.optimizers import SGD, Adam
from lessons_lib.valley import optimizer_path, valley_grad


@hidden_test("optimisers_paths", after="10-optimisers-08", points=2)
def optimisers_paths(momentum_step, adam_step):
    """Run step by step, momentum_step and adam_step follow the course library's SGD and Adam on the valley."""
    assert passes("momentum_step", momentum_step)
    assert passes("adam_step", adam_step)
    start, num_steps = np.array([-9.0, 1.2]), 25
    expected = optimizer_path(SGD(learning_rate=0.03, momentum=0.8), valley_grad, start, num_steps)
    w, v = start.copy(), np.zeros(2)
    for k in range(num_steps):
        w, v = momentum_step(w, v, valley_grad(w), 0.03, 0.8)
        assert np.allclose(w, expected[k + 1], rtol=1e-9, atol=1e-12)
    expected = optimizer_path(Adam(learning_rate=0.3), valley_grad, start, num_steps)
    w, m, v = start.copy(), np.zeros(2), np.zeros(2)
    for t in range(1, num_steps + 1):
        w, m, v = adam_step(w, m, v, valley_grad(w), t, 0.3)
        assert np.allclose(w, expected[t], rtol=1e-9, atol=1e-12)


@hidden_test("optimisers_early_stopping", after="10-optimisers-16", points=1)
def optimisers_early_stopping(best_epoch):
    """best_epoch passes and keeps the epoch of lowest validation loss on a long noisy run."""
    assert passes("best_epoch", best_epoch)
    rng = np.random.default_rng(10)
    epochs = np.arange(1, 301)
    train = np.exp(-epochs / 40.0) + 0.01 * rng.random(300)
    val = train + 0.2 + 1e-5 * (epochs - 117.0) ** 2 + 0.002 * rng.normal(size=300)
    assert int(best_epoch(train, val)) == int(np.flatnonzero(val == val.min())[0]) + 1
