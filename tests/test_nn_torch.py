"""lessons_lib.nn trained side by side with the same network in PyTorch (float64).

Same initial weights, same mini-batches, 5 optimizer steps: the weights must agree to 1e-10.
PyTorch's side computes the loss the plain way (activation, then loss), so the fused
softmax/sigmoid + cross-entropy gradients are checked against an unfused reference.
"""
import numpy as np
import pytest

from lessons_lib.nn import Dense, Sequential
from lessons_lib.optimizers import SGD, Adam

torch = pytest.importorskip("torch")
F = torch.nn.functional

N, BATCH = 10, 2   # one epoch = 5 steps

TORCH_ACT = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid, "linear": lambda z: z,
             "softmax": lambda z: torch.softmax(z, dim=1)}


def _torch_loss(name, out, y):
    if name == "categorical_crossentropy":
        return F.nll_loss(torch.log(out), y)
    if name == "binary_crossentropy":
        return F.binary_cross_entropy(out, y)
    if name == "cross_entropy":
        return F.cross_entropy(out, y)
    if name == "huber":
        return F.huber_loss(out, y)
    return {"mse": F.mse_loss, "mae": F.l1_loss}[name](out, y)


CASES = [  # (hidden activations, final activation, output width, loss)
    (("relu", "tanh"), "softmax", 3, "categorical_crossentropy"),
    (("tanh", "sigmoid"), "sigmoid", 1, "binary_crossentropy"),
    (("relu", "relu"), "linear", 2, "mse"),
    (("sigmoid", "tanh"), "linear", 2, "huber"),
    (("tanh", "linear"), "linear", 1, "mae"),
    (("relu", "tanh"), "linear", 3, "cross_entropy"),
]

