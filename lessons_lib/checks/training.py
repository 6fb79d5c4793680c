"""Checks for the "implement it" exercises of lessons 06-08: gradient descent, a dense layer, a training loop
and a custom loss with its gradient.

Exercise ids (solution notebook in brackets):

    gd_step               gd_step(w, grad, lr) -> w - lr * grad                       [06_loss_landscape]
    gd_run                gd_run(x, y, w0, lr, num_steps) -> w after num_steps steps   [06_loss_landscape]
    lr_critical           the learning rate above which gradient descent diverges       [06_loss_landscape]
    dense_forward         dense_forward(X, W, b) -> X @ W + b                           [07_training_loop]
    dense_backward        dense_backward(X, W, grad_out) -> (dX, dW, db)                [07_training_loop]
    train_linear          train_linear(X, y, num_epochs, lr, seed) -> (w, b, losses)    [07_training_loop]
    asymmetric_loss       under-prediction costs under_weight times more                [08_choosing_a_loss]
    asymmetric_loss_grad  its gradient, checked against finite differences              [08_choosing_a_loss]

Every checker compares with a small NumPy reference written here (independent of ``lessons_lib.nn``),
and each catalogued misconception is a wrong implementation whose output the learner's is matched to.
"""
import numpy as np

from ..gradcheck import numerical_gradient
from . import probes as rp
from .diagnosis import Contract, Misconception, Probe, compare_value, diagnose_function
from .parts import diagnose_parts, part
from .registry import register

# --------------------------------------------------------------------------- lesson 06: gradient descent


def ref_gd_step(w, grad, lr):
    """One gradient-descent step: w_new = w - lr * grad (same shape as w). Lesson 06."""
    return np.asarray(w, dtype=np.float64) - lr * np.asarray(grad, dtype=np.float64)


GD_STEP_MISCONCEPTIONS = [
    Misconception(
        "gradient_ascent",
        "You moved *up* the slope: the gradient points towards higher loss, so the step must subtract it "
        "(w - lr * grad), not add it.",
        lambda w, grad, lr: np.asarray(w) + lr * np.asarray(grad)),
    Misconception(
        "lr_not_applied",
        "The learning rate is missing: the step should be lr * grad, not the whole gradient.",
        lambda w, grad, lr: np.asarray(w) - np.asarray(grad)),
    Misconception(
        "divided_by_lr",
        "You divided the gradient by the learning rate; the step is the gradient *times* lr.",
        lambda w, grad, lr: np.asarray(w) - np.asarray(grad) / lr),
    Misconception(
        "returned_only_the_step",
        "You returned only the step (lr * grad); return the new weights w - lr * grad.",
        lambda w, grad, lr: -lr * np.asarray(grad)),
]

GD_STEP_PROBES = [
    {"w": np.array([1.0, -2.0]), "grad": np.array([0.5, -1.0]), "lr": 0.1},
    {"w": 3.0, "grad": 2.0, "lr": 0.5},
    {"w": np.array([[0.2, 0.4], [-0.6, 1.0]]), "grad": np.array([[1.0, -2.0], [0.0, 3.0]]), "lr": 0.01},
    {"w": np.array([5.0]), "grad": np.array([0.0]), "lr": 0.3},  # at a minimum nothing moves
]


def _gd_step_random(rng):
    out = []
    for shape, dtype in rp.shapes():
        w = rng.normal(0.0, 2.0, size=shape).astype(dtype)
        g = rng.normal(0.0, 3.0, size=shape).astype(dtype)
        out.append(rp.probe({"w": w, "grad": g, "lr": float(np.round(rng.uniform(0.01, 0.9), 4))}))
    out.append(rp.probe({"w": float(rng.normal()), "grad": float(rng.normal()), "lr": 0.037}))
    return out


GD_STEP_CONTRACT = Contract(random=_gd_step_random, seed=601)


@register("gd_step", title="One gradient-descent step", points=1, misconceptions=GD_STEP_MISCONCEPTIONS,
          contract=GD_STEP_CONTRACT, hints=[
    "The gradient points in the direction in which the loss grows fastest. Which way do you want to go?",
    "Take a step of size lr against the gradient: new w = old w minus lr times the gradient.",
    "Check the sign on a tiny case: w = 1, grad = 2, lr = 0.1 must give 0.8 (numbers and arrays alike).",
])
def check_gd_step(submission):
    """gd_step(w, grad, lr) returns w - lr * grad for numbers and arrays of any shape."""
    return diagnose_function(submission, ref_gd_step, GD_STEP_PROBES, GD_STEP_MISCONCEPTIONS,
                             what="the new w", contract=GD_STEP_CONTRACT)


