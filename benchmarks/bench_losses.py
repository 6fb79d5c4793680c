"""Speed and memory of lessons_lib.losses against PyTorch CPU float64, measured side by side in one run.

    python benchmarks/bench_losses.py [--rounds 15] [--threads 2]

For each loss, value + gradient with mean reduction at 10**6 elements (10**5 x 10 for the categorical
losses), three ways:

* fused:    ``get_loss(name).value_and_grad(y, p)``, what a training step calls (validation included);
* readable: ``loss(y, p)`` then ``loss.grad(y, p)``, the formulas of losses.py, each call validating;
* torch:    ``torch.nn.functional`` forward + autograd backward, on --threads intra-op threads
            (lessons_lib uses two threads on large inputs, or one with --threads 1).

PyTorch runs in a child process (the same seeded inputs), one case at a time while this process waits,
so each library runs as it would alone: in one process, PyTorch's OpenMP worker threads slowed the next
NumPy calls by up to 60 % on a 2-core machine. With ``--threads 1 --cpu-time`` both libraries run on one
thread and each call is timed by the thread's CPU time, a comparison that a busy (shared) machine does not
distort. Every timed call is preceded by an untimed one of the same function (caches warm), and the best
of --rounds rounds is reported (as ``timeit`` advises: on a virtual machine the spread between runs is
±20 %, all of it from interruptions, which can only add time). Ratios are ours / torch; targets: fused <= 1.2, readable <= 2. "peak" is
the largest extra memory lessons_lib allocates during the call (tracemalloc), in multiples of one input
array. Without PyTorch, only our timings are printed.
"""
import argparse
import multiprocessing
import os
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from lessons_lib import losses as L

TARGET_FUSED, TARGET_READABLE = 1.2, 2.0


def best_times(fns, rounds, clock=time.perf_counter):
    """Best time of each function over ``rounds`` rounds; each timed call follows an untimed one."""
    times = [[] for _ in fns]
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            fn()
            start = clock()
            fn()
            times[i].append(clock() - start)
    return [min(t) for t in times]


def peak_extra_bytes(fn):
    fn()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def cases(rng):
    """(label, loss name, y_true, y_pred, torch recipe)."""
    n, (m, k) = 10**6, (10**5, 10)
    y_reg, p_reg = rng.normal(size=n), rng.normal(size=n)
    y_bin, p_bin, z_bin = rng.integers(0, 2, size=n).astype(float), rng.uniform(0.01, 0.99, size=n), rng.normal(size=n)
    idx = rng.integers(0, k, size=m)
    onehot = np.eye(k)[idx]
    logits = rng.normal(size=(m, k))
    probs = L.softmax(logits)
    return [
        ("mse", "mse", y_reg, p_reg, "mse_loss"),
        ("mae", "mae", y_reg, p_reg, "l1_loss"),
        ("huber", "huber", y_reg, p_reg, "huber_loss"),
        ("bce", "binary_cross_entropy", y_bin, p_bin, "binary_cross_entropy"),
        ("bce on logits", "binary_cross_entropy_with_logits", y_bin, z_bin, "binary_cross_entropy_with_logits"),
        ("cce, class indices", "categorical_cross_entropy", idx, probs, "nll_of_log"),
        ("cce, one-hot", "categorical_cross_entropy", onehot, probs, "nll_of_log"),
        ("softmax ce, class indices", "softmax_cross_entropy", idx, logits, "cross_entropy"),
        ("softmax ce, one-hot", "softmax_cross_entropy", onehot, logits, "cross_entropy"),
    ]


def torch_runner(torch, recipe, y, p):
    """Forward + backward in PyTorch, the same loss as ours (mean reduction)."""
    F = torch.nn.functional
    target = torch.as_tensor(y)
    pred0 = torch.as_tensor(p)

    def run():
        pred = pred0.detach().requires_grad_(True)
        if recipe == "nll_of_log":  # cross-entropy on probabilities: -sum y log p, logs clamped at -100
            logp = torch.log(pred).clamp(min=-100)
            loss = F.nll_loss(logp, target) if target.ndim == 1 else -(target * logp).sum(1).mean()
        else:
            loss = getattr(F, recipe)(pred, target)
        loss.backward()
        return loss.item(), pred.grad

    return run


