"""Speed and memory of lessons_lib.losses against PyTorch CPU float64, measured in the same run.

    python benchmarks/bench_losses.py [--repeat 7] [--threads 2]

For each loss: the time of value + gradient at 10**6 elements (10**5 x 10 for the categorical losses),
best of --repeat interleaved rounds of 3 runs, for lessons_lib and for torch.nn.functional (forward +
autograd backward), and their ratio (ours / torch; target <= 1.5). "peak temp" is the largest extra memory
lessons_lib allocates during value + gradient, in multiples of one input array (target: a small constant).
Without PyTorch installed it prints our timings only.
"""
import argparse
import time
import tracemalloc

import numpy as np

from lessons_lib import losses as L


def best_times(fns, repeat, burst=3):
    """Best time of each function over repeat rounds of `burst` back-to-back calls.

    The rounds alternate between the functions, so a busy spell on a shared machine slows all of
    them alike. Each round starts with an untimed call: it lets the other library's idle worker
    threads stop spinning (PyTorch's OpenMP threads busy-wait ~10 ms after each call) and refills
    the caches, so neither library is timed in the other's wake.
    """
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            fn()
            for _ in range(burst):
                start = time.perf_counter()
                fn()
                best[i] = min(best[i], time.perf_counter() - start)
    return best


def peak_extra_bytes(fn):
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def cases(rng):
    n, (m, k) = 10**6, (10**5, 10)
    y_reg, p_reg = rng.normal(size=n), rng.normal(size=n)
    y_bin, p_bin, z_bin = rng.integers(0, 2, size=n).astype(float), rng.uniform(0.01, 0.99, size=n), rng.normal(size=n)
    idx = rng.integers(0, k, size=m)
    logits = rng.normal(size=(m, k))
    probs = L.softmax(logits)
    return [
        ("mse", L.mse, L.mse_grad, y_reg, p_reg, "mse_loss", {}),
        ("mae", L.mae, L.mae_grad, y_reg, p_reg, "l1_loss", {}),
        ("huber", L.huber, L.huber_grad, y_reg, p_reg, "huber_loss", {}),
        ("binary_cross_entropy", L.binary_cross_entropy, L.binary_cross_entropy_grad, y_bin, p_bin,
         "binary_cross_entropy", {}),
        ("bce_with_logits", L.binary_cross_entropy_with_logits, L.binary_cross_entropy_with_logits_grad,
         y_bin, z_bin, "binary_cross_entropy_with_logits", {}),
        ("categorical_cross_entropy", L.categorical_cross_entropy, L.categorical_cross_entropy_grad, idx, probs,
         "nll_of_log", {}),
        ("softmax_cross_entropy", L.softmax_cross_entropy, L.softmax_cross_entropy_grad, idx, logits,
         "cross_entropy", {}),
    ]


def torch_runner(torch, name, y, p):
    F = torch.nn.functional
    target = torch.as_tensor(y)
    pred0 = torch.as_tensor(p)

    def run():
        pred = pred0.detach().requires_grad_(True)
        if name == "nll_of_log":
            loss = F.nll_loss(torch.log(pred).clamp(min=-100), target)
        else:
            loss = getattr(F, name)(pred, target)
        loss.backward()
        return loss.item(), pred.grad

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--threads", type=int, default=2, help="PyTorch intra-op threads")
    args = parser.parse_args()
    try:
        import torch
        torch.set_num_threads(args.threads)
    except ImportError:
        torch = None
        print("PyTorch is not installed: printing lessons_lib timings only (pip install torch for ratios).")

    rng = np.random.default_rng(0)
    header = f"{'loss':28s} {'ours (ms)':>10s} {'torch (ms)':>11s} {'ratio':>7s} {'peak temp':>10s}"
    print(header)
    print("-" * len(header))
    worst = 0.0
    for label, fn, grad, y, p, torch_name, _ in cases(rng):
        loss = L.get_loss(fn.__name__)

        def ours():
            return loss.value_and_grad(y, p)

        extra = peak_extra_bytes(ours) / p.nbytes
        if torch is not None:
            t_ours, t_torch = best_times([ours, torch_runner(torch, torch_name, y, p)], args.repeat)
            ratio = t_ours / t_torch
            worst = max(worst, ratio)
            print(f"{label:28s} {t_ours * 1e3:10.2f} {t_torch * 1e3:11.2f} {ratio:7.2f} {extra:9.1f}x")
        else:
            t_ours, = best_times([ours], args.repeat)
            print(f"{label:28s} {t_ours * 1e3:10.2f} {'-':>11s} {'-':>7s} {extra:9.1f}x")
    if torch is not None:
        print(f"\nslowest ratio: {worst:.2f}x PyTorch ({args.threads} torch thread(s), numpy "
              f"{np.__version__}, torch {torch.__version__})")


if __name__ == "__main__":
    main()