OPTIMIZERS = {
    "sgd_momentum": (lambda: SGD(0.1, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    "sgd_nesterov": (lambda: SGD(0.05, momentum=0.8, nesterov=True),
                     lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True)),
    "adam": (lambda: Adam(0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
    "adam_custom": (lambda: Adam(0.05, beta_1=0.8, beta_2=0.99, epsilon=1e-6),
                    lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-6)),
}


def _problem(k, loss, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, 4))
    if loss in ("categorical_crossentropy", "cross_entropy"):
        y = rng.integers(0, k, size=N)
    elif loss == "binary_crossentropy":
        y = rng.integers(0, 2, size=(N, k)).astype(float)
    else:
        y = 2.0 * rng.normal(size=(N, k))
    return X, y


@pytest.mark.parametrize("opt_name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("hidden, final, k, loss", CASES)
def test_five_steps_match_pytorch(hidden, final, k, loss, opt_name):
    make_ours, make_theirs = OPTIMIZERS[opt_name]
    X, y = _problem(k, loss)
    model = Sequential([Dense(6, hidden[0], input_dim=4), Dense(5, hidden[1]), Dense(k, final)], seed=1)
    model.compile(optimizer=make_ours(), loss=loss)
    start = model.get_weights()

    linears = [torch.nn.Linear(i, o).double() for i, o in ((4, 6), (6, 5), (5, k))]
    with torch.no_grad():
        for lin, W, b in zip(linears, start[::2], start[1::2]):
            lin.weight.copy_(torch.from_numpy(W.T))
            lin.bias.copy_(torch.from_numpy(b))
    acts = [TORCH_ACT[a] for a in (*hidden, final)]
    order = np.random.default_rng(7).permutation(N)   # what fit(..., seed=7) draws for epoch 1
    _torch_run(linears, acts, loss, X, y, [order], BATCH, make_theirs)

    hist = model.fit(X, y, epochs=1, batch_size=BATCH, shuffle=True, seed=7, verbose=0)
    assert model.optimizer.iterations == 5 and np.isfinite(hist.history["loss"][0])
    for i, (ours, lin) in enumerate(zip(model.get_weights()[::2], linears)):
        np.testing.assert_allclose(ours, lin.weight.detach().numpy().T, rtol=0, atol=1e-10, err_msg=f"W{i + 1}")
    for i, (ours, lin) in enumerate(zip(model.get_weights()[1::2], linears)):
        np.testing.assert_allclose(ours, lin.bias.detach().numpy(), rtol=0, atol=1e-10, err_msg=f"b{i + 1}")
    moved = max(np.abs(a - b).max() for a, b in zip(model.get_weights(), start))
    assert moved > 1e-3  # the comparison is not between two untouched copies


def test_predict_and_loss_match_pytorch_forward():
    X, y = _problem(3, "categorical_crossentropy", seed=3)
    model = Sequential([Dense(6, "tanh", input_dim=4), Dense(3, "softmax")], seed=2)
    model.compile(loss="categorical_crossentropy")
    W1, b1, W2, b2 = (torch.from_numpy(w) for w in model.get_weights())
    logits = torch.tanh(torch.from_numpy(X) @ W1 + b1) @ W2 + b2
    np.testing.assert_allclose(model.predict(X), torch.softmax(logits, dim=1).numpy(), rtol=1e-13)
    assert model.compute_loss(X, y) == pytest.approx(F.cross_entropy(logits, torch.from_numpy(y)).item(), rel=1e-13)


# ----------------------------------------------------------------------------- edge cases against PyTorch

def _torch_twin(model):
    """torch Linear layers holding exactly the model's current weights."""
    linears = []
    for W, b in zip(model.get_weights()[::2], model.get_weights()[1::2]):
        lin = torch.nn.Linear(*W.shape).double()
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(W.T))
            lin.bias.copy_(torch.from_numpy(b))
        linears.append(lin)
    return linears


def _torch_run(linears, acts, loss, X, y, orders, batch, make_opt):
    opt = make_opt([p for lin in linears for p in lin.parameters()])
    Xt, yt = torch.from_numpy(np.asarray(X, dtype=float)), torch.from_numpy(y)
    for order in orders:
        for s in range(0, len(Xt), batch):
            idx = torch.from_numpy(order[s:s + batch])
            out = Xt[idx]
            for lin, act in zip(linears, acts):
                out = act(lin(out))
            opt.zero_grad()
            _torch_loss(loss, out, yt[idx]).backward()
            opt.step()


def _assert_same_weights(model, linears, atol=1e-10):
    for i, (W, b, lin) in enumerate(zip(model.get_weights()[::2], model.get_weights()[1::2], linears)):
        np.testing.assert_allclose(W, lin.weight.detach().numpy().T, rtol=0, atol=atol, err_msg=f"W{i + 1}")
        np.testing.assert_allclose(b, lin.bias.detach().numpy(), rtol=0, atol=atol, err_msg=f"b{i + 1}")


@pytest.mark.parametrize("opt_name", ["sgd_momentum", "adam"])
@pytest.mark.parametrize("batch", [1, 3, 4, 7])   # 10 samples: size-1 batches, and a last partial batch
def test_batch_of_one_and_last_partial_batch_over_two_shuffled_epochs_match_pytorch(batch, opt_name):
    make_ours, make_theirs = OPTIMIZERS[opt_name]
    X, y = _problem(3, "categorical_crossentropy", seed=4)
    model = Sequential([Dense(5, "relu", input_dim=4), Dense(3, "softmax")], seed=3)
    model.compile(optimizer=make_ours(), loss="categorical_crossentropy")
    linears = _torch_twin(model)
    rng = np.random.default_rng(11)                       # fit(seed=11) reshuffles every epoch from one stream
    orders = [rng.permutation(N), rng.permutation(N)]
    assert not np.array_equal(*orders)
    _torch_run(linears, [torch.relu, TORCH_ACT["softmax"]], "categorical_crossentropy", X, y, orders, batch,
               make_theirs)
    model.fit(X, y, epochs=2, batch_size=batch, seed=11, verbose=0)
    assert model.optimizer.iterations == 2 * -(-N // batch)
    _assert_same_weights(model, linears)


@pytest.mark.parametrize("loss, final", [("mse", "linear"), ("binary_crossentropy", "sigmoid"), ("mae", "tanh")])
def test_targets_as_column_or_flat_train_identically_and_like_pytorch(loss, final):
    """y of shape (n,) must be treated as (n, 1), never broadcast to (n, n) against the (n, 1) output."""
    X, y = _problem(1, loss, seed=5)
    y = y.ravel()
    runs = {}
    for label, target in (("flat", y), ("column", y[:, None])):
        model = Sequential([Dense(4, "tanh", input_dim=4), Dense(1, final)], seed=0)
        model.compile(optimizer=Adam(0.05), loss=loss)
        runs[label] = (model, model.fit(X, target, epochs=3, batch_size=4, seed=2, verbose=0))
    (flat, h_flat), (column, h_col) = runs["flat"], runs["column"]
    # A broadcasting mistake ((n,) against (n, 1) becomes (n, n)) changes the loss by orders of magnitude;
    # the two layouts may reach the same numbers through differently strided kernels, so compare to
    # float64 rounding rather than bit for bit.
    assert h_flat.history.keys() == h_col.history.keys()
    for key in h_flat.history:
        np.testing.assert_allclose(h_flat.history[key], h_col.history[key], rtol=1e-12)
    for a, b in zip(flat.get_weights(), column.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)

    reference = Sequential([Dense(4, "tanh", input_dim=4), Dense(1, final)], seed=0)
    linears = _torch_twin(reference)
    rng = np.random.default_rng(2)
    _torch_run(linears, [torch.tanh, TORCH_ACT[final]], loss, X, y[:, None],
               [rng.permutation(N) for _ in range(3)], 4, lambda p: torch.optim.Adam(p, lr=0.05))
    _assert_same_weights(flat, linears)


def test_integer_and_list_inputs_train_like_float64_arrays():
    rng = np.random.default_rng(0)
    X_int = rng.integers(-3, 4, size=(N, 4))
    y = rng.integers(0, 3, size=N)
    results = []
    for X_in, y_in in ((X_int, y), (X_int.astype(float), y.astype(float)), (X_int.tolist(), y.tolist())):
        model = Sequential([Dense(5, "relu", input_dim=4), Dense(3, "softmax")], seed=1)
        model.compile(optimizer=SGD(0.05, momentum=0.9), loss="categorical_crossentropy")
        model.fit(X_in, y_in, epochs=2, batch_size=3, seed=0, verbose=0)
        results.append(model.get_weights())
    # Exact on purpose: ints and lists are converted to the identical float64 arrays before any
    # arithmetic, so all three runs execute the same kernels on the same numbers.
    for other in results[1:]:
        for a, b in zip(results[0], other):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("make_ours, make_theirs", [
    (lambda: SGD(0.1, momentum=0.9), lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    (lambda: SGD(0.1), lambda p: torch.optim.SGD(p, lr=0.1)),
    (lambda: SGD(0.03, momentum=0.5, nesterov=True),
     lambda p: torch.optim.SGD(p, lr=0.03, momentum=0.5, nesterov=True)),
    (lambda: Adam(), lambda p: torch.optim.Adam(p)),
    (lambda: Adam(0.3, beta_1=0.0, beta_2=0.5, epsilon=1e-3),
     lambda p: torch.optim.Adam(p, lr=0.3, betas=(0.0, 0.5), eps=1e-3)),
])
def test_optimizer_steps_match_pytorch_from_the_first_step(make_ours, make_theirs):
    """Raw optimizer steps on arbitrary gradients: first momentum step (buf = g), Adam bias correction."""
    rng = np.random.default_rng(0)
    params = [rng.normal(size=(3, 2)), rng.normal(size=2)]
    theirs = [torch.tensor(p.copy(), requires_grad=True) for p in params]
    ours, opt_t = make_ours(), make_theirs(theirs)
    for step in range(6):
        grads = [rng.normal(size=p.shape) * 10.0 ** (step - 3) for p in params]   # tiny to large gradients
        ours.step(params, grads)
        for t, g in zip(theirs, grads):
            t.grad = torch.from_numpy(g.copy())
        opt_t.step()
        for p, t in zip(params, theirs):
            np.testing.assert_allclose(p, t.detach().numpy(), rtol=1e-13, atol=1e-15, err_msg=f"step {step + 1}")


@pytest.mark.parametrize("activation", ["linear", "relu", "sigmoid", "tanh", "softmax"])
def test_dense_forward_and_backward_match_pytorch_autograd(activation):
    rng = np.random.default_rng(1)
    layer = Dense(4, activation, input_dim=3, seed=0)
    x = rng.normal(size=(5, 3))
    x[0, :] = 0.0                                   # relu at z = b = 0 exactly: derivative 0 as in torch
    R = rng.normal(size=(5, 4))
    out = layer.forward(x)
    grad_x = layer.backward(R)
    xt = torch.tensor(x, requires_grad=True)
    Wt = torch.tensor(layer.W.copy(), requires_grad=True)
    bt = torch.tensor(layer.b.copy(), requires_grad=True)
    out_t = TORCH_ACT[activation](xt @ Wt + bt)
    (out_t * torch.from_numpy(R)).sum().backward()
    np.testing.assert_allclose(out, out_t.detach().numpy(), rtol=1e-14, atol=1e-15)
    np.testing.assert_allclose(layer.dW, Wt.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(layer.db, bt.grad.numpy(), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(grad_x, xt.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_multi_label_sigmoid_bce_matches_pytorch_and_reports_per_output_accuracy():
    X, y = _problem(2, "binary_crossentropy", seed=6)      # y (n, 2) of independent 0/1 labels
    model = Sequential([Dense(5, "tanh", input_dim=4), Dense(2, "sigmoid")], seed=2)
    model.compile(optimizer=Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"])
    linears = _torch_twin(model)
    rng = np.random.default_rng(0)
    _torch_run(linears, [torch.tanh, torch.sigmoid], "binary_crossentropy", X, y, [rng.permutation(N)], 5,
               lambda p: torch.optim.Adam(p, lr=0.02))
    model.fit(X, y, epochs=1, batch_size=5, seed=0, verbose=0)
    _assert_same_weights(model, linears)
    p = model.predict(X)
    assert model.evaluate(X, y, return_dict=True)["accuracy"] == pytest.approx(np.mean((p > 0.5) == (y > 0.5)))
