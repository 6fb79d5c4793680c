"""Learner answers for lessons 06-08: gradient descent, a dense layer, a training loop, a custom loss."""
import numpy as np

from .base import as_list, bad, in_a_list, mutating, ok, rounded, stateful


# --------------------------------------------------------------------------- gd_step

def gd_step(w, grad, lr):
    return w - lr * grad


ok("gd_step", gd_step)
ok("gd_step", lambda w, grad, lr: np.subtract(w, np.multiply(lr, grad)), "np.subtract")
ok("gd_step", lambda w, grad, lr: np.asarray(w, float) - lr * np.asarray(grad, float), "asarray")
ok("gd_step", lambda w, grad, lr: w + (-lr) * grad, "plus negative")


@ok("gd_step")
def gd_step_copy(w, grad, lr):
    new = np.array(w, dtype=float, copy=True)
    new -= lr * np.asarray(grad)
    return new if np.ndim(w) else float(new)


bad("gd_step", "gradient_ascent", answer=lambda w, g, lr: w + lr * g, label="plus")
bad("gd_step", "lr_not_applied", answer=lambda w, g, lr: w - g, label="no lr")
bad("gd_step", "divided_by_lr", answer=lambda w, g, lr: w - g / lr, label="divide")
bad("gd_step", "returned_only_the_step", answer=lambda w, g, lr: -lr * g, label="step only")
bad("gd_step", answer=lambda w, g, lr: w - lr * np.sign(g), label="sign of grad")
bad("gd_step", answer=lambda w, g, lr: w - lr * g * w, label="times w")
bad("gd_step", answer=lambda w, g, lr: w * (1 - lr) - lr * g, label="weight decay")
bad("gd_step", "changed_input", answer=lambda w, g, lr: (w.__isub__(lr * g) if isinstance(w,
                                                                                          np.ndarray) else w - lr * g),
    label="w -= lr * grad")


def _momentum():
    v = {}

    def step(w, grad, lr):
        v["v"] = 0.9 * v.get("v", 0.0) + np.asarray(grad) if np.shape(v.get("v",
                                                                            0.0)) == np.shape(grad) else np.asarray(grad)
        return w - lr * v["v"]
    step.__name__ = "gd_step_momentum"
    return step


bad("gd_step", "state_between_calls", answer=_momentum())
bad("gd_step", answer=rounded(gd_step, 2))
bad("gd_step", "wrong_return_type", answer=lambda w, g,
    lr: np.asarray(w - lr * g).tolist() if np.ndim(w) else w - lr * g,
    label="tolist")
bad("gd_step", answer=lambda w, g, lr: w - lr * lr * g, label="lr squared")


# --------------------------------------------------------------------------- gd_run

def gd_run(x, y, w0, lr, num_steps):
    w = w0
    for _ in range(num_steps):
        w = w - lr * 2 * np.mean((w * x - y) * x)
    return w


ok("gd_run", gd_run)


@ok("gd_run")
def gd_run_sum(x, y, w0, lr, num_steps):
    w = float(w0)
    n = len(x)
    for step in range(num_steps):
        grad = 2.0 / n * np.sum((w * np.asarray(x) - np.asarray(y)) * np.asarray(x))
        w -= lr * grad
    return w


@ok("gd_run")
def gd_run_while(x, y, w0, lr, num_steps):
    w, k = w0, 0
    while k < num_steps:
        w = gd_step(w, 2 * np.dot(w * x - y, x) / len(x), lr)
        k += 1
    return float(w)


ok("gd_run", lambda x, y, w0, lr, n: np.float64(gd_run(x, y, w0, lr, n)), "numpy scalar")


def _gd(x, y, w0, lr, n, grad):
    w = w0
    for _ in range(n):
        w = w - lr * grad(w, np.asarray(x), np.asarray(y))
    return w


bad("gd_run", "gradient_ascent", answer=lambda x, y, w0, lr, n: _gd(x, y, w0, -lr, n, lambda w, x,
                                                                    y: 2 * np.mean((w * x - y) * x)),
    label="ascent")
bad("gd_run", "forgot_factor_2", answer=lambda x, y, w0, lr, n: _gd(x, y, w0, lr, n, lambda w, x,
                                                                    y: np.mean((w * x - y) * x)),
    label="no 2")
bad("gd_run", "forgot_chain_rule_x", answer=lambda x, y, w0, lr, n: _gd(x, y, w0, lr, n, lambda w, x,
                                                                        y: 2 * np.mean(w * x - y)),
    label="no x")