def _clock(cpu_time):
    return time.thread_time if cpu_time else time.perf_counter


def _torch_setup(threads):
    """Child process start-up: import PyTorch on ``threads`` intra-op threads."""
    import torch

    torch.set_num_threads(threads)


def torch_best(case_index, rounds, cpu_time):
    """Best time of PyTorch's forward + backward for ``cases(...)[case_index]`` (runs in the child)."""
    import torch

    _, _, y, p, recipe = cases(np.random.default_rng(0))[case_index]
    return best_times([torch_runner(torch, recipe, y, p)], rounds, _clock(cpu_time))[0]


def _torch_version():
    import torch

    return torch.__version__


def torch_child(threads):
    """A one-process pool with PyTorch imported, or None when PyTorch is not installed."""
    try:
        import torch  # noqa: F401  (only to know whether it is there; the child imports its own)
    except ImportError:
        return None
    return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_torch_setup, initargs=(threads,))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, default=2,
                        help="threads for both libraries: PyTorch's intra-op threads; with 1, lessons_lib's "
                             "kernels also stay on one thread (a steadier comparison on a busy machine)")
    parser.add_argument("--cpu-time", action="store_true",
                        help="with --threads 1: time each call by the CPU time of this thread (time.thread_time), "
                             "which other programs on a busy machine cannot inflate")
    args = parser.parse_args()
    if args.cpu_time and args.threads != 1:
        parser.error("--cpu-time measures one thread; use it with --threads 1")
    clock = _clock(args.cpu_time)
    child = torch_child(args.threads)
    if child is None:
        print("PyTorch is not installed: printing lessons_lib timings only (pip install torch for ratios).")

    if args.threads == 1:
        from lessons_lib import _kernels
        _kernels.PARALLEL_MIN = float("inf")
    rng = np.random.default_rng(0)
    header = (f"{'loss (mean, value + gradient)':30s} {'torch ms':>9s} {'fused ms':>9s} {'ratio':>6s} "
              f"{'readable ms':>12s} {'ratio':>6s} {'peak fused':>11s} {'peak readable':>14s}")
    print(header)
    print("-" * len(header))
    worst_fused = worst_readable = 0.0
    for index, (label, name, y, p, recipe) in enumerate(cases(rng)):
        loss = L.get_loss(name)

        def fused():
            return loss.value_and_grad(y, p)

        def readable():
            return loss(y, p), loss.grad(y, p)

        peaks = [peak_extra_bytes(f) / p.nbytes for f in (fused, readable)]
        if child is not None:
            t_torch = child.submit(torch_best, index, args.rounds, args.cpu_time).result()
            t_fused, t_readable = best_times([fused, readable], args.rounds, clock)
            r_fused, r_readable = t_fused / t_torch, t_readable / t_torch
            worst_fused, worst_readable = max(worst_fused, r_fused), max(worst_readable, r_readable)
            print(f"{label:30s} {t_torch * 1e3:9.2f} {t_fused * 1e3:9.2f} {r_fused:6.2f} "
                  f"{t_readable * 1e3:12.2f} {r_readable:6.2f} {peaks[0]:10.1f}x {peaks[1]:13.1f}x")
        else:
            t_fused, t_readable = best_times([fused, readable], args.rounds, clock)
            print(f"{label:30s} {'-':>9s} {t_fused * 1e3:9.2f} {'-':>6s} {t_readable * 1e3:12.2f} {'-':>6s} "
                  f"{peaks[0]:10.1f}x {peaks[1]:13.1f}x")
    if child is not None:
        torch_version = child.submit(_torch_version).result()
        child.shutdown()
        verdict = "met" if worst_fused <= TARGET_FUSED and worst_readable <= TARGET_READABLE else "NOT met"
        print(f"\nslowest ratios: fused {worst_fused:.2f}x, readable {worst_readable:.2f}x PyTorch "
              f"(targets {TARGET_FUSED} and {TARGET_READABLE}: {verdict}); {args.threads} torch thread(s), "
              f"numpy {np.__version__}, torch {torch_version} (own process), best of {args.rounds} rounds "
              f"({'thread CPU time' if args.cpu_time else 'wall clock'}), "
              f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
