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

from . import _nn_validate as check
from ._validate import as_float_array, check_positive_int
from .activations import _sigmoid, _softmax
from .losses import Loss, get_loss
from .optimizers import get_optimizer

__all__ = ["ACTIVATIONS", "Dense", "Sequential", "History", "TrainingDiverged", "NotCompiledError",
           "NotBuiltError"]


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


class Dense:
    """Fully connected layer: a = activation(x @ W + b), W of shape (in, out), b of shape (out,).

    ``Dense(units, activation=None, input_dim=None, seed=None)``; activation is "linear" (default),
    "relu", "sigmoid", "tanh" or "softmax". Weights start Glorot-uniform (He-uniform for relu),
    biases at 0; the first layer of a model needs ``input_dim`` unless the data fixes it.
    """

    def __init__(self, units, activation=None, input_dim=None, seed=None):
        self.units = check_positive_int(units, "units")
        name = check.activation_name(activation, ACTIVATIONS)
        self.activation = name
        self._act, self._act_backward = ACTIVATIONS[name]
        self.input_dim = None if input_dim is None else check_positive_int(input_dim, "input_dim")
        self.seed = seed
        self.W = self.b = self.dW = self.db = None
        self.x = self.z = self.a = None
        if self.input_dim is not None:
            self.build(self.input_dim, seed)

    def build(self, input_dim, seed=None):
        """Create W (input_dim, units) and b (units,) from ``np.random.default_rng(seed)``."""
        self.input_dim = check_positive_int(input_dim, "input_dim")
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
            raise NotBuiltError("this layer has no weights yet: give it input_dim=... or call build(input_dim).")
        x = check.as_batch(x, "x")
        if x.ndim != 2 or x.shape[1] != self.input_dim:
            raise ValueError(f"this Dense layer expects input of shape (n, {self.input_dim}), got {x.shape}.")
        self.x = x
        self.z = x @ self.W
        self.z += self.b
        self.a = self._act(self.z)
        return self.a

    def backward(self, grad_out, input_grad=True):
        """grad_out = dL/da (n, out) -> stores dW, db; returns dL/dx (n, in) (None if not input_grad)."""
        grad_out = self._check_grad(grad_out, "grad_out = dL/da")
        return self.backward_z(self._act_backward(self.z, self.a, grad_out), input_grad)

    def _check_grad(self, grad, what):
        if self.x is None:
            raise RuntimeError("call forward(x) before backward: backward needs the x, z and a of the "
                               "last forward pass.")
        grad = check.as_batch(grad, what)
        if grad.shape != self.a.shape:  # e.g. (n,) against (n, 1) would broadcast to (n, n)
            raise ValueError(f"{what} has shape {grad.shape}, but the layer's last output has shape "
                             f"{self.a.shape}; the gradient must have exactly the output's shape.")
        return grad

    def backward_z(self, grad_z, input_grad=True):
        """Like ``backward`` but given dL/dz, the gradient at the pre-activation (the fused path).

        dW = x.T @ dz,  db = sum of dz over samples,  dL/dx = dz @ W.T.
        """
        grad_z = self._check_grad(grad_z, "grad_z = dL/dz")
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


class TrainingDiverged(FloatingPointError, ValueError):
    """Raised by ``fit`` when the loss stops being a finite number; ``.history`` keeps the epochs so far.

    A ``FloatingPointError`` and also a ``ValueError``, so either ``except`` catches it.
    """

    def __init__(self, message, history):
        super().__init__(message)
        self.history = history


class NotCompiledError(RuntimeError, ValueError):
    """fit/evaluate/compute_gradients called before ``compile`` (a RuntimeError, as in Keras, and a ValueError)."""


class NotBuiltError(RuntimeError, ValueError):
    """The model (or layer) has no weights yet: no input_dim was given and no data has been seen."""