bad("gd_run", "sum_not_mean", answer=lambda x, y, w0, lr, n: _gd(x, y, w0, lr, n, lambda w, x,
                                                                 y: 2 * np.sum((w * x - y) * x)),
    label="sum")
bad("gd_run", "one_step_too_many", answer=lambda x, y, w0, lr, n: _gd(x, y, w0, lr, n + 1, lambda w, x,
                                                                      y: 2 * np.mean((w * x - y) * x)),
    label="n+1")
bad("gd_run", "one_step_too_few", answer=lambda x, y, w0, lr, n: _gd(x, y, w0, lr, max(n - 1, 0),
                                                                     lambda w, x, y: 2 * np.mean((w * x - y) * x)), label="n-1")
bad("gd_run", "used_loss_not_gradient", answer=lambda x, y, w0, lr, n: _gd(x, y, w0, lr, n, lambda w, x,
                                                                           y: np.mean((w * x - y) ** 2)),
    label="loss")
bad("gd_run", answer=lambda x, y, w0, lr, n: _gd(x, y, w0, lr, n, lambda w, x, y: 2 * np.mean((w * x - y) * y)),
    label="times y")
bad("gd_run", answer=lambda x, y, w0, lr, n: _gd(x, y, 0.0, lr, n, lambda w, x, y: 2 * np.mean((w * x - y) * x)),
    label="ignores w0")
bad("gd_run", answer=lambda x, y, w0, lr, n: _gd(x, y, w0, lr, n, lambda w, x,
                                                 y: 2 * np.mean((w * x - y) * x) / len(x)),
    label="double mean")
bad("gd_run", "wrong_return_type", answer=lambda x, y, w0, lr, n: [gd_run(x, y, w0, lr, n)], label="list")
bad("gd_run", answer=rounded(gd_run, 3))
bad("gd_run", "state_between_calls", answer=stateful(gd_run))
bad("gd_run", "changed_input", answer=lambda x, y, w0, lr, n: (x.__imul__(1.0), gd_run(x, y, w0, lr, n))[1],
    label="x *= 1")


# --------------------------------------------------------------------------- dense_forward

def dense_forward(X, W, b):
    return X @ W + b


ok("dense_forward", dense_forward)
ok("dense_forward", lambda X, W, b: np.dot(X, W) + b[None, :], "np.dot")
ok("dense_forward", lambda X, W, b: np.einsum("ni,io->no", X, W) + b, "einsum")


@ok("dense_forward")
def dense_forward_loop(X, W, b):
    out = np.zeros((X.shape[0], W.shape[1]))
    for i in range(X.shape[0]):
        out[i] = X[i] @ W + b
    return out


bad("dense_forward", "weights_transposed", answer=lambda X, W,
    b: X @ W.T + b if W.shape[0] == W.shape[1] else (W.T @ X.T).T + b,
    label="W.T when square")
bad("dense_forward", "bias_missing", answer=lambda X, W, b: X @ W, label="no bias")
bad("dense_forward", "added_activation", answer=lambda X, W, b: np.maximum(0, X @ W + b), label="relu")
bad("dense_forward", answer=lambda X, W, b: X @ W - b, label="minus b")
bad("dense_forward", answer=lambda X, W, b: X @ W + b.sum(), label="bias summed")
bad("dense_forward", answer=lambda X, W, b: X @ W + b[0], label="first bias only")
bad("dense_forward", answer=lambda X, W, b: 1 / (1 + np.exp(-(X @ W + b))), label="sigmoid")
bad("dense_forward", answer=lambda X, W, b: (X @ W + b) / X.shape[1], label="scaled")
bad("dense_forward", "wrong_return_type", answer=as_list(dense_forward))
bad("dense_forward", answer=rounded(dense_forward, 2))
bad("dense_forward", "changed_input", answer=lambda X, W, b: (X.__imul__(1.0), X @ W + b)[1], label="X *= 1")
bad("dense_forward", "state_between_calls", answer=stateful(dense_forward))


# --------------------------------------------------------------------------- dense_backward

def dense_backward(X, W, grad_out):
    return grad_out @ W.T, X.T @ grad_out, grad_out.sum(axis=0)


ok("dense_backward", dense_backward)
ok("dense_backward", lambda X, W, G: [np.dot(G, W.T), np.dot(X.T, G), np.sum(G, axis=0)], "list and np.dot")
ok("dense_backward", lambda X, W, G: (np.einsum("no,io->ni", G, W), np.einsum("ni,no->io", X, G), G.sum(0)), "einsum")


@ok("dense_backward")
def dense_backward_loop(X, W, grad_out):
    dW = np.zeros_like(W, dtype=float)
    db = np.zeros(W.shape[1])
    for i in range(X.shape[0]):
        dW += np.outer(X[i], grad_out[i])
        db += grad_out[i]
    return grad_out @ W.T, dW, db


