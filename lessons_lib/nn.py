"""A small neural-network library you can read in one sitting (lesson 07).

Everything a Keras model does when you write

    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    model.fit(X, y, epochs=20, batch_size=32)

happens here in plain NumPy (float64): ``Dense.forward`` computes a = act(x @ W + b), the loss from
``lessons_lib.losses`` measures the mistake and gives dL/da, ``Dense.backward`` applies the chain
rule layer by layer, and an optimizer from ``lessons_lib.optimizers`` moves the weights.

Shapes: X is (n, d) with one sample per row; a Dense layer holds W (in, out) and b (out,).

Fused gradients: when the last activation is softmax and the loss is categorical cross-entropy
(or sigmoid with binary cross-entropy), the model does not differentiate the activation and the loss
separately. It computes the loss from the pre-activation z with ``softmax_cross_entropy`` (or
``binary_cross_entropy_with_logits``), whose gradient is simply softmax(z) - y (or sigmoid(z) - y)
divided by n: the same number, but it never divides by a probability close to 0.
"""
import numpy as np

from ._validate import as_float_array
from .activations import _sigmoid, _softmax
from .losses import (
    Loss,
    binary_cross_entropy_with_logits,
    binary_cross_entropy_with_logits_grad,
    get_loss,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)
from .metrics import get_metric
from .optimizers import get_optimizer

__all__ = ["ACTIVATIONS", "Dense", "Sequential", "History", "TrainingDiverged"]


# ----------------------------------------------------------------------------- activations
# Each entry: forward(z) -> a, and backward(z, a, grad_a) -> grad_z (the chain rule through a = f(z)).

def _softmax_backward(z, a, grad_a):
    # Jacobian-vector product of softmax: da_i/dz_j = a_i (delta_ij - a_j)
    return a * (grad_a - (grad_a * a).sum(axis=1, keepdims=True))


ACTIVATIONS = {
    "linear": (lambda z: z, lambda z, a, g: g),
    "relu": (lambda z: np.maximum(z, 0.0), lambda z, a, g: g * (z > 0)),
    "sigmoid": (_sigmoid, lambda z, a, g: g * a * (1.0 - a)),
    "tanh": (np.tanh, lambda z, a, g: g * (1.0 - a * a)),
    "softmax": (lambda z: _softmax(z, axis=1), _softmax_backward),
}
"""name -> (forward, backward); relu'(0) is taken as 0, as in PyTorch."""


def _check_dim(value, name):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a positive whole number, got {value!r}.")
    return int(value)