class Sequential:
    """A stack of layers trained with ``compile`` + ``fit``, in the style of ``keras.Sequential``.

    ``Sequential(layers, seed=None)``: with a seed, every layer without a seed of its own is
    (re)initialised from a stream derived from ``seed``, so the model starts from the same weights
    every run.

    >>> model = Sequential([Dense(4, "relu", input_dim=2), Dense(1, "sigmoid")], seed=0)
    >>> _ = model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    >>> history = model.fit([[0, 0], [1, 1]], [0, 1], epochs=3, verbose=0)
    >>> list(history.history), len(history.history["loss"])
    (['loss', 'accuracy'], 3)
    >>> [w.shape for w in model.get_weights()]
    [(2, 4), (4,), (4, 1), (1,)]
    >>> model.predict([[1, 1]]).shape
    (1, 1)
    >>> model.summary()
    Model: Sequential, input (None, 2)
    --------------------------------------------------
    Layer (type)              Output Shape     Param #
    --------------------------------------------------
    dense_0 (Dense, relu)     (None, 4)     2*4+4 = 12
    dense_1 (Dense, sigmoid)  (None, 1)      4*1+1 = 5
    --------------------------------------------------
    Total params: 17
    """

    def __init__(self, layers=(), seed=None):
        if isinstance(layers, Dense):
            raise TypeError("Sequential takes a list of layers: write Sequential([Dense(...)]), with brackets.")
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
            raise NotBuiltError("the model has no weights yet: give the first layer input_dim=... "
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
        optimizer = get_optimizer(optimizer)
        loss = loss if isinstance(loss, Loss) else get_loss(loss) if isinstance(loss, str) else check.custom_loss(loss)
        check.compile_choices(self.layers, loss)
        last, kind = self.layers[-1], loss.kind
        metrics = check.metric_list(metrics, binary_elementwise=kind == "binary" and last.units > 1
                                    and last.activation != "softmax")
        self.optimizer, self.loss, self.metrics = optimizer, loss, metrics
        if kind == "categorical" and last.activation == "softmax":
            self._fused = get_loss("softmax_cross_entropy")
        elif kind == "binary" and last.activation == "sigmoid":
            self._fused = get_loss("binary_cross_entropy_with_logits")
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
            raise NotCompiledError("call model.compile(optimizer=..., loss=...) before fit, evaluate or "
                                   "compute_gradients, e.g. model.compile(optimizer='adam', loss='mse').")

    # ------------------------------------------------------------------ data (checked in _nn_validate)
    def _inputs(self, X, name="X"):
        X = check.inputs(X, self.layers[0].input_dim, name)
        if self.layers[0].input_dim is None:
            self._build(X.shape[1])                               # the data fixes the input width
        return X

    def _targets(self, y, n, name="y", x_name="X"):
        return check.targets(y, n, self.layers[-1].units, self.loss, name, x_name)

    # ------------------------------------------------------------------ forward, loss, backward
    def forward(self, X):
        """Run X (n, d) through every layer; returns the last layer's output (n, k)."""
        a = X
        for layer in self.layers:
            a = layer.forward(a)
        return a

    def predict(self, X, batch_size=None, verbose=0):
        """Model output for X (n, d): (n, k) probabilities/values.

        ``batch_size`` and ``verbose`` are accepted (and ignored) for Keras parity.
        """
        return self.forward(self._inputs(X)).copy()

    __call__ = predict

    def _loss_and_grad(self, y, out, need_grad=True):
        """Loss value for the last forward pass and, if asked, the gradient fed to the last layer."""
        if not np.isfinite(out).all():
            return float("nan"), None
        last = self.layers[-1]
        if self._fused is not None:                               # gradient at z: softmax(z) - y, etc.
            fused = self._fused
            if need_grad:
                return fused.value_and_grad(y, last.z)
            return fused.fn(y, last.z), None
        loss = self.loss
        value, grad = loss.value_and_grad(y, out) if need_grad else (loss.fn(y, out), None)
        if np.ndim(value) != 0:
            raise ValueError(f"the loss {loss.name!r} returned an array of shape {np.shape(value)}; a loss must "
                             "return a single number, e.g. the mean over the batch: np.mean(...).")
        if need_grad:
            grad = np.asarray(grad, dtype=np.float64)
            if grad.shape != out.shape:     # (n,) against (n, 1) would silently broadcast to (n, n)
                raise ValueError(f"the gradient of the loss {loss.name!r} has shape {grad.shape}, but the model "
                                 f"output y_pred has shape {out.shape}; d loss / d y_pred must have exactly "
                                 "y_pred's shape. Check that y_true and y_pred are not broadcast against "
                                 "each other inside the gradient.")
        return float(value), grad

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
        epochs, batch_size = check.fit_arguments(epochs, batch_size, verbose, validation_data)
        val = None
        if validation_data is not None:
            X_val = self._inputs(validation_data[0], "X_val")
            val = X_val, self._targets(validation_data[1], len(X_val), "y_val", "X_val")
        names = [m.name for m in self.metrics]
        history = History(["loss", *names] + (["val_loss", *("val_" + n for n in names)] if val else []))
        rng = np.random.default_rng(seed)
        for epoch in range(epochs):
            order = rng.permutation(len(X)) if shuffle else slice(None)
            bar = _progress(-(-len(X) // batch_size), epoch, epochs, verbose)
            try:
                averages = self._train_epoch(X[order], y[order], batch_size, epoch, history, bar)
                if val is not None:
                    averages.update({"val_" + key: v for key, v in self._evaluate(*val).items()})
                for key, v in averages.items():
                    history.history[key].append(v)
                history.epoch.append(epoch)
                if bar is not None:
                    bar.set_postfix({k: f"{v[-1]:.4f}" for k, v in history.history.items()}, refresh=False)
            finally:
                if bar is not None:
                    bar.close()
            if verbose == 2:
                print(f"Epoch {epoch + 1}/{epochs} - " +
                      " - ".join(f"{k}: {v[-1]:.4f}" for k, v in history.history.items()))
        return history

    def _train_epoch(self, X, y, batch_size, epoch, history, bar=None):
        """One pass over (X, y) in batches: forward, loss, backward, optimizer step.

        Returns the epoch's loss and metrics, averaged over the batches weighted by batch size.
        """
        n = len(X)
        totals = dict.fromkeys(["loss", *(m.name for m in self.metrics)], 0.0)
        with np.errstate(over="ignore", invalid="ignore"):
            for batch, start in enumerate(range(0, n, batch_size)):
                xb, yb = X[start:start + batch_size], y[start:start + batch_size]
                out = self.forward(xb)
                value, grad = self._loss_and_grad(yb, out)
                if not np.isfinite(value):
                    raise TrainingDiverged(self._diverged_message(epoch, batch), history)
                self._backward(grad)
                self.optimizer.step(self._params(), self._grads())
                totals["loss"] += value * len(xb)
                for name, v in self._metric_values(yb, out).items():
                    totals[name] += v * len(xb)
                if bar is not None:
                    bar.set_postfix(loss=f"{totals['loss'] / (start + len(xb)):.4f}", refresh=False)
                    bar.update(1)
        if not all(np.isfinite(p.sum()) for p in self._params()):   # the very last step overshot
            raise TrainingDiverged(self._diverged_message(epoch, batch, "the weights"), history)
        return {key: total / n for key, total in totals.items()}

    def _diverged_message(self, epoch, batch, what="the loss"):
        lr = getattr(self.optimizer, "learning_rate", None)
        advice = (f"Try a smaller learning rate, e.g. {lr / 10:g} instead of {lr:g}." if lr
                  else "Try a smaller learning rate.")
        return (f"training stopped: {what} became NaN or infinite in epoch {epoch + 1}, batch {batch + 1}. "
                f"The weight updates overshot and grew without bound. {advice} "
                "The epochs completed so far are in the exception's .history.")

    def _evaluate(self, X, y):
        out = self.forward(X)
        value = self._loss_and_grad(y, out, need_grad=False)[0]
        return {"loss": float(value), **self._metric_values(y, out)}

    def evaluate(self, X, y, return_dict=False, *, batch_size=None, verbose=0):
        """Loss (and metrics) on (X, y): a float, or [loss, metric1, ...] if metrics were compiled.

        ``batch_size`` and ``verbose`` are accepted (and ignored) for Keras parity.
        """
        self._require_compiled()
        X = self._inputs(X)
        result = self._evaluate(X, self._targets(y, len(X)))
        if return_dict:
            return result
        return result["loss"] if not self.metrics else list(result.values())

    def __repr__(self):
        return "Sequential([" + ", ".join(map(repr, self.layers)) + "])"


def _progress(num_batches, epoch, epochs, verbose):
    """A tqdm progress bar over one epoch's batches when verbose == 1, else None."""
    if verbose != 1:
        return None
    from tqdm.auto import tqdm  # imported lazily: only needed for progress bars

    return tqdm(total=num_batches, desc=f"Epoch {epoch + 1}/{epochs}", unit="batch", leave=True)
