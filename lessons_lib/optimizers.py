"""Gradient-descent optimizers with PyTorch's exact update rules (lesson 07).

An optimizer turns gradients into weight updates. ``step(params, grads)`` changes every array in
``params`` *in place* (so a layer's ``W`` and ``b`` stay the same objects) and keeps any memory it
needs (momentum, running averages) per parameter array. Like a torch.optim optimizer, that memory
belongs to the arrays it was built for: handing the same optimizer object the weights of a
*different* model (other arrays) starts it afresh, so a reused ``Adam(0.01)`` behaves like a new one.

    SGD:   buf = g (first step) or momentum * buf + g;   p -= lr * buf     (torch.optim.SGD)
    Adam:  m = b1 m + (1 - b1) g;   v = b2 v + (1 - b2) g**2;   t = step number
           p -= lr / (1 - b1**t) * m / (sqrt(v) / sqrt(1 - b2**t) + eps)      (torch.optim.Adam)
"""
import numbers

import numpy as np

from ._validate import check_positive_number

__all__ = ["Optimizer", "SGD", "Adam", "get_optimizer"]


def _check_fraction(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0.0 <= value < 1.0:
        raise ValueError(f"{name} must be a number in [0, 1), got {value!r}.")
    return float(value)


class Optimizer:
    """Base class: holds ``learning_rate`` and the step counter; subclasses implement ``_update``.

    ``iterations`` counts the steps taken on the current parameter arrays.
    """

    def __init__(self, learning_rate):
        self.learning_rate = check_positive_number(learning_rate, "learning_rate")
        self.iterations = 0
        self._state = None
        self._params = None

    def step(self, params, grads):
        """Update each array in ``params`` in place from the matching array in ``grads``."""
        params, grads = list(params), list(grads)
        if len(params) != len(grads):
            raise ValueError(f"got {len(params)} parameter arrays but {len(grads)} gradients; they must pair up.")
        for i, (p, g) in enumerate(zip(params, grads)):
            if not isinstance(p, np.ndarray) or p.dtype != np.float64:
                raise TypeError(f"parameter {i} must be a float64 NumPy array (it is updated in place).")
            if np.shape(g) != p.shape:
                raise ValueError(f"gradient {i} has shape {np.shape(g)} but its parameter has shape {p.shape}.")
        if self._state is None or len(self._params) != len(params) or \
                any(p is not q for p, q in zip(params, self._params)):
            # new arrays (a fresh model, or a rebuilt one): momentum from other weights must not leak in
            self.reset()
            self._params = params
            self._state = [self._init_state(p) for p in params]
        self.iterations += 1
        for p, g, state in zip(params, grads, self._state):
            self._update(p, np.asarray(g, dtype=np.float64), state)

    def reset(self):
        """Forget momentum / running averages and the step count (e.g. before training a fresh model)."""
        self.iterations = 0
        self._state = None
        self._params = None

    def _init_state(self, p):
        return {}

    def _update(self, p, g, state):
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum; torch.optim.SGD's rule.

    ``SGD(learning_rate=0.01, momentum=0.0, nesterov=False)``. With momentum 0 this is ``p -= lr * g``.
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False):
        super().__init__(learning_rate)
        self.momentum = _check_fraction(momentum, "momentum")
        if nesterov and self.momentum == 0.0:
            raise ValueError("nesterov=True needs a momentum > 0, e.g. SGD(0.1, momentum=0.9, nesterov=True).")
        self.nesterov = bool(nesterov)

    def _init_state(self, p):
        return {"buf": None}

    def _update(self, p, g, state):
        lr, mu = self.learning_rate, self.momentum
        if mu == 0.0:
            p -= lr * g
            return
        buf = state["buf"]
        if buf is None:
            buf = state["buf"] = g.copy()  # PyTorch starts the velocity at the first gradient
        else:
            buf *= mu
            buf += g
        p -= lr * (g + mu * buf if self.nesterov else buf)

    def __repr__(self):
        return f"SGD(learning_rate={self.learning_rate:g}, momentum={self.momentum:g}, nesterov={self.nesterov})"


class Adam(Optimizer):
    """Adam (Kingma & Ba) with bias correction, exactly as torch.optim.Adam (no weight decay).

    ``Adam(learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-8)``: keeps a running mean ``m``
    and a running mean of squares ``v`` of each gradient, so every weight gets its own step size.
    """

    def __init__(self, learning_rate=1e-3, beta_1=0.9, beta_2=0.999, epsilon=1e-8):
        super().__init__(learning_rate)
        self.beta_1 = _check_fraction(beta_1, "beta_1")
        self.beta_2 = _check_fraction(beta_2, "beta_2")
        self.epsilon = check_positive_number(epsilon, "epsilon")

    def _init_state(self, p):
        return {"m": np.zeros_like(p), "v": np.zeros_like(p), "buf": np.empty_like(p)}

    def _update(self, p, g, state):
        b1, b2, t = self.beta_1, self.beta_2, self.iterations
        m, v, buf = state["m"], state["v"], state["buf"]
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        np.multiply(g, g, out=buf)
        buf *= 1.0 - b2
        v += buf
        step_size = self.learning_rate / (1.0 - b1 ** t)
        np.sqrt(v, out=buf)                      # buf = sqrt(v) / sqrt(1 - b2**t) + eps
        buf /= np.sqrt(1.0 - b2 ** t)
        buf += self.epsilon
        np.divide(m, buf, out=buf)
        buf *= step_size
        p -= buf

    def __repr__(self):
        return (f"Adam(learning_rate={self.learning_rate:g}, beta_1={self.beta_1:g}, "
                f"beta_2={self.beta_2:g}, epsilon={self.epsilon:g})")


_OPTIMIZERS = {"sgd": SGD, "adam": Adam}


def get_optimizer(optimizer):
    """Return an optimizer object from a name ("sgd", "adam": default settings) or an object with ``step``.

    >>> get_optimizer("adam")
    Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-08)
    """
    if isinstance(optimizer, str):
        try:
            return _OPTIMIZERS[optimizer.strip().lower()]()
        except KeyError:
            raise ValueError(f"unknown optimizer {optimizer!r}; use 'sgd' or 'adam', or pass an object "
                             "such as SGD(learning_rate=0.1, momentum=0.9).") from None
    if isinstance(optimizer, type) and issubclass(optimizer, Optimizer):
        raise TypeError(f"pass an optimizer object, e.g. {optimizer.__name__}(learning_rate=0.01), not the class.")
    if callable(getattr(optimizer, "step", None)):
        return optimizer
    raise TypeError(f"optimizer must be 'sgd', 'adam' or an object with a step(params, grads) method, "
                    f"got {type(optimizer).__name__}.")
