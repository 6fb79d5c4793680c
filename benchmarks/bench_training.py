"""Speed of one training epoch: lessons_lib.nn against PyTorch (CPU, float64, 2 threads).

Network 784-128(relu)-10(softmax), Adam, categorical cross-entropy, 60,000 synthetic samples,
batch 128, shuffled. Both sides start from the same weights and see the same batches. Run with
``python benchmarks/bench_training.py``; without torch it prints our timing only.
"""
import argparse
import time

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


def time_torch(torch, weights, X, y, batch_size, seed):
    """The same epoch in PyTorch: identical weights, identical batch order."""
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
    return time.perf_counter() - start, total / len(X)


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
    print(f"one epoch, 784-128-10 MLP, Adam, {args.samples} samples, batch {args.batch_size}, float64")
    ours = []
    for r in range(args.repeats):
        model = build_ours(seed=r)
        weights = model.get_weights()
        seconds, loss = time_ours(model, X, y, args.batch_size, seed=r)
        ours.append((seconds, loss, weights))
    best = min(ours, key=lambda t: t[0])
    print(f"lessons_lib.nn : {best[0]:.3f} s  (epoch loss {best[1]:.4f})")
    try:
        import torch
    except ImportError:
        print("PyTorch is not installed, so there is no comparison (pip install torch to get one).")
        return
    theirs = [time_torch(torch, w, X, y, args.batch_size, seed=r)[0:2] for r, (_, _, w) in enumerate(ours)]
    t_best = min(theirs, key=lambda t: t[0])
    print(f"PyTorch {torch.__version__} : {t_best[0]:.3f} s  (epoch loss {t_best[1]:.4f}, 2 threads)")
    print(f"ratio ours / PyTorch = {best[0] / t_best[0]:.2f}x  (target <= 2x)")


if __name__ == "__main__":
    main()
