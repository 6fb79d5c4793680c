"""Speed of one training epoch: lessons_lib.nn against PyTorch (CPU, float64, 2 threads).

Network 784-128(relu)-10(softmax), Adam, categorical cross-entropy, 60,000 synthetic samples,
batch 128, shuffled. Both sides start from the same weights and see the same batches, so each row
of the table also shows that they did the same work (equal epoch loss, final weights within ~1e-15).
Runs alternate between the two libraries so background load affects both alike; the best run of each
gives the ratio. PyTorch runs in its own process (on the same seeded data), so its OpenMP worker threads
cannot slow NumPy. Run with ``python benchmarks/bench_training.py``; without torch it prints our timing only.
"""
import argparse
import functools
import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from lessons_lib.nn import Dense, Sequential


def make_data(n, seed=0):
    """Synthetic MNIST-shaped data: X (n, 784) in [0, 1), y (n,) labels 0..9 from a random linear rule."""
    rng = np.random.default_rng(seed)
    X = rng.random((n, 784))
    y = (X @ rng.normal(size=(784, 10))).argmax(axis=1)
    return X, y


def build_ours(seed=0):
    model = Sequential([Dense(128, activation="relu", input_dim=784), Dense(10, activation="softmax")], seed=seed)
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def time_ours(model, X, y, batch_size, seed):
    start = time.perf_counter()
    history = model.fit(X, y, epochs=1, batch_size=batch_size, shuffle=True, seed=seed, verbose=0)
    return time.perf_counter() - start, history.history["loss"][-1]


@functools.lru_cache(maxsize=1)
def _data(samples):
    return make_data(samples)


def time_torch(samples, weights, batch_size, seed):
    """The same epoch in PyTorch (in the child process): identical data, weights and batch order.
    Returns (s, loss, weights)."""
    import torch

    X, y = _data(samples)
    torch.set_num_threads(2)
    net = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10)).double()
    with torch.no_grad():
        for layer, (W, b) in zip((net[0], net[2]), zip(weights[::2], weights[1::2])):
            layer.weight.copy_(torch.from_numpy(W.T))
            layer.bias.copy_(torch.from_numpy(b))
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    order = torch.from_numpy(np.random.default_rng(seed).permutation(len(X)))
    start = time.perf_counter()
    total = 0.0
    for s in range(0, len(X), batch_size):
        idx = order[s:s + batch_size]
        loss = torch.nn.functional.cross_entropy(net(Xt[idx]), yt[idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(idx)
    seconds = time.perf_counter() - start
    trained = [t.detach().numpy().copy() for layer in (net[0], net[2]) for t in (layer.weight.T, layer.bias)]
    return seconds, total / len(X), trained


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=60_000)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=3, help="best of this many epochs is reported")
    args = parser.parse_args()
    X, y = make_data(args.samples)
    try:  # give NumPy's BLAS the same 2 threads as PyTorch, for a fair comparison
        from threadpoolctl import threadpool_limits
        threadpool_limits(2)
    except ImportError:
        pass
    try:
        import torch
    except ImportError:
        torch = None
    else:
        child = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    print(f"one epoch, 784-128-10 MLP, Adam, {args.samples} samples, batch {args.batch_size}, float64")
    header = f"{'run':>4}  {'lessons_lib.nn':>14}  {'PyTorch':>9}  {'ratio':>6}  {'epoch loss':>10}  {'weight gap':>10}"
    print(header)
    print("-" * len(header))
    ours, theirs = [], []
    for r in range(args.repeats):  # interleaved, so background load hits both sides alike
        model = build_ours(seed=r)
        weights = model.get_weights()
        seconds, loss = time_ours(model, X, y, args.batch_size, seed=r)
        ours.append(seconds)
        if torch is None:
            print(f"{r + 1:>4}  {seconds:>12.3f} s  {'-':>9}  {'-':>6}  {loss:>10.4f}  {'-':>10}")
            continue
        t_seconds, t_loss, t_weights = child.submit(time_torch, args.samples, weights, args.batch_size, r).result()
        theirs.append(t_seconds)
        gap = max(float(np.abs(a - b).max()) for a, b in zip(model.get_weights(), t_weights))
        print(f"{r + 1:>4}  {seconds:>12.3f} s  {t_seconds:>7.3f} s  {seconds / t_seconds:>5.2f}x  "
              f"{loss:>10.4f}  {gap:>10.1e}")
        if abs(loss - t_loss) > 1e-8 * abs(t_loss):
            print(f"      warning: PyTorch's epoch loss {t_loss:.10f} differs; the two runs did different work")
    print("-" * len(header))
    if torch is None:
        print(f"best lessons_lib.nn epoch {min(ours):.3f} s. PyTorch is not installed, so there is no "
              "comparison (pip install torch to get one).")
        return
    child.shutdown()
    print(f"best of {args.repeats}: lessons_lib.nn {min(ours):.3f} s, PyTorch {torch.__version__} "
          f"{min(theirs):.3f} s (2 threads)")
    print(f"ratio ours / PyTorch = {min(ours) / min(theirs):.2f}x  (target <= 2x)")


if __name__ == "__main__":
    main()
