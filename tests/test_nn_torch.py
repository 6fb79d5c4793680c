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
    opt = make_theirs([p for lin in linears for p in lin.parameters()])

    order = np.random.default_rng(7).permutation(N)   # what fit(..., seed=7) draws for epoch 1
    Xt = torch.from_numpy(X)
    yt = torch.from_numpy(y)
    for s in range(0, N, BATCH):
        idx = torch.from_numpy(order[s:s + BATCH])
        out = Xt[idx]
        for lin, act in zip(linears, acts):
            out = act(lin(out))
        opt.zero_grad()
        _torch_loss(loss, out, yt[idx]).backward()
        opt.step()

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