bad("dense_backward", "dX_weights_not_transposed", answer=lambda X, W,
    G: (G @ W if W.shape[0] == W.shape[1] else (W @ G.T).T,
                                                                          X.T @ G, G.sum(0)), label="dX no transpose")
bad("dense_backward", "dW_transposed", answer=lambda X, W, G: (G @ W.T, G.T @ X, G.sum(0)), label="dW transposed")
bad("dense_backward", "dW_averaged", answer=lambda X, W, G: (G @ W.T, X.T @ G / len(X), G.sum(0)), label="dW mean")
bad("dense_backward", "db_averaged", answer=lambda X, W, G: (G @ W.T, X.T @ G, G.mean(0)), label="db mean")
bad("dense_backward", "db_keepdims", answer=lambda X, W, G: (G @ W.T, X.T @ G, G.sum(0, keepdims=True)),
    label="keepdims")
bad("dense_backward", "db_wrong_axis", answer=lambda X, W, G: (G @ W.T, X.T @ G, G.sum(1)), label="axis 1")
bad("dense_backward", "db_not_summed_over_batch", answer=lambda X, W, G: (G @ W.T, X.T @ G, G), label="db = G")
bad("dense_backward", "dW_first_sample_only", answer=lambda X, W, G: (G @ W.T, np.outer(X[0], G[0]), G.sum(0)),
    label="first sample")
bad("dense_backward", answer=lambda X, W, G: (G @ W.T, X.T @ G, G.sum()), label="db total")
bad("dense_backward", answer=lambda X, W, G: (X.T @ G, G @ W.T, G.sum(0)), label="swapped outputs")
bad("dense_backward", answer=lambda X, W, G: (G @ W.T, X.T @ G), label="two outputs")
bad("dense_backward", answer=lambda X, W, G: (-(G @ W.T), X.T @ G, G.sum(0)), label="dX negated")
bad("dense_backward", "changed_input", answer=lambda X, W, G: (G.__imul__(1.0), dense_backward(X, W, G))[1],
    label="G *= 1")


def _stateful_backward():
    seen = [0]

    def f(X, W, grad_out):
        seen[0] += 1
        dX, dW, db = dense_backward(X, W, grad_out)
        return dX, dW * (1 + 0.1 * (seen[0] > 1)), db
    f.__name__ = "dense_backward_stateful"
    return f


bad("dense_backward", "state_between_calls", answer=_stateful_backward())


# --------------------------------------------------------------------------- train_linear

def train_linear(X, y, num_epochs, lr, seed=0):
    rng = np.random.default_rng(seed)
    w = rng.normal(0.0, 0.1, size=X.shape[1])
    b = 0.0
    losses = []
    for _ in range(num_epochs):
        y_hat = X @ w + b
        losses.append(np.mean((y - y_hat) ** 2))
        g = 2 * (y_hat - y) / len(y)
        w = w - lr * (X.T @ g)
        b = b - lr * g.sum()
    return w, b, np.array(losses)


ok("train_linear", train_linear)


@ok("train_linear")
def train_linear_prealloc(X, y, num_epochs, lr, seed=0):
    rng = np.random.default_rng(seed)
    w = rng.normal(0.0, 0.1, size=X.shape[1])
    b = 0.0
    losses = np.zeros(num_epochs)
    n = X.shape[0]
    for epoch in range(num_epochs):
        err = X @ w + b - y
        losses[epoch] = err @ err / n
        w -= lr * 2 * X.T @ err / n
        b -= lr * 2 * err.sum() / n
    return w, float(b), losses


@ok("train_linear")
def train_linear_f32(X, y, num_epochs, lr, seed=0):
    w, b, losses = train_linear(X, y, num_epochs, lr, seed)
    return w, np.float64(b), losses.astype(np.float64)


ok("train_linear", lambda X, y, e, lr, seed=0: list(train_linear(X, y, e, lr, seed)), "list of three")


def _train(**how):
    def f(X, y, num_epochs, lr, seed=0):
        rng = np.random.default_rng(how.get("seed", seed))
        w = how["init"](rng, X.shape[1]) if "init" in how else rng.normal(0.0, 0.1, size=X.shape[1])
        b = 0.0
        losses = []
        n = len(y)
        acc_w, acc_b = 0.0, 0.0
        for _ in range(num_epochs):
            y_hat = X @ w + b
            err = y_hat - y
            losses.append(how.get("record", lambda e: np.mean(e ** 2))(err))
            g = how.get("factor", 2.0) * err / n
            dw, db = X.T @ g, how.get("db", np.sum)(g)
            if how.get("accumulate"):
                acc_w, acc_b = acc_w + dw, acc_b + db
                dw, db = acc_w, acc_b
            w = w - how.get("sign", 1.0) * lr * dw
            if how.get("update_b", True):
                b = b - how.get("sign", 1.0) * lr * db
        return w, b, np.array(losses)
    return f