class Dense:
    """Fully connected layer: a = activation(x @ W + b), W of shape (in, out), b of shape (out,).

    ``Dense(units, activation=None, input_dim=None, seed=None)``; activation is "linear" (default),
    "relu", "sigmoid", "tanh" or "softmax". Weights start Glorot-uniform (He-uniform for relu),
    biases at 0; the first layer of a model needs ``input_dim`` unless the data fixes it.
    """

    def __init__(self, units, activation=None, input_dim=None, seed=None):
        self.units = _check_dim(units, "units")
        name = "linear" if activation is None else activation
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(ACTIVATIONS)}.")
        self.activation = name
        self._act, self._act_backward = ACTIVATIONS[name]
        self.input_dim = None if input_dim is None else _check_dim(input_dim, "input_dim")
        self.seed = seed
        self.W = self.b = self.dW = self.db = None
        if self.input_dim is not None:
            self.build(self.input_dim, seed)

    def build(self, input_dim, seed=None):
        """Create W (input_dim, units) and b (units,) from ``np.random.default_rng(seed)``."""
        self.input_dim = _check_dim(input_dim, "input_dim")
        rng = np.random.default_rng(self.seed if self.seed is not None else seed)
        fan_in, fan_out = self.input_dim, self.units
        limit = np.sqrt(6.0 / fan_in) if self.activation == "relu" else np.sqrt(6.0 / (fan_in + fan_out))
        self.W = rng.uniform(-limit, limit, size=(fan_in, fan_out))
        self.b = np.zeros(fan_out)

    @property
    def built(self):
        return self.W is not None

    def forward(self, x):
        """x (n, in) -> a (n, out); remembers x, z and a for ``backward``."""
        if not self.built:
            raise RuntimeError("this layer has no weights yet: give it input_dim=... or call build(input_dim).")
        if x.ndim != 2 or x.shape[1] != self.input_dim:
            raise ValueError(f"this Dense layer expects input of shape (n, {self.input_dim}), got {x.shape}.")
        self.x = x
        self.z = x @ self.W
        self.z += self.b
        self.a = self._act(self.z)
        return self.a

    def backward(self, grad_out, input_grad=True):
        """grad_out = dL/da (n, out) -> stores dW, db; returns dL/dx (n, in) (None if not input_grad)."""
        return self.backward_z(self._act_backward(self.z, self.a, grad_out), input_grad)

    def backward_z(self, grad_z, input_grad=True):
        """Like ``backward`` but given dL/dz, the gradient at the pre-activation (the fused path).

        dW = x.T @ dz,  db = sum of dz over samples,  dL/dx = dz @ W.T.
        """
        self.dW = self.x.T @ grad_z
        self.db = grad_z.sum(axis=0)
        return grad_z @ self.W.T if input_grad else None

    def count_params(self):
        return 0 if not self.built else self.W.size + self.b.size

    def __repr__(self):
        shape = f"input_dim={self.input_dim}, " if self.input_dim else ""
        return f"Dense({self.units}, activation={self.activation!r}, {shape}params={self.count_params()})"


class History:
    """What ``fit`` returns: ``history`` maps "loss", "val_loss", "accuracy", ... to one value per epoch."""

    def __init__(self, keys):
        self.history = {key: [] for key in keys}
        self.epoch = []

    def __repr__(self):
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items() if v)
        return f"History(epochs={len(self.epoch)}{', ' + last if last else ''})"


class TrainingDiverged(FloatingPointError):
    """Raised by ``fit`` when the loss stops being a finite number; ``.history`` keeps the epochs so far."""

    def __init__(self, message, history):
        super().__init__(message)
        self.history = history


def _custom_loss(loss):
    """Accept a (loss, gradient) pair of functions f(y_true, y_pred) as a loss."""
    if isinstance(loss, (tuple, list)) and len(loss) == 2 and all(callable(f) for f in loss):
        fn, grad = loss
        return Loss(getattr(fn, "__name__", "custom"), fn, grad, kind="custom")
    raise TypeError("loss must be a name such as 'mse' or 'categorical_crossentropy', a Loss from "
                    "get_loss, or a pair (loss_fn, grad_fn) of functions f(y_true, y_pred).")