def _gd_run(x, y, w0, lr, num_steps, *, sign=-1.0, factor=2.0, use_x=True, reduce=np.mean,
            use_loss=False, apply_lr=True):
    """Gradient descent on L(w) = mean((w x - y)**2); keyword arguments build the wrong versions."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    w = float(w0)
    for _ in range(int(num_steps)):  # each step needs the previous w: the loop is inherent
        r = w * x - y
        if use_loss:
            g = np.mean(r ** 2)
        else:
            g = factor * reduce(r * x if use_x else r)
        w = w + sign * (lr if apply_lr else 1.0) * g
    return w


def ref_gd_run(x, y, w0, lr, num_steps):
    """w after num_steps of gradient descent on L(w) = mean((w x - y)**2), dL/dw = 2 mean((w x - y) x).

    x, y: shape (n,); w0, lr: numbers. Lesson 06.
    """
    return _gd_run(x, y, w0, lr, num_steps)


GD_RUN_MISCONCEPTIONS = [
    Misconception("gradient_ascent",
                  "Your w walks uphill: subtract lr * gradient (w = w - lr * grad), do not add it.",
                  lambda x, y, w0, lr, n: _gd_run(x, y, w0, lr, n, sign=+1.0)),
    Misconception("used_loss_not_gradient",
                  "You stepped by the *loss* instead of its gradient. The loss says how bad w is; only the "
                  "gradient dL/dw says which way to move and how steeply.",
                  lambda x, y, w0, lr, n: _gd_run(x, y, w0, lr, n, use_loss=True)),
    Misconception("lr_not_applied",
                  "The learning rate is not applied: each step should be lr * gradient.",
                  lambda x, y, w0, lr, n: _gd_run(x, y, w0, lr, n, apply_lr=False)),
    Misconception("forgot_factor_2",
                  "Your gradient is missing the factor 2 from differentiating the square: "
                  "d/dw (w x - y)**2 = 2 (w x - y) x.",
                  lambda x, y, w0, lr, n: _gd_run(x, y, w0, lr, n, factor=1.0)),
    Misconception("forgot_chain_rule_x",
                  "Your gradient is missing the inner derivative: the prediction is w * x, so the chain rule "
                  "multiplies each error by its x.",
                  lambda x, y, w0, lr, n: _gd_run(x, y, w0, lr, n, use_x=False)),
    Misconception("sum_not_mean",
                  "You summed the per-sample gradients; the loss is a *mean*, so its gradient is a mean too "
                  "(otherwise the step grows with the number of samples).",
                  lambda x, y, w0, lr, n: _gd_run(x, y, w0, lr, n, reduce=np.sum)),
    Misconception("one_step_too_many",
                  "You took one step too many: after num_steps steps, w has been updated exactly num_steps times.",
                  lambda x, y, w0, lr, n: _gd_run(x, y, w0, lr, n + 1)),
    Misconception("one_step_too_few",
                  "You took one step too few: after num_steps steps, w has been updated exactly num_steps times.",
                  lambda x, y, w0, lr, n: _gd_run(x, y, w0, lr, max(n - 1, 0))),
]

GD_RUN_PROBES = [
    {"x": np.array([1.0, 2.0, 3.0]), "y": np.array([2.0, 4.0, 6.5]), "w0": 0.0, "lr": 0.05, "num_steps": 3},
    {"x": np.array([0.5, -1.0, 2.0, 1.5]), "y": np.array([1.0, -1.5, 3.0, 2.0]), "w0": 1.0, "lr": 0.1,
     "num_steps": 10},
    {"x": np.array([1.0, 2.0]), "y": np.array([3.0, 5.0]), "w0": -1.0, "lr": 0.02, "num_steps": 0},
]


def _gd_run_random(rng):
    out = []
    for n, steps in ((3, 1), (6, 7), (9, 12), (4, 2)):
        x = rng.normal(0.0, 1.5, size=n)
        y = 1.7 * x + rng.normal(0.0, 0.5, size=n)
        lr = float(np.round(rng.uniform(0.05, 0.4) / np.mean(x ** 2), 5))
        out.append(Probe({"x": x, "y": y, "w0": float(np.round(rng.normal(), 4)), "lr": lr, "num_steps": steps},
                         rtol=1e-6, atol=1e-9))
    return out


GD_RUN_CONTRACT = Contract(random=_gd_run_random, seed=602)


@register("gd_run", title="Gradient descent on a 1-D MSE bowl", points=2, misconceptions=GD_RUN_MISCONCEPTIONS,
          contract=GD_RUN_CONTRACT, hints=[
    "Repeat num_steps times: compute the gradient at the current w, then take one step.",
    "The gradient of mean((w * x - y)**2) with respect to w is 2 * mean((w * x - y) * x).",
    "Start from w0; in each of the num_steps passes recompute the gradient at the *current* w, then step. "
    "With num_steps = 0 the answer is w0 itself.",
])
def check_gd_run(submission):
    """gd_run(x, y, w0, lr, num_steps) returns the same final w as the reference descent."""
    return diagnose_function(submission, ref_gd_run, GD_RUN_PROBES, GD_RUN_MISCONCEPTIONS,
                             rtol=1e-6, atol=1e-9, what="the final w", contract=GD_RUN_CONTRACT)


LR_CRITICAL_X = np.array([1.0, 2.0, 3.0])
"""The inputs of the ``lr_critical`` exercise (the same bowl as the first gd_run example)."""
LR_CRITICAL = 1.0 / float(np.mean(LR_CRITICAL_X ** 2))  # curvature a = 2 mean(x^2); diverges for lr > 2/a


_MSQ = float(np.mean(LR_CRITICAL_X ** 2))
LR_CRITICAL_WRONG = [
    Misconception("optimal_not_critical",
                  "That is the learning rate that jumps to the minimum in a single step (1 / a). "
                  "Gradient descent still converges up to twice that value, zig-zagging.", 0.5 / _MSQ),
    Misconception("forgot_factor_2",
                  "You took the curvature as mean(x**2), forgetting the factor 2 from the square.", 2.0 / _MSQ),
    Misconception("sum_not_mean",
                  "You used the sum of x**2; the loss is a mean, so its curvature uses mean(x**2).",
                  1.0 / float(np.sum(LR_CRITICAL_X ** 2))),
]


@register("lr_critical", misconceptions=LR_CRITICAL_WRONG,
          title="The learning rate at which gradient descent starts to diverge", points=1, hints=[
    "On a parabola L(w) = a/2 (w - w*)**2 one step maps the distance to the minimum d to (1 - lr a) d.",
    "The curvature of mean((w x - y)**2) is a = L''(w) = 2 mean(x**2). The run diverges when |1 - lr a| > 1.",
    "|1 - lr a| > 1 for lr > 2 / a = 1 / mean(x**2).",
])
def check_lr_critical(submission):
    """The number 1 / mean(x**2) for x = [1, 2, 3] (= 3/14)."""
    msq = float(np.mean(LR_CRITICAL_X ** 2))
    wrong = LR_CRITICAL_WRONG
    return compare_value(submission, LR_CRITICAL, wrong, what="the critical learning rate", explanation=(
        "Each step multiplies the distance to the minimum by (1 - lr a), with curvature a = 2 mean(x**2) "
        f"= {2 * msq:.4g}. Below 1/a the walk approaches from one side (slowly only when lr is much smaller "
        f"than 1/a); between 1/a and 2/a it zig-zags but still converges; "
        f"above 2/a = {LR_CRITICAL:.4g} every step overshoots further and the run diverges."))


# --------------------------------------------------------------------------- lesson 07: a dense layer

def ref_dense_forward(X, W, b):
    """Dense (linear) layer: X (n, d_in) @ W (d_in, d_out) + b (d_out,) -> (n, d_out). Lesson 07."""
    return np.asarray(X, dtype=np.float64) @ np.asarray(W, dtype=np.float64) + np.asarray(b, dtype=np.float64)


def ref_dense_backward(X, W, grad_out):
    """Backward pass of y = X @ W + b given grad_out = dL/dy (n, d_out). Lesson 07.

    Returns (dX, dW, db) = (grad_out @ W.T, X.T @ grad_out, grad_out.sum(axis=0)): shapes of X, W, b.
    dW and db add up the contributions of all n samples (the 1/n of a mean loss is already in grad_out).
    """
    X, W, G = (np.asarray(a, dtype=np.float64) for a in (X, W, grad_out))
    return G @ W.T, X.T @ G, G.sum(axis=0)


DENSE_FORWARD_MISCONCEPTIONS = [
    Misconception("weights_transposed",
                  "You multiplied by W transposed. W has shape (d_in, d_out): each *column* holds the weights of "
                  "one output unit, so the product is X @ W.",
                  lambda X, W, b: X @ W.T + b),
    Misconception("bias_missing",
                  "The bias is missing: every output unit adds its own b after the matrix product.",
                  lambda X, W, b: X @ W),
    Misconception("added_activation",
                  "You applied an activation (ReLU). The dense layer of this exercise is linear: X @ W + b.",
                  lambda X, W, b: np.maximum(X @ W + b, 0.0)),
    Misconception("elementwise_product",
                  "You multiplied element by element (*); a dense layer needs the matrix product (@).",
                  lambda X, W, b: X * W + b),
]

_rng = np.random.default_rng(7)  # fixed probe data, drawn once; checks never draw random numbers
DENSE_PROBES = [  # the first has a square W and n == d_out, so transposing mistakes show up as values
    {"X": np.array([[1.0, 2.0], [-1.0, 0.5]]), "W": np.array([[0.5, -1.0], [2.0, 0.25]]),
     "b": np.array([0.1, -0.3])},
    {"X": _rng.normal(size=(5, 3)), "W": _rng.normal(size=(3, 2)), "b": np.array([1.0, -2.0])},
    {"X": _rng.normal(size=(1, 4)), "W": _rng.normal(size=(4, 1)), "b": np.array([0.0])},
]
DENSE_BACKWARD_PROBES = [
    {"X": np.array([[1.0, 2.0], [-1.0, 0.5]]), "W": np.array([[0.5, -1.0], [2.0, 0.25]]),
     "grad_out": np.array([[0.2, -0.4], [1.0, 0.3]])},
    {"X": _rng.normal(size=(5, 3)), "W": _rng.normal(size=(3, 2)), "grad_out": _rng.normal(size=(5, 2))},
    {"X": _rng.normal(size=(1, 4)), "W": _rng.normal(size=(4, 3)), "grad_out": _rng.normal(size=(1, 3))},
]
del _rng


def _dense_random(rng, last="b"):
    out = []
    for i, (n, d_in, d_out) in enumerate(((4, 3, 2), (1, 5, 3), (6, 2, 4), (3, 3, 3))):
        X = rng.normal(0.0, 1.3, size=(n, d_in))
        W = rng.normal(0.0, 0.8, size=(d_in, d_out))
        tail = rng.normal(0.0, 1.0, size=(d_out,) if last == "b" else (n, d_out))
        if i == 2:
            X, W, tail = X.astype(np.float32), W.astype(np.float32), tail.astype(np.float32)
        out.append(rp.probe({"X": X, "W": W, last: tail}))
    return out


DENSE_FORWARD_CONTRACT = Contract(random=lambda rng: _dense_random(rng, "b"), seed=701)


@register("dense_forward", title="Forward pass of a dense layer", points=1,
          misconceptions=DENSE_FORWARD_MISCONCEPTIONS, contract=DENSE_FORWARD_CONTRACT, hints=[
    "Shapes: X is (n, d_in), W is (d_in, d_out), b is (d_out,); the output must be (n, d_out).",
    "Use the matrix product @ and let NumPy broadcast b over the n rows.",
    "Test it by hand: X = [[1, 2]], W = [[1], [1]], b = [0.5] must give [[3.5]].",
])
def check_dense_forward(submission):
    """dense_forward(X, W, b) returns X @ W + b with shape (n, d_out)."""
    return diagnose_function(submission, ref_dense_forward, DENSE_PROBES, DENSE_FORWARD_MISCONCEPTIONS,
                             what="the layer output", contract=DENSE_FORWARD_CONTRACT)


DENSE_BACKWARD_PARTS = (
    ("dX", [
        Misconception("dX_weights_not_transposed",
                      "dX must be grad_out @ W.T: the gradient flows back through W, so W appears transposed.",
                      lambda X, W, G: G @ W),
    ]),
    ("dW", [
        Misconception("dW_transposed",
                      "Your dW is transposed: it must have W's shape (d_in, d_out), which X.T @ grad_out has "
                      "(you computed grad_out.T @ X).",
                      lambda X, W, G: G.T @ X),
        Misconception("dW_not_summed_over_batch",
                      "Your dW keeps one outer product per sample (shape (n, d_in, d_out)). W is shared by all "
                      "samples, so their contributions are summed: X.T @ grad_out does that sum for you.",
                      lambda X, W, G: np.einsum("ni,nj->nij", X, G),
                      variants=(lambda X, W, G: X[:, :, None] * G[:, None, :],)),
        Misconception("dW_averaged",
                      "You divided dW by n. grad_out already holds the 1/n of the mean loss, so here the "
                      "contributions of the samples are simply added: X.T @ grad_out.",
                      lambda X, W, G: X.T @ G / X.shape[0]),
        Misconception("dW_first_sample_only",
                      "Your dW only uses the first sample; W is shared by all n samples, so sum over the batch: "
                      "X.T @ grad_out.",
                      lambda X, W, G: np.outer(X[0], G[0])),
    ]),
    ("db", [
        Misconception("db_not_summed_over_batch",
                      "db has one row per sample: the bias is shared by all samples, so sum grad_out over the "
                      "batch axis, grad_out.sum(axis=0), to get shape (d_out,).",
                      lambda X, W, G: np.array(G, dtype=float)),
        Misconception("db_averaged",
                      "You averaged grad_out over the batch; the 1/n of the mean loss is already in grad_out, so "
                      "db is the plain sum grad_out.sum(axis=0).",
                      lambda X, W, G: G.mean(axis=0)),
        Misconception("db_keepdims",
                      "Your db has shape (1, d_out); b has shape (d_out,), so drop keepdims=True (otherwise the "
                      "update b - lr * db silently turns b into a 2-D array).",
                      lambda X, W, G: G.sum(axis=0, keepdims=True)),
        Misconception("db_wrong_axis",
                      "You summed over the wrong axis: add up the rows (axis=0, the samples), one number per "
                      "output unit.",
                      lambda X, W, G: G.sum(axis=1)),
    ]),
)


def _withpart(i, wrong):
    """A whole dense_backward answer that is right except for part ``i`` (the catalogue's example)."""
    def answer(X, W, grad_out):
        parts = list(ref_dense_backward(X, W, grad_out))
        parts[i] = wrong(np.asarray(X, float), np.asarray(W, float), np.asarray(grad_out, float))
        return tuple(parts)
    return answer


for _i, (_name, _ms) in enumerate(DENSE_BACKWARD_PARTS):
    for _m in _ms:
        _m.example = _withpart(_i, _m.wrong_fn)


DENSE_BACKWARD_CONTRACT = Contract(random=lambda rng: _dense_random(rng, "grad_out"), seed=702)


@register("dense_backward", title="Backward pass of a dense layer", points=3,
          misconceptions=[m for _, ms in DENSE_BACKWARD_PARTS for m in ms], contract=DENSE_BACKWARD_CONTRACT, hints=[
    "Each gradient has the shape of what it differentiates: dX like X (n, d_in), dW like W (d_in, d_out), "
    "db like b (d_out,).",
    "y = X @ W + b. Match shapes: dX = grad_out @ W.T, dW = X.T @ grad_out. The bias is added to every row, "
    "so its gradient adds up the rows of grad_out.",
    "Check the shapes on X (5, 3), W (3, 2), grad_out (5, 2): you need (5, 3), (3, 2) and (2,).",
])
def check_dense_backward(submission):
    """dense_backward(X, W, grad_out) returns (grad_out @ W.T, X.T @ grad_out, grad_out.sum(0))."""
    return diagnose_parts(submission, ref_dense_backward, DENSE_BACKWARD_PROBES, DENSE_BACKWARD_PARTS,
                           "dense_backward", contract=DENSE_BACKWARD_CONTRACT)


# --------------------------------------------------------------------------- lesson 07: a training loop

def _train(X, y, num_epochs, lr, seed, *, sign=-1.0, apply_lr=True, use_loss=False, update_b=True,
           accumulate=False, record_after=False, factor=2.0, mean=True, init="normal", db_mean=False):
    """Full-batch gradient descent for y_hat = X @ w + b with MSE; keyword arguments build wrong versions."""
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    rng = np.random.default_rng(seed)
    d = X.shape[1]
    if init == "normal":
        w = rng.normal(0.0, 0.1, size=d)
    elif init == "zeros":
        w = np.zeros(d)
    elif init == "unit_normal":
        w = rng.normal(0.0, 1.0, size=d)
    elif init == "legacy_seed":
        w = np.random.RandomState(seed).normal(0.0, 0.1, size=d)
    else:  # "randn": rng.standard_normal scaled
        w = 0.1 * np.random.default_rng(seed).standard_normal(d)
    b = 0.0
    n = X.shape[0]
    losses = np.empty(int(num_epochs))
    dw_acc, db_acc = np.zeros_like(w), 0.0
    step = lr if apply_lr else 1.0
    for epoch in range(int(num_epochs)):  # each epoch needs the previous weights: the loop is inherent
        r = X @ w + b - y
        loss = np.mean(r ** 2)
        if not record_after:
            losses[epoch] = loss
        g = factor * r / (n if mean else 1.0)  # dL/dy_hat, shape (n,)
        dw, db = (np.full_like(w, loss), loss) if use_loss else (X.T @ g, g.mean() if db_mean else g.sum())
        if accumulate:
            dw_acc, db_acc = dw_acc + dw, db_acc + db
            dw, db = dw_acc, db_acc
        w = w + sign * step * dw
        if update_b:
            b = b + sign * step * db
        if record_after:
            losses[epoch] = np.mean((X @ w + b - y) ** 2)
    return w, b, losses


def ref_train_linear(X, y, num_epochs, lr, seed=0):
    """Train y_hat = X @ w + b with MSE by full-batch gradient descent. Lesson 07.

    X: (n, d), y: (n,). w starts at ``default_rng(seed).normal(0, 0.1, size=d)``, b at 0. Each epoch records
    the loss *before* its update. Returns (w (d,), b (float), losses (num_epochs,)).
    """
    return _train(X, y, num_epochs, lr, seed)


def _wrong_train(**how):
    return lambda X, y, num_epochs, lr, seed=0: _train(X, y, num_epochs, lr, seed, **how)


_TRAIN_MISCONCEPTIONS = [
    Misconception("gradient_ascent",
                  "Your loss grows: the update must subtract lr * gradient (w = w - lr * dw), not add it.",
                  _wrong_train(sign=+1.0)),
    Misconception("used_loss_not_gradient",
                  "You updated the weights with the loss value instead of its gradient dL/dw.",
                  _wrong_train(use_loss=True)),
    Misconception("lr_not_applied",
                  "The learning rate is not applied: the update is w - lr * dw.",
                  _wrong_train(apply_lr=False)),
    Misconception("gradients_never_reset",
                  "Your gradients pile up from one epoch to the next. Each epoch needs fresh gradients of the "
                  "current loss; never carry old ones over (in PyTorch this is what optimizer.zero_grad() is for).",
                  _wrong_train(accumulate=True)),
    Misconception("bias_not_updated",
                  "The bias never changes: update b with its own gradient, db = sum of dL/dy_hat.",
                  _wrong_train(update_b=False)),
    Misconception("loss_recorded_after_update",
                  "Your losses are shifted by one epoch: record the loss of the weights the epoch starts with, "
                  "before the update.",
                  _wrong_train(record_after=True)),
    Misconception("sum_not_mean",
                  "Your gradient is n times too large: the MSE is a mean, so dL/dy_hat = 2 (y_hat - y) / n.",
                  _wrong_train(mean=False)),
    Misconception("forgot_factor_2",
                  "Your gradient misses the factor 2 of the square: dL/dy_hat = 2 (y_hat - y) / n.",
                  _wrong_train(factor=1.0)),
    Misconception("bias_gradient_averaged",
                  "Your bias gradient is n times too small: g = 2 (y_hat - y) / n already holds the 1/n, so "
                  "db = g.sum(), not g.mean().",
                  _wrong_train(db_mean=True)),
    Misconception("wrong_initialisation",
                  "Your weights start somewhere else. Start from rng = np.random.default_rng(seed); "
                  "w = rng.normal(0.0, 0.1, size=d); b = 0.0, so that runs can be compared.",
                  _wrong_train(init="zeros"),
                  variants=(_wrong_train(init="unit_normal"), _wrong_train(init="legacy_seed"))),
]


def _train_probes():
    rng = np.random.default_rng(11)
    X1 = rng.normal(size=(20, 2))
    y1 = X1 @ np.array([2.0, -1.0]) + 0.5 + 0.1 * rng.normal(size=20)
    X2 = rng.normal(size=(8, 3))
    y2 = X2 @ np.array([0.5, 1.0, -2.0]) - 1.0
    return [
        Probe({"X": X1, "y": y1, "num_epochs": 5, "lr": 0.1, "seed": 0}, rtol=1e-6, atol=1e-9),
        Probe({"X": X2, "y": y2, "num_epochs": 40, "lr": 0.05, "seed": 3}, rtol=1e-6, atol=1e-9),
        Probe({"X": X1[:3], "y": y1[:3], "num_epochs": 1, "lr": 0.01, "seed": 5}, rtol=1e-6, atol=1e-9),
    ]


TRAIN_PROBES = _train_probes()
TRAIN_PARTS = tuple(
    (name, [Misconception(m.name, m.explanation, part(m.wrong_fn, i), variants=tuple(part(v,
                                                                                            i) for v in m.variants))
            for m in _TRAIN_MISCONCEPTIONS])
    for i, name in enumerate(("w", "b", "losses")))


def _train_random(rng):
    out = []
    for i, (n, d, epochs) in enumerate(((12, 2, 6), (7, 3, 4), (15, 1, 9))):
        X = rng.normal(0.0, 1.0, size=(n, d))
        y = X @ rng.normal(0.0, 2.0, size=d) + rng.normal(0.0, 0.3, size=n) + 0.7
        inputs = {"X": X, "y": y, "num_epochs": epochs, "lr": float(np.round(rng.uniform(0.02, 0.15), 4))}
        if i == 1:
            out.append(Probe(inputs, rtol=1e-6, atol=1e-9, omitted=("seed",)))
        else:
            out.append(Probe({**inputs, "seed": int(rng.integers(1, 100))}, rtol=1e-6, atol=1e-9))
    return out


TRAIN_CONTRACT = Contract(defaults={"seed": 0}, random=_train_random, seed=703)


@register("train_linear", title="A training loop from scratch", points=3, misconceptions=_TRAIN_MISCONCEPTIONS,
          contract=TRAIN_CONTRACT, hints=[
    "Each epoch: predict y_hat = X @ w + b, record mse(y, y_hat), compute the gradients, update w and b.",
    "With g = 2 * (y_hat - y) / n (the MSE gradient with respect to y_hat): dw = X.T @ g and db = g.sum().",
    "Start exactly as the statement says (rng = np.random.default_rng(seed); w = rng.normal(0.0, 0.1, size=d); "
    "b = 0.0) and record the loss before you update.",
], timeout=10.0)
def check_train_linear(submission):
    """train_linear(X, y, num_epochs, lr, seed=0) reproduces the reference run's w, b and loss history."""
    return diagnose_parts(submission, ref_train_linear, TRAIN_PROBES, TRAIN_PARTS, "train_linear",
                           contract=TRAIN_CONTRACT)


# --------------------------------------------------------------------------- lesson 08: a custom loss

def _weights(y_true, y_pred, under_weight):
    return np.where(y_pred < y_true, under_weight, 1.0)


def ref_asymmetric_loss(y_true, y_pred, under_weight=4.0):
    """Asymmetric squared error: mean of c_i (y_pred - y_true)**2, c_i = under_weight where y_pred < y_true.

    Under-predicting (e.g. a missed diagnosis) costs ``under_weight`` times more than over-predicting.
    Shapes: y_true, y_pred (n,). Lesson 08.
    """
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    return float(np.mean(_weights(y_true, y_pred, under_weight) * (y_pred - y_true) ** 2))


def ref_asymmetric_loss_grad(y_true, y_pred, under_weight=4.0):
    """d asymmetric_loss / d y_pred = 2 c_i (y_pred - y_true) / n, shape (n,). Lesson 08."""
    y_true = np.asarray(y_true, dtype=np.float64)
    y_pred = np.asarray(y_pred, dtype=np.float64)
    return 2.0 * _weights(y_true, y_pred, under_weight) * (y_pred - y_true) / y_pred.size


def _fd_asymmetric_grad(y_true, y_pred, under_weight=4.0):
    """The finite-difference gradient of the reference loss (the checker's yardstick)."""
    y_pred = np.array(y_pred, dtype=np.float64)
    return numerical_gradient(lambda p: ref_asymmetric_loss(y_true, p, under_weight), y_pred)


ASYM_PROBES = [  # no y_pred equals its y_true: finite differences are exact away from the kink
    {"y_true": np.array([1.0, 0.0, 1.0, 0.0]), "y_pred": np.array([0.4, 0.3, 1.2, -0.1]), "under_weight": 4.0},
    {"y_true": np.array([3.0, 5.0, 2.0]), "y_pred": np.array([2.0, 6.5, 1.0]), "under_weight": 10.0},
    {"y_true": np.array([0.5]), "y_pred": np.array([0.9]), "under_weight": 2.0},
]

ASYM_LOSS_MISCONCEPTIONS = [
    Misconception("penalised_over_prediction",
                  "You penalised the wrong side: the extra weight belongs to *under*-predictions (y_pred < y_true), "
                  "the missed diagnoses.",
                  lambda t, p, c: float(np.mean(np.where(p > t, c, 1.0) * (p - t) ** 2))),
    Misconception("weight_not_applied",
                  "Your loss is the plain MSE: multiply the squared errors of under-predictions by under_weight.",
                  lambda t, p, c: float(np.mean((p - t) ** 2))),
    Misconception("forgot_mean",
                  "You summed the weighted squared errors; take their mean so the loss does not grow with n.",
                  lambda t, p, c: float(np.sum(_weights(t, p, c) * (p - t) ** 2))),
    Misconception("weighted_absolute_error",
                  "You weighted the absolute errors; this exercise uses squared errors (p - t)**2.",
                  lambda t, p, c: float(np.mean(_weights(t, p, c) * np.abs(p - t)))),
    Misconception("ignored_under_weight",
                  "Your loss always uses the weight 4, whatever under_weight is passed: use the argument.",
                  lambda t, p, c: ref_asymmetric_loss(t, p, 4.0)),
]

ASYM_GRAD_MISCONCEPTIONS = [
    Misconception("gradient_wrong_sign",
                  "Your gradient has the wrong sign: finite differences show the loss *grows* when you raise an "
                  "over-prediction, so the derivative there is positive: 2 c (y_pred - y_true) / n.",
                  lambda t, p, c: -ref_asymmetric_loss_grad(t, p, c)),
    Misconception("gradient_missing_factor_2",
                  "Your gradient is half the finite-difference slope: the derivative of a square brings down a 2.",
                  lambda t, p, c: ref_asymmetric_loss_grad(t, p, c) / 2.0),
    Misconception("gradient_missing_mean",
                  "Your gradient is n times the finite-difference slope: the loss is a mean, so divide by n.",
                  lambda t, p, c: ref_asymmetric_loss_grad(t, p, c) * np.size(p)),
    Misconception("gradient_weight_missing",
                  "Your gradient ignores under_weight: the weight c multiplies the derivative of every "
                  "under-predicted sample too.",
                  lambda t, p, c: 2.0 * (p - t) / np.size(p)),
    Misconception("gradient_weight_on_wrong_side",
                  "Your gradient puts the weight on over-predictions; it belongs to y_pred < y_true.",
                  lambda t, p, c: 2.0 * np.where(p > t, c, 1.0) * (p - t) / np.size(p)),
]


def _asym_random(rng):
    """1-D only: the statement defines the loss over n samples, y_true and y_pred of shape (n,)."""
    out = []
    pairs = [(y, p) for y, p in rp.regression_pairs(rng) if y.ndim == 1]
    pairs += [(y.ravel(), p.ravel()) for y, p in rp.regression_pairs(rng) if y.ndim == 2]
    for i, (y, p) in enumerate(pairs):
        if i % 2:
            out.append(rp.probe({"y_true": y, "y_pred": p}, omitted=("under_weight",)))
        else:
            out.append(rp.probe({"y_true": y, "y_pred": p, "under_weight": float(np.round(rng.uniform(1.5, 9.0),
                                                                                          3))}))
    return out


ASYM_CONTRACT = Contract(defaults={"under_weight": 4.0}, random=_asym_random, seed=801)
ASYM_GRAD_CONTRACT = Contract(defaults={"under_weight": 4.0}, random=_asym_random, seed=802)


@register("asymmetric_loss", title="A custom loss where a missed diagnosis costs more", points=2,
          misconceptions=ASYM_LOSS_MISCONCEPTIONS, contract=ASYM_CONTRACT, hints=[
    "Start from the squared errors (y_pred - y_true)**2, one per sample.",
    "Build the weights with np.where(y_pred < y_true, under_weight, 1.0), multiply, then take the mean.",
    "Check by hand: y_true = [1], under_weight = 4: y_pred = [0] costs 4, y_pred = [2] costs 1.",
])
def check_asymmetric_loss(submission):
    """asymmetric_loss(y_true, y_pred, under_weight) agrees with the reference on every probe."""
    return diagnose_function(submission, ref_asymmetric_loss, ASYM_PROBES, ASYM_LOSS_MISCONCEPTIONS,
                             what="the loss", contract=ASYM_CONTRACT)


@register("asymmetric_loss_grad", title="The gradient of the custom loss, checked by finite differences",
          points=2, misconceptions=ASYM_GRAD_MISCONCEPTIONS, contract=ASYM_GRAD_CONTRACT, hints=[
              "Differentiate one term c (p - t)**2 with respect to p, then remember the 1/n of the mean.",
              "The weight c is constant on each side of the kink, so it just multiplies the derivative.",
              "Check by hand: y_true = [1, 0], y_pred = [0, 1], under_weight = 4 gives [-4, 1].",
          ])
def check_asymmetric_loss_grad(submission):
    """The learner's gradient equals the finite-difference gradient of the reference asymmetric loss."""
    return diagnose_function(submission, _fd_asymmetric_grad, ASYM_PROBES, ASYM_GRAD_MISCONCEPTIONS,
                             rtol=1e-5, atol=1e-8, what="the finite-difference gradient", contract=ASYM_GRAD_CONTRACT)