bad("train_linear", "gradient_ascent", answer=_train(sign=-1.0), label="ascent")
bad("train_linear", "forgot_factor_2", answer=_train(factor=1.0), label="no 2")
bad("train_linear", "bias_not_updated", answer=_train(update_b=False), label="b fixed")
bad("train_linear", "bias_gradient_averaged", answer=_train(db=np.mean), label="db mean")
bad("train_linear", "gradients_never_reset", answer=_train(accumulate=True), label="accumulate")
bad("train_linear", "wrong_initialisation", answer=_train(init=lambda rng, d: np.zeros(d)), label="zeros")
bad("train_linear", "wrong_initialisation", answer=_train(init=lambda rng, d: rng.normal(size=d)),
    label="unit normal")
bad("train_linear", answer=_train(record=lambda e: np.sqrt(np.mean(e ** 2))), label="records RMSE")
bad("train_linear", answer=_train(record=lambda e: np.mean(np.abs(e))), label="records MAE")
bad("train_linear", answer=_train(seed=42), label="ignores seed")
bad("train_linear", answer=_train(init=lambda rng, d: rng.uniform(-0.1, 0.1, size=d)), label="uniform init")
bad("train_linear", "wrong_return_type", answer=lambda X, y, e, lr, seed=0: (lambda r: (r[0], r[1],
                                                                                        list(r[2])))(train_linear(X,
                                                                                                                  y, e, lr, seed)),
    label="losses as list")
bad("train_linear", "wrong_default", answer=lambda X, y, e, lr, seed: train_linear(X, y, e, lr, seed),
    label="no default")
bad("train_linear", "wrong_default", answer=lambda X, y, e, lr, seed=1: train_linear(X, y, e, lr, seed),
    label="default 1")
bad("train_linear", "changed_input", answer=lambda X, y, e, lr, seed=0: (y.__imul__(1.0), train_linear(X, y, e, lr,
                                                                                                       seed))[1],
    label="y *= 1")


# --------------------------------------------------------------------------- asymmetric_loss and its gradient

def asym(y_true, y_pred, under_weight=4.0):
    y, p = np.asarray(y_true, float), np.asarray(y_pred, float)
    c = np.where(p < y, under_weight, 1.0)
    return float(np.mean(c * (p - y) ** 2))


def asym_grad(y_true, y_pred, under_weight=4.0):
    y, p = np.asarray(y_true, float), np.asarray(y_pred, float)
    return 2 * np.where(p < y, under_weight, 1.0) * (p - y) / p.size


ok("asymmetric_loss", asym)
ok("asymmetric_loss", lambda y, p, under_weight=4.0: np.mean(np.where(np.subtract(p, y) < 0,
                                                                      under_weight * np.subtract(p, y) ** 2,
                                                                      np.subtract(p, y) ** 2)), "where on squares")


@ok("asymmetric_loss")
def asym_loop(y_true, y_pred, under_weight=4.0):
    total = 0.0
    for t, p in zip(np.ravel(y_true), np.ravel(y_pred)):
        total += (under_weight if p < t else 1.0) * (p - t) ** 2
    return total / np.size(y_true)


ok("asymmetric_loss", lambda y, p,
   under_weight=4.0: np.mean((1 + (under_weight - 1) * (np.asarray(p) < y)) * (np.asarray(p) - y) ** 2),
   "boolean arithmetic")
bad("asymmetric_loss", "penalised_over_prediction", answer=lambda y, p, u=4.0: asym(p, y, u), label="swapped sides")
bad("asymmetric_loss", "weight_not_applied", answer=lambda y, p, u=4.0: float(np.mean((np.asarray(p) - y) ** 2)),
    label="plain mse")
bad("asymmetric_loss", "forgot_mean", answer=lambda y, p, u=4.0: asym(y, p, u) * np.size(y), label="sum")
bad("asymmetric_loss", "weighted_absolute_error", answer=lambda y, p,
    u=4.0: float(np.mean(np.where(np.asarray(p) < y, u, 1.0)
                                                                                          * np.abs(np.asarray(p) - y))), label="abs")
bad("asymmetric_loss", "ignored_under_weight", "wrong_default", answer=lambda y, p, u=4.0: asym(y, p),
    label="fixed 4")