class Sequential:
    """A stack of layers trained with ``compile`` + ``fit``, in the style of ``keras.Sequential``.

    ``Sequential(layers, seed=None)``: with a seed, every layer without a seed of its own is
    (re)initialised from a stream derived from ``seed``, so the model starts from the same weights
    every run.
    """

    def __init__(self, layers=(), seed=None):
        self.layers = list(layers)
        if not self.layers or not all(isinstance(layer, Dense) for layer in self.layers):
            raise TypeError("Sequential needs a non-empty list of layers, e.g. Sequential([Dense(3, input_dim=4)]).")
        self.seed = seed
        self._layer_seeds = np.random.SeedSequence(seed).spawn(len(self.layers)) if seed is not None else None
        self.loss = self.optimizer = self._fused = None
        self.metrics = []
        if self.layers[0].input_dim is not None:
            self._build(self.layers[0].input_dim)

    # ------------------------------------------------------------------ building and weights
    def _build(self, input_dim):
        dim = input_dim
        for i, layer in enumerate(self.layers):
            if layer.built and layer.input_dim != dim:
                raise ValueError(f"layer {i} ({layer!r}) expects {layer.input_dim} inputs but receives {dim}.")
            if not layer.built or (layer.seed is None and self._layer_seeds is not None):
                layer.build(dim, None if self._layer_seeds is None else self._layer_seeds[i])
            dim = layer.units

    @property
    def built(self):
        return all(layer.built for layer in self.layers)

    def get_weights(self):
        """Copies of the weights in Keras order [W1, b1, W2, b2, ...]."""
        return [p.copy() for p in self._params()]

    def set_weights(self, weights):
        """Overwrite the weights (Keras order [W1, b1, ...]) in place; shapes must match exactly."""
        params = self._params()
        weights = list(weights)
        if len(weights) != len(params):
            raise ValueError(f"set_weights needs {len(params)} arrays [W1, b1, W2, b2, ...], got {len(weights)}.")
        for i, (p, w) in enumerate(zip(params, weights)):
            w = as_float_array(w, f"weights[{i}]")
            if w.shape != p.shape:
                raise ValueError(f"weights[{i}] has shape {w.shape}, but this model needs {p.shape} there.")
        for p, w in zip(params, weights):
            np.copyto(p, w)

    @property
    def trainable_weights(self):
        """The live weight arrays [W1, b1, W2, b2, ...] (not copies): what an optimizer updates."""
        return self._params()

    def _params(self):
        self._require_built()
        return [p for layer in self.layers for p in (layer.W, layer.b)]

    def _grads(self):
        return [g for layer in self.layers for g in (layer.dW, layer.db)]

    def _require_built(self):
        if not self.built:
            raise RuntimeError("the model has no weights yet: give the first layer input_dim=... "
                               "(or call fit/predict once so the data fixes it).")

    def count_params(self):
        return sum(layer.count_params() for layer in self.layers)

    def summary(self):
        """Print each layer's output shape and parameter count, like Keras' ``model.summary()``."""
        self._require_built()
        rows = [(f"dense_{i} (Dense, {layer.activation})", f"(None, {layer.units})",
                 f"{layer.input_dim}*{layer.units}+{layer.units} = {layer.count_params()}")
                for i, layer in enumerate(self.layers)]
        widths = [max(len(r[c]) for r in rows + [("Layer (type)", "Output Shape", "Param #")]) for c in range(3)]
        line = "  ".join(["{:<%d}" % widths[0], "{:<%d}" % widths[1], "{:>%d}" % widths[2]])
        rule = "-" * (sum(widths) + 4)
        print(f"Model: Sequential, input (None, {self.layers[0].input_dim})")
        print(rule)
        print(line.format("Layer (type)", "Output Shape", "Param #"))
        print(rule)
        for row in rows:
            print(line.format(*row))
        print(rule)
        print(f"Total params: {self.count_params()}")

    # ------------------------------------------------------------------ compile
    def compile(self, optimizer="sgd", loss="mse", metrics=None):
        """Choose how to learn: an optimizer, a loss (name, Loss or (fn, grad) pair) and metrics.

        Checks that the last activation suits the loss, and picks the fused gradient for
        softmax + categorical cross-entropy and sigmoid + binary cross-entropy.
        """
        self.optimizer = get_optimizer(optimizer)
        self.loss = loss if isinstance(loss, Loss) else get_loss(loss) if isinstance(loss, str) else _custom_loss(loss)
        self.metrics = [get_metric(m) for m in (metrics or [])]
        last, kind = self.layers[-1], self.loss.kind
        if self.loss.from_logits and last.activation in ("softmax", "sigmoid"):
            raise ValueError(f"loss {self.loss.name!r} expects raw scores (logits), but the last layer already "
                             f"applies {last.activation}. Use activation='linear' in the last layer, or the "
                             "probability version of the loss (e.g. 'categorical_crossentropy').")
        if kind == "categorical" and not self.loss.from_logits and last.activation != "softmax":
            raise ValueError(f"categorical cross-entropy needs probabilities from a softmax, but the last layer "
                             f"uses {last.activation!r}. Use Dense({last.units}, activation='softmax').")
        if kind == "categorical" and last.units < 2:
            raise ValueError("categorical cross-entropy needs one output unit per class (at least 2); for two "
                             "classes you can also use Dense(1, activation='sigmoid') with 'binary_crossentropy'.")
        if kind == "binary" and not self.loss.from_logits and last.activation not in ("sigmoid", "softmax"):
            raise ValueError(f"binary cross-entropy needs probabilities, but the last layer uses "
                             f"{last.activation!r}. Use activation='sigmoid' in the last layer.")
        if kind == "categorical" and last.activation == "softmax":
            self._fused = (softmax_cross_entropy, softmax_cross_entropy_grad)
        elif kind == "binary" and last.activation == "sigmoid":
            self._fused = (binary_cross_entropy_with_logits, binary_cross_entropy_with_logits_grad)
        else:
            self._fused = None
        return self

    @property
    def fused(self):
        """True when the loss gradient is taken at the pre-activation z (softmax/sigmoid + cross-entropy)."""
        self._require_compiled()
        return self._fused is not None

    def _require_compiled(self):
        if self.loss is None:
            raise RuntimeError("call model.compile(optimizer=..., loss=...) before fit, evaluate or "
                               "compute_gradients, e.g. model.compile(optimizer='adam', loss='mse').")

    # ------------------------------------------------------------------ data checks
    def _inputs(self, X):
        X = as_float_array(X, "X")
        first = self.layers[0]
        if X.ndim == 1:
            raise ValueError(f"X has shape {X.shape}: one row per sample is needed, shape (n, features). "
                             "For a single feature use X.reshape(-1, 1); for a single sample X.reshape(1, -1).")
        if X.ndim != 2:
            raise ValueError(f"X must have shape (n, features), got {X.shape}; flatten each sample first, "
                             "e.g. X.reshape(len(X), -1).")
        if first.input_dim is None:
            self._build(X.shape[1])
        elif X.shape[1] != first.input_dim:
            raise ValueError(f"X has {X.shape[1]} features per sample (shape {X.shape}) but the first layer "
                             f"was built with input_dim={first.input_dim}. Pass data with {first.input_dim} "
                             f"columns or build the model with input_dim={X.shape[1]}.")
        return X

    def _targets(self, y, n):
        """Check y against the loss and the output width k; return it shaped for the loss."""
        y = as_float_array(y, "y")
        k, kind, name = self.layers[-1].units, self.loss.kind, self.loss.name
        if y.ndim == 0 or len(y) != n:
            raise ValueError(f"X has {n} samples but y has {0 if y.ndim == 0 else len(y)}; "
                             "give exactly one target per row of X.")
        if kind == "categorical":
            if y.ndim == 2 and y.shape[1] == 1 and k > 1:
                raise ValueError(f"y has shape {y.shape}, a column of class indices; pass y.ravel() (shape ({n},)).")
            if y.ndim == 1:
                whole = np.all(y == np.round(y))
                if not whole or y.min() < 0 or y.max() >= k:
                    raise ValueError(f"{name} with {k} output units needs class indices 0..{k - 1}, but y holds "
                                     f"values from {y.min():g} to {y.max():g}. Use as many softmax units as "
                                     "classes, or one-hot rows of width k.")
                return y
            if y.ndim == 2 and y.shape[1] != k:
                raise ValueError(f"y has rows of width {y.shape[1]} but the model outputs {k} class probabilities. "
                                 f"Use one_hot(labels, {k}) or make the last layer Dense({y.shape[1]}, "
                                 "activation='softmax').")
        elif kind in ("binary", "regression"):
            if y.ndim == 1 and k == 1:
                y = y[:, None]                                   # explicit reshape, never broadcasting
            elif y.ndim == 1:
                raise ValueError(f"y has shape {y.shape} but the model outputs {k} values per sample; "
                                 f"y needs shape ({n}, {k}).")
            elif y.ndim != 2 or y.shape[1] != k:
                raise ValueError(f"y has shape {y.shape} but the model outputs shape ({n}, {k}); they must match.")
            if kind == "binary" and ((y < 0) | (y > 1)).any():
                top = y.max()
                if np.all(y == np.round(y)) and y.min() >= 0:
                    raise ValueError(f"binary cross-entropy needs labels 0 or 1, but y looks like class indices "
                                     f"0..{top:g}. For {top + 1:g} classes use Dense({top + 1:g}, "
                                     "activation='softmax') with loss='categorical_crossentropy'.")
                raise ValueError("binary cross-entropy needs labels in [0, 1] (0/1, or soft labels); "
                                 f"y holds values from {y.min():g} to {top:g}. Labels -1/+1 become 0/1 via (y + 1) / 2.")
        elif y.ndim == 1 and k == 1:                             # custom loss: match the (n, 1) output
            y = y[:, None]
        return y

    # ------------------------------------------------------------------ forward, loss, backward
    def forward(self, X):
        """Run X (n, d) through every layer; returns the last layer's output (n, k)."""
        a = X
        for layer in self.layers:
            a = layer.forward(a)
        return a

    def predict(self, X, batch_size=None):
        """Model output for X (n, d): (n, k) probabilities/values. ``batch_size`` is accepted for Keras parity."""
        return self.forward(self._inputs(X)).copy()

    __call__ = predict

    def _loss_and_grad(self, y, out, need_grad=True):
        """Loss value for the last forward pass and, if asked, the gradient fed to the last layer."""
        if not np.isfinite(out).all():
            return float("nan"), None
        last = self.layers[-1]
        if self._fused is not None:                               # gradient at z: softmax(z) - y, etc.
            fn, grad = self._fused
            return fn(y, last.z), (grad(y, last.z) if need_grad else None)
        value = self.loss.fn(y, out)
        return value, (self.loss.grad(y, out) if need_grad else None)

    def _backward(self, grad):
        last = self.layers[-1]
        grad = last.backward_z(grad, len(self.layers) > 1) if self._fused is not None else \
            last.backward(grad, len(self.layers) > 1)
        for i in range(len(self.layers) - 2, -1, -1):
            grad = self.layers[i].backward(grad, input_grad=i > 0)  # the input X needs no gradient

    def compute_loss(self, X, y):
        """The loss (a float) of the model on (X, y), exactly as ``fit`` minimises it."""
        self._require_compiled()
        X = self._inputs(X)
        out = self.forward(X)
        return float(self._loss_and_grad(self._targets(y, len(X)), out, need_grad=False)[0])

    def compute_gradients(self, X, y):
        """One forward + backward pass: returns (loss, [dW1, db1, dW2, db2, ...]) without updating."""
        self._require_compiled()
        X = self._inputs(X)
        y = self._targets(y, len(X))
        value, grad = self._loss_and_grad(y, self.forward(X))
        if grad is None:
            raise FloatingPointError("the model output is not finite; the weights have diverged.")
        self._backward(grad)
        return float(value), [g.copy() for g in self._grads()]

    def _metric_values(self, y, out):
        if self.loss.from_logits:                                 # metrics read probabilities
            out = _softmax(out, axis=1) if self.loss.kind == "categorical" else _sigmoid(out)
        return {m.name: float(m(y, out)) for m in self.metrics}

    # ------------------------------------------------------------------ training
    def fit(self, X, y, epochs=1, batch_size=32, validation_data=None, shuffle=True, seed=None, verbose=1):
        """Mini-batch gradient descent; returns a ``History``.

        Each epoch visits every sample once in batches of ``batch_size`` (reshuffled with
        ``np.random.default_rng(seed)`` when ``shuffle``): forward, loss, backward, optimizer step.
        The epoch's "loss" and metrics are averages over its batches, weighted by batch size (as
        in Keras); "val_*" entries are computed on ``validation_data=(X_val, y_val)`` after the epoch.
        verbose: 0 silent, 1 a progress bar per epoch, 2 one line per epoch.
        """
        self._require_compiled()
        X = self._inputs(X)
        y = self._targets(y, len(X))
        epochs = _check_dim(epochs, "epochs")
        batch_size = _check_dim(batch_size, "batch_size")
        if verbose not in (0, 1, 2):
            raise ValueError(f"verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch), got {verbose!r}.")
        if validation_data is not None:
            if not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2:
                raise TypeError("validation_data must be a pair (X_val, y_val).")
            X_val = self._inputs(validation_data[0])
            y_val = self._targets(validation_data[1], len(X_val))
        names = [m.name for m in self.metrics]
        keys = ["loss", *names] + (["val_loss", *("val_" + n for n in names)] if validation_data is not None else [])
        history = History(keys)
        rng = np.random.default_rng(seed)
        n = len(X)
        starts = range(0, n, batch_size)
        for epoch in range(epochs):
            order = rng.permutation(n) if shuffle else None
            totals = dict.fromkeys(["loss", *names], 0.0)
            batches = _progress(starts, epoch, epochs, verbose)
            with np.errstate(over="ignore", invalid="ignore"):
                for start in batches:
                    idx = order[start:start + batch_size] if shuffle else slice(start, start + batch_size)
                    xb, yb = X[idx], y[idx]
                    out = self.forward(xb)
                    value, grad = self._loss_and_grad(yb, out)
                    if not np.isfinite(value):
                        raise TrainingDiverged(self._diverged_message(epoch, start // batch_size), history)
                    self._backward(grad)
                    self.optimizer.step(self._params(), self._grads())
                    m = len(xb)
                    totals["loss"] += value * m
                    for name, v in self._metric_values(yb, out).items():
                        totals[name] += v * m
                    if verbose == 1:
                        batches.set_postfix(loss=f"{totals['loss'] / min(start + m, n):.4f}", refresh=False)
            for key, total in totals.items():
                history.history[key].append(total / n)
            if validation_data is not None:
                val = self._evaluate(X_val, y_val)
                for key, v in val.items():
                    history.history["val_" + key].append(v)
            history.epoch.append(epoch)
            if verbose == 2:
                print(f"Epoch {epoch + 1}/{epochs} - " +
                      " - ".join(f"{k}: {v[-1]:.4f}" for k, v in history.history.items()))
        return history

    def _diverged_message(self, epoch, batch):
        lr = getattr(self.optimizer, "learning_rate", None)
        advice = (f"Try a smaller learning rate, e.g. {lr / 10:g} instead of {lr:g}." if lr
                  else "Try a smaller learning rate.")
        return (f"training stopped: the loss became NaN or infinite in epoch {epoch + 1}, batch {batch + 1}. "
                f"The weight updates overshot and grew without bound. {advice} "
                "The epochs completed so far are in the exception's .history.")

    def _evaluate(self, X, y):
        out = self.forward(X)
        value = self._loss_and_grad(y, out, need_grad=False)[0]
        return {"loss": float(value), **self._metric_values(y, out)}

    def evaluate(self, X, y, return_dict=False):
        """Loss (and metrics) on (X, y): a float, or [loss, metric1, ...] if metrics were compiled."""
        self._require_compiled()
        X = self._inputs(X)
        result = self._evaluate(X, self._targets(y, len(X)))
        if return_dict:
            return result
        return result["loss"] if not self.metrics else list(result.values())

    def __repr__(self):
        return "Sequential([" + ", ".join(map(repr, self.layers)) + "])"


def _progress(starts, epoch, epochs, verbose):
    """The batches of one epoch, wrapped in a tqdm progress bar when verbose == 1."""
    if verbose != 1:
        return starts
    from tqdm.auto import tqdm  # imported lazily: only needed for progress bars

    return tqdm(starts, desc=f"Epoch {epoch + 1}/{epochs}", unit="batch", leave=True)
