"""Input checks for ``lessons_lib.nn``: what a model is given is checked here, so nn.py shows only the model.

Each check raises a ValueError/TypeError that says what is wrong and how to fix it, in Keras'
vocabulary (X (n, features), y one target per row, one-hot rows, class indices, ...).
"""
import numpy as np

from ._validate import as_float_array, check_positive_int
from .losses import Loss
from .metrics import Metric, accuracy, binary_accuracy, get_metric


def as_data(x, name):
    """Training data as float64, with data-specific messages for empty or non-finite input."""
    try:
        return as_float_array(x, name)
    except ValueError as err:
        try:
            arr = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError):
            raise err from None                                  # ragged lists: the original message
        if arr.size == 0:
            raise ValueError(f"{name} is empty (shape {arr.shape}); training and prediction need at least "
                             "one sample.") from None
        bad = ~np.isfinite(arr)
        if bad.any():
            where = tuple(int(i) for i in np.argwhere(bad)[0]) if arr.ndim else ()
            raise ValueError(f"{name} contains {arr[where]} at index {where} ({int(bad.sum())} NaN/infinite "
                             "value(s) in all). A network cannot learn from missing values: drop those rows or "
                             "fill them in (e.g. with the column mean) before calling the model.") from None
        raise


def activation_name(activation, names):
    if activation is None:
        return "linear"
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a name such as 'relu' (one of {', '.join(names)}), "
                        f"got {type(activation).__name__} {activation!r}.")
    name = activation.strip().lower()
    if name not in names:
        raise ValueError(f"unknown activation {activation!r}; choose one of {', '.join(names)}.")
    return name


def as_batch(x, name):
    """x as a float64 array; the fast path (already float64) costs nothing."""
    if isinstance(x, np.ndarray) and x.dtype == np.float64:
        return x
    return as_float_array(x, name)



def custom_loss(loss):
    """Accept a (loss, gradient) pair of functions f(y_true, y_pred) as a loss."""
    if isinstance(loss, (tuple, list)) and len(loss) == 2 and all(callable(f) for f in loss):
        fn, grad = loss
        return Loss(getattr(fn, "__name__", "custom"), fn, grad, kind="custom")
    raise TypeError("loss must be a name such as 'mse' or 'categorical_crossentropy', a Loss from "
                    "get_loss, or a pair (loss_fn, grad_fn) of functions f(y_true, y_pred).")


def metric_list(metrics, binary_elementwise=False):
    """compile's metrics argument -> list of Metric; a single name is accepted as a list of one.

    With ``binary_elementwise`` (a binary loss on k > 1 sigmoid outputs, i.e. multi-label), "accuracy"
    compares every output with its own 0/1 label, as Keras' binary_accuracy does, instead of argmax.
    """
    if metrics is None:
        metrics = []
    elif isinstance(metrics, (str, Metric)) or callable(metrics):
        metrics = [metrics]
    elif not isinstance(metrics, (list, tuple)):
        raise TypeError(f"metrics must be a list such as ['accuracy'], got {type(metrics).__name__}.")
    result = [get_metric(m) for m in metrics]
    if binary_elementwise:
        result = [Metric(m.name, binary_accuracy) if m.fn is accuracy else m for m in result]
    names = [m.name for m in result]
    for name in names:
        if name == "loss" or name.startswith("val_"):
            raise ValueError(f"a metric cannot be called {name!r}: History uses that key for the loss. "
                             "Rename the metric function.")
        if names.count(name) > 1:
            raise ValueError(f"metric {name!r} is listed twice (names and aliases such as 'mae' and "
                             "'mean_absolute_error' count as the same metric).")
    return result


def inputs(X, input_dim, name="X"):
    """X as a float64 array (n, features); ``input_dim`` None means the data may fix the width."""
    X = as_data(X, name)
    if X.ndim == 1:
        raise ValueError(f"{name} has shape {X.shape}: one row per sample is needed, shape (n, features). "
                         f"For a single feature use {name}.reshape(-1, 1); for a single sample "
                         f"{name}.reshape(1, -1).")
    if X.ndim != 2:
        raise ValueError(f"{name} must have shape (n, features), got {X.shape}; flatten each sample first, "
                         f"e.g. {name}.reshape(len({name}), -1).")
    if input_dim is not None and X.shape[1] != input_dim:
        raise ValueError(f"{name} has {X.shape[1]} features per sample (shape {X.shape}) but the first layer "
                         f"was built with input_dim={input_dim}. Pass data with {input_dim} "
                         f"columns or build the model with input_dim={X.shape[1]}.")
    return X