bad("asymmetric_loss", "wrong_default", answer=lambda y, p, u: asym(y, p, u), label="no default")
bad("asymmetric_loss", "wrong_default", answer=lambda y, p, u=2.0: asym(y, p, u), label="default 2")
bad("asymmetric_loss", answer=lambda y, p, u=4.0: asym(y, p, u) / u, label="divided by weight")
bad("asymmetric_loss", answer=lambda y, p, u=4.0: float(np.mean(np.where(np.asarray(p) < y, u,
                                                                         0.0) * (np.asarray(p) - y) ** 2)),
    label="over-predictions free")
bad("asymmetric_loss", answer=lambda y, p, u=4.0: float(np.mean(np.where(np.asarray(p) < y, u ** 2,
                                                                         1.0) * (np.asarray(p) - y) ** 2)),
    label="weight squared")
bad("asymmetric_loss", "wrong_return_type", answer=in_a_list(asym))
bad("asymmetric_loss", answer=rounded(asym, 2))
bad("asymmetric_loss", "state_between_calls", answer=stateful(asym))
bad("asymmetric_loss", "changed_input", answer=mutating(asym, 1))

ok("asymmetric_loss_grad", asym_grad)
ok("asymmetric_loss_grad", lambda y, p, under_weight=4.0: np.where(np.asarray(p) < y, 2 * under_weight,
                                                                   2.0) * (np.asarray(p) - y)
   / np.size(p), "factor inside where")


@ok("asymmetric_loss_grad")
def asym_grad_loop(y_true, y_pred, under_weight=4.0):
    y, p = np.asarray(y_true, float), np.asarray(y_pred, float)
    g = np.empty_like(p)
    for i in np.ndindex(p.shape):
        c = under_weight if p[i] < y[i] else 1.0
        g[i] = 2 * c * (p[i] - y[i]) / p.size
    return g


ok("asymmetric_loss_grad", lambda y, p, under_weight=4.0: (asym_grad(y, p, under_weight)).astype(np.float32),
   "float32")
bad("asymmetric_loss_grad", "gradient_wrong_sign", answer=lambda y, p, u=4.0: -asym_grad(y, p, u), label="sign")
bad("asymmetric_loss_grad", "gradient_missing_factor_2", answer=lambda y, p, u=4.0: asym_grad(y, p, u) / 2,
    label="no 2")
bad("asymmetric_loss_grad", "gradient_missing_mean", answer=lambda y, p, u=4.0: asym_grad(y, p, u) * np.size(p),
    label="no 1/n")
bad("asymmetric_loss_grad", "gradient_weight_missing", answer=lambda y, p,
    u=4.0: 2 * (np.asarray(p) - y) / np.size(p), label="no weight")
bad("asymmetric_loss_grad", "gradient_weight_on_wrong_side", answer=lambda y, p, u=4.0: asym_grad(p, y, u) * -1.0,
    label="wrong side")
bad("asymmetric_loss_grad", "wrong_default", answer=lambda y, p, u: asym_grad(y, p, u), label="no default")
bad("asymmetric_loss_grad", "gradient_missing_mean", answer=lambda y, p, u=4.0: 2 * np.where(np.asarray(p) < y, u,
                                                                                             1.0) * (np.asarray(p) - y),
    label="no n")
bad("asymmetric_loss_grad", answer=lambda y, p, u=4.0: np.full(np.shape(p), asym(y, p, u)), label="loss broadcast")
bad("asymmetric_loss_grad", answer=lambda y, p, u=4.0: np.where(np.asarray(p) < y, u,
                                                                1.0) * np.sign(np.asarray(p) - y) / np.size(p),
    label="sign only")
bad("asymmetric_loss_grad", "wrong_return_type", answer=as_list(asym_grad))
bad("asymmetric_loss_grad", answer=rounded(asym_grad, 2))
bad("asymmetric_loss_grad", "state_between_calls", answer=stateful(asym_grad))
bad("asymmetric_loss_grad", "changed_input", answer=mutating(asym_grad, 1))

# --------------------------------------------------------------------------- value question (lesson 06)

for good in (3 / 14, 0.2142857, "0.2143", np.float32(3 / 14)):
    ok("lr_critical", good, f"lr critical {good!r}")
for wrong, names in ((1.5 / 14, ("optimal_not_critical",)), (6 / 14, ("forgot_factor_2",)), (1 / 14,
                                                                                             ("sum_not_mean",)),
                     (2.0, ()), (0.5, ()), (0.2, ())):
    bad("lr_critical", *names, answer=wrong, label=f"lr critical {wrong!r}")
