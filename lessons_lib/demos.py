"""An experiment lesson 07 runs with ``lessons_lib.nn``: the confident-mistake race of BCE against MSE.

It trains a tiny model from a fixed seed and returns plain numbers, so a notebook only
has to plot them and the tests can check the claims the lessons make.
"""
import numpy as np

from .nn import Dense, Sequential
from .optimizers import SGD

__all__ = ["confident_mistake_race"]


def confident_mistake_race(X, y, losses=("binary_crossentropy", "mse"), epochs=60, learning_rate=0.5,
                           start=(-4.0, -2.0)):
    """Train the same sigmoid unit with each loss from a confidently *wrong* start; record the race.

    X: (n, 2), y: (n,) labels 0/1. The weights start at ``start`` (bias 0), pointing the wrong way,
    so the first predictions are confident mistakes. Plain full-batch gradient descent, written out
    as the explicit loop of lesson 07. Returns {loss: {"accuracy": [...], "grad_norm": [...],
    "loss": [...]}}, one entry per epoch: with MSE the sigmoid's flat tails shrink the gradient,
    with binary cross-entropy they do not (lesson 04 explains why; lesson 07 shows it).
    """
    results = {}
    for loss in losses:
        model = Sequential([Dense(1, activation="sigmoid", input_dim=2)])
        model.set_weights([np.array(start, dtype=float).reshape(2, 1), np.zeros(1)])
        model.compile(optimizer=SGD(learning_rate), loss=loss, metrics=["accuracy"])
        record = {"loss": [], "accuracy": [], "grad_norm": []}
        for _ in range(epochs):
            value, grads = model.compute_gradients(X, y)       # forward + backward
            record["loss"].append(value)
            record["grad_norm"].append(float(np.linalg.norm(grads[0])))
            record["accuracy"].append(model.evaluate(X, y, return_dict=True)["accuracy"])
            model.optimizer.step(model.trainable_weights, grads)  # update in place
        results[loss] = record
    return results