def targets(y, n, k, loss, name="y", x_name="X"):
    """Check y against the loss and the output width k; return it shaped for the loss."""
    y = as_data(y, name)
    kind, loss_name = loss.kind, loss.name
    if y.ndim == 0 or len(y) != n:
        raise ValueError(f"{x_name} has {n} samples but {name} has {0 if y.ndim == 0 else len(y)}; "
                         f"give exactly one target per row of {x_name}.")
    whole = bool(np.all(y == np.round(y)))
    if kind == "categorical":
        if y.ndim == 2 and y.shape[1] == 1 and k > 1:
            raise ValueError(f"{name} has shape {y.shape}, a column of class indices; pass {name}.ravel() "
                             f"(shape ({n},)).")
        if y.ndim == 1:
            if not whole or y.min() < 0 or y.max() >= k:
                raise ValueError(f"{loss_name} with {k} output units needs class indices 0..{k - 1}, but "
                                 f"{name} holds values from {y.min():g} to {y.max():g}. Use as many softmax "
                                 "units as classes, or one-hot rows of width k.")
            return y
        if y.ndim != 2:
            raise ValueError(f"{name} has shape {y.shape}; {loss_name} needs class indices ({n},) or one-hot "
                             f"rows ({n}, {k}).")
        if y.shape[1] != k:
            raise ValueError(f"{name} has rows of width {y.shape[1]} but the model outputs {k} class "
                             f"probabilities. Use one_hot(labels, {k}) or make the last layer "
                             f"Dense({y.shape[1]}, activation='softmax').")
        bad = np.flatnonzero(((y < 0) | (y > 1)).any(axis=1) | (np.abs(y.sum(axis=1) - 1.0) > 1e-6))
        if bad.size:
            raise ValueError(f"row {bad[0]} of {name} is {y[bad[0]].tolist()}, but {loss_name} needs one-hot "
                             "(or probability) rows: entries in [0, 1] that sum to 1. For class indices pass "
                             f"a flat array of shape ({n},).")
    elif kind in ("binary", "regression"):
        if y.ndim == 1 and k == 1:
            y = y[:, None]                                   # explicit reshape, never broadcasting
        elif y.ndim == 1:
            hint = ""
            if whole and y.min() >= 0 and y.max() < k:
                hint = (f" These look like class indices: turn them into one-hot rows with "
                        f"one_hot({name}, {k}), or use loss='categorical_crossentropy', which takes indices.")
            raise ValueError(f"{name} has shape {y.shape} but the model outputs {k} values per sample; "
                             f"{name} needs shape ({n}, {k}).{hint}")
        elif y.ndim != 2 or y.shape[1] != k:
            hint = ""
            if kind == "binary" and k == 1 and y.ndim == 2 and y.shape[1] == 2:
                hint = (f" For one sigmoid unit pass one 0/1 label per sample, e.g. {name}[:, 1] of one-hot "
                        "rows; or use Dense(2, activation='softmax') with 'categorical_crossentropy'.")
            raise ValueError(f"{name} has shape {y.shape} but the model outputs shape ({n}, {k}); they must "
                             f"match.{hint}")
        if kind == "binary" and ((y < 0) | (y > 1)).any():
            top = y.max()
            if whole and y.min() >= 0:
                raise ValueError(f"binary cross-entropy needs labels 0 or 1, but {name} looks like class "
                                 f"indices 0..{top:g}. For {top + 1:g} classes use Dense({top + 1:g}, "
                                 "activation='softmax') with loss='categorical_crossentropy'.")
            raise ValueError(f"binary cross-entropy needs labels in [0, 1] (0/1, or soft labels); {name} "
                             f"holds values from {y.min():g} to {top:g}. Labels -1/+1 become 0/1 via "
                             "(y + 1) / 2.")
    elif y.ndim == 1 and k == 1:                             # custom loss: match the (n, 1) output
        y = y[:, None]
    return y


def compile_choices(layers, loss):
    """The last layer's activation must suit the loss (and no layer may be a one-unit softmax)."""
    for i, layer in enumerate(layers):
        if layer.activation == "softmax" and layer.units == 1:
            raise ValueError(f"layer {i} is Dense(1, activation='softmax'): a softmax over a single unit always "
                             "outputs 1.0, so nothing can be learned. For two classes use Dense(1, "
                             "activation='sigmoid') with 'binary_crossentropy', or Dense(2, activation='softmax') "
                             "with 'categorical_crossentropy'.")
    last, kind = layers[-1], loss.kind
    if loss.from_logits and last.activation in ("softmax", "sigmoid"):
        raise ValueError(f"loss {loss.name!r} expects raw scores (logits), but the last layer already "
                         f"applies {last.activation}. Use activation='linear' in the last layer, or the "
                         "probability version of the loss (e.g. 'categorical_crossentropy').")
    if kind == "categorical" and not loss.from_logits and last.activation != "softmax":
        raise ValueError(f"categorical cross-entropy needs probabilities from a softmax, but the last layer "
                         f"uses {last.activation!r}. Use Dense({last.units}, activation='softmax').")
    if kind == "categorical" and last.units < 2:
        raise ValueError("categorical cross-entropy needs one output unit per class (at least 2); for two "
                         "classes you can also use Dense(1, activation='sigmoid') with 'binary_crossentropy'.")
    if kind == "binary" and not loss.from_logits and last.activation not in ("sigmoid", "softmax"):
        raise ValueError(f"binary cross-entropy needs probabilities, but the last layer uses "
                         f"{last.activation!r}. Use activation='sigmoid' in the last layer.")


def fit_arguments(epochs, batch_size, verbose, validation_data):
    """fit's settings checked: returns (epochs, batch_size); batch_size None means Keras' default 32."""
    epochs = check_positive_int(epochs, "epochs")
    batch_size = 32 if batch_size is None else check_positive_int(batch_size, "batch_size")
    if verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be 0 (silent), 1 (progress bar) or 2 (one line per epoch), got {verbose!r}.")
    if validation_data is not None and (not isinstance(validation_data, (tuple, list)) or len(validation_data) != 2):
        raise TypeError("validation_data must be a pair (X_val, y_val).")
    return epochs, batch_size
