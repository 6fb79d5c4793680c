"""The fast path (lessons_lib._kernels, behind ``Loss.value_and_grad``) against the readable formulas.

``losses.mse``, ``losses.mse_grad``, ... are the formulas as the lessons write them; the fused call
computes the same numbers in blocks, with scratch buffers and, from PARALLEL_MIN elements on, on two
threads. The two are different code paths that sum in different orders, so they are compared with a
stated tolerance (RTOL = ATOL = 1e-12), never bit for bit. Here the block size and the two-thread
threshold are shrunk so every small test input takes the blocked two-thread path; the values must
also match PyTorch float64 (when installed), extremes included, and a bad input must raise the same
clear error through both paths.
"""
import numpy as np
import pytest

from lessons_lib import _kernels as K
from lessons_lib import losses as L

RTOL, ATOL = 1e-12, 1e-12
REDUCTIONS = ["mean", "sum", "none"]


@pytest.fixture
def chunked(monkeypatch):
    """Blocks of 4 elements and two threads from 8 elements (or 8 rows x classes) on."""
    monkeypatch.setattr(K, "BLOCK", 4)
    monkeypatch.setattr(K, "PARALLEL_MIN", 8)
    calls = []
    executor = K._executor

    def counting_executor():
        calls.append(1)
        return executor()

    monkeypatch.setattr(K, "_executor", counting_executor)
    return calls


def readable(loss, y, p, **kwargs):
    """(value, gradient) from the readable formulas: two separate calls, plain NumPy."""
    return loss(y, p, **kwargs), loss.grad(y, p, **kwargs)


def elementwise_cases():
    rng = np.random.default_rng(7)
    n = 37  # not a multiple of the block size
    yield "mse", rng.normal(size=(n,)), rng.normal(size=(n,)) * 3
    yield "mae", np.array([1.0, 2.0, 3.0, 4.0] * 5), np.array([1.0, 3.0, 3.0, 2.0] * 5)  # ties: the kink
    yield "huber", rng.normal(size=(5, 7)), rng.normal(size=(5, 7)) * 3
    big = np.array([1e150, -1e150, 3.0, 0.5, -2.0] * 3)
    for name in ("mse", "mae", "huber"):
        yield name, big, -big  # huge errors: squares overflow to inf
    y = rng.integers(0, 2, size=41).astype(float)
    p = rng.uniform(0.001, 0.999, size=41)
    p[:6] = [0.0, 1.0, 0.0, 1.0, 1e-300, 1 - 1e-16]  # p exactly 0 and 1
    yield "binary_cross_entropy", y, p
    z = rng.normal(size=41) * 5
    z[:6] = [1000.0, -1000.0, -1000.0, 1000.0, 30.0, -30.0]
    yield "binary_cross_entropy_with_logits", y, z


def categorical_cases():
    rng = np.random.default_rng(8)
    n, k = 13, 5
    z = rng.normal(size=(n, k)) * 4
    z[0], z[-1] = [1000.0, -1000.0, 0.0, 0.0, 0.0], [-1000.0, -1000.0, 1000.0, 0.0, 0.0]
    idx = rng.integers(0, k, size=n)
    soft = rng.dirichlet(np.ones(k), size=n)
    probs = rng.dirichlet(np.ones(k), size=n)
    for targets in (idx, np.eye(k)[idx], soft):
        yield "softmax_cross_entropy", targets, z
        yield "categorical_cross_entropy", targets, probs  # (one pass over n values: never split in two)


ALL_CASES = list(elementwise_cases()) + list(categorical_cases())


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c[0])
def test_fast_path_matches_readable_formulas(chunked, reduction, case):
    name, y, p = case
    loss = L.get_loss(name)
    value, grad = loss.value_and_grad(y, p, reduction=reduction)
    assert chunked or name == "categorical_cross_entropy", "the two-thread path was not taken"
    ref_value, ref_grad = readable(loss, y, p, reduction=reduction)
    assert np.shape(value) == np.shape(ref_value) and grad.shape == ref_grad.shape == np.shape(p)
    np.testing.assert_allclose(value, ref_value, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(grad, ref_grad, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_one_thread_and_two_threads_agree(monkeypatch, reduction):
    y, p = np.random.default_rng(9).normal(size=(2, 1001))
    monkeypatch.setattr(K, "BLOCK", 16)
    for name in ("mse", "mae", "huber", "bce_with_logits"):
        yy = (y > 0).astype(float) if name == "bce_with_logits" else y
        loss = L.get_loss(name)
        monkeypatch.setattr(K, "PARALLEL_MIN", 2**40)
        one = loss.value_and_grad(yy, p, reduction=reduction)
        monkeypatch.setattr(K, "PARALLEL_MIN", 8)
        two = loss.value_and_grad(yy, p, reduction=reduction)
        np.testing.assert_allclose(two[0], one[0], rtol=1e-14)
        np.testing.assert_allclose(two[1], one[1], rtol=1e-14)


def test_fast_path_matches_readable_formulas_on_a_large_input():
    """The real block size and two threads (no shrinking): 3 blocks and a remainder."""
    rng = np.random.default_rng(11)
    n = 3 * K.BLOCK + 1234
    assert n >= K.PARALLEL_MIN
    y, p, z = rng.normal(size=n), rng.normal(size=n) * 3, rng.normal(size=n) * 4
    labels, probs = (y > 0).astype(float), rng.uniform(0.0, 1.0, size=n)
    for name, yy, pp in [("mse", y, p), ("mae", y, p), ("huber", y, p), ("binary_cross_entropy", labels, probs),
                         ("binary_cross_entropy_with_logits", labels, z),
                         ("softmax_cross_entropy", rng.integers(0, 10, size=n // 10), z[:n // 10 * 10].reshape(-1, 10))]:
        loss = L.get_loss(name)
        for reduction in REDUCTIONS:
            value, grad = loss.value_and_grad(yy, pp, reduction=reduction)
            ref_value, ref_grad = readable(loss, yy, pp, reduction=reduction)
            np.testing.assert_allclose(value, ref_value, rtol=RTOL, atol=ATOL, err_msg=name)
            np.testing.assert_allclose(grad, ref_grad, rtol=RTOL, atol=ATOL, err_msg=name)


def test_huber_delta_on_chunked_path(chunked):
    rng = np.random.default_rng(10)
    y, p = rng.normal(size=50), rng.normal(size=50) * 4
    for delta in (0.1, 2.5, 1e6):
        got = L.get_loss("huber").value_and_grad(y, p, delta=delta)
        ref = readable(L.get_loss("huber"), y, p, delta=delta)
        np.testing.assert_allclose(got[0], ref[0], rtol=RTOL)
        np.testing.assert_allclose(got[1], ref[1], rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("name, y, p", [
    ("mse", np.zeros(40), np.r_[np.zeros(39), np.nan]),
    ("mse", np.r_[np.zeros(39), np.inf], np.zeros(40)),
    ("binary_cross_entropy", np.zeros(40), np.r_[np.full(39, 0.5), 1.5]),
    ("binary_cross_entropy_with_logits", np.r_[np.zeros(39), 2.0], np.zeros(40)),
    ("softmax_cross_entropy", np.r_[np.zeros(19, int), 7], np.zeros((20, 3))),
    ("categorical_cross_entropy", np.zeros(20, int), np.r_[np.full((19, 2), 0.5), [[0.9, 0.3]]]),
])
def test_both_paths_raise_the_same_clear_error(chunked, name, y, p):
    with pytest.raises((ValueError, TypeError)) as plain_error:
        L.get_loss(name)(y, p)
    with pytest.raises(type(plain_error.value)) as chunked_error:
        L.get_loss(name).value_and_grad(y, p)
    assert str(chunked_error.value) == str(plain_error.value)
    assert any(s in str(chunked_error.value) for s in ("39", "19"))


def _bad_inputs():
    """Every element-wise loss with a NaN or an infinity in either input, alone or with a second problem."""
    rng = np.random.default_rng(7)
    for name in ("mse", "mae", "huber", "binary_cross_entropy", "binary_cross_entropy_with_logits"):
        ok = rng.uniform(0.1, 0.9, size=40)
        for bad in (np.nan, np.inf, -np.inf):
            for where in ("y", "p", "both"):
                y, p = ok.copy(), ok[::-1].copy()
                if where in ("y", "both"):
                    y[17] = bad
                if where in ("p", "both"):
                    p[3] = bad
                yield name, y, p
                yield name, y, p[:-1]  # and a shape mismatch
                if name == "binary_cross_entropy":
                    yield name, y, np.r_[p[:-1], 1.5]  # and a probability out of range


def _bad_categorical_inputs():
    """Categorical losses with a NaN or an infinity in the scores or the one-hot targets, alone or with
    a second problem (a row that does not sum to 1, a wrong shape)."""
    rng = np.random.default_rng(8)
    idx = rng.integers(0, 3, size=12)
    onehot = np.eye(3)[idx]
    logits = rng.normal(size=(12, 3))
    probs = L.softmax(logits)
    for name, scores in (("softmax_cross_entropy", logits), ("categorical_cross_entropy", probs)):
        for bad in (np.nan, np.inf, -np.inf):
            for column in (idx[5], (idx[5] + 1) % 3):  # in the target's column, and outside it
                bad_scores, bad_targets = scores.copy(), onehot.copy()
                bad_scores[5, column], bad_targets[2, 0] = bad, bad
                for y, z in ((idx, bad_scores), (onehot, bad_scores), (bad_targets, scores),
                             (bad_targets, bad_scores), (idx[:-1], bad_scores), (bad_targets, scores[:-1]),
                             (onehot * 2, bad_scores)):
                    yield name, y, z


@pytest.mark.parametrize("bad_inputs", [_bad_inputs, _bad_categorical_inputs])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_non_finite_inputs_raise_what_the_readable_path_raises(chunked, bad_inputs, reduction):
    """The fused call checks finiteness only when its result is not finite; its errors stay the same."""
    for name, y, p in bad_inputs():
        with pytest.raises(ValueError) as plain_error:
            L.get_loss(name)(y, p, reduction=reduction)
        with pytest.raises(ValueError) as fused_error:
            L.get_loss(name).value_and_grad(y, p, reduction=reduction)
        assert str(fused_error.value) == str(plain_error.value), (name, y, p)


def test_a_loss_that_overflows_on_finite_inputs_is_returned_not_refused():
    for name, big in (("mse", 1e200), ("huber", 1e308)):  # squares overflow; errors of 2e308 overflow
        y_pred = np.full(10, big)
        value, grad = L.get_loss(name).value_and_grad(-y_pred, y_pred)
        assert value == np.inf and np.isfinite(grad).all()


def test_both_inputs_bad_reports_y_true_first(chunked):
    bad = np.r_[np.zeros(39), np.nan]
    for call in (L.mse, L.get_loss("mse").value_and_grad):
        with pytest.raises(ValueError, match="y_true"):
            call(bad, bad.copy())


# ---------------------------------------------------------------- against PyTorch on the chunked path

def _torch_reference(name, y, p, reduction):
    torch = pytest.importorskip("torch", reason="PyTorch not installed: reference comparisons skipped")
    F = torch.nn.functional
    pred = torch.tensor(p, dtype=torch.float64, requires_grad=True)
    target = torch.as_tensor(y)
    if name == "categorical_cross_entropy":
        logp = torch.log(pred).clamp(min=-100)
        per = -(logp.gather(1, target[:, None])[:, 0] if target.ndim == 1 else (target * logp).sum(1))
        out = {"mean": per.mean, "sum": per.sum, "none": lambda: per}[reduction]()
    else:
        fn = {"mse": F.mse_loss, "mae": F.l1_loss, "huber": F.huber_loss,
              "binary_cross_entropy": F.binary_cross_entropy,
              "binary_cross_entropy_with_logits": F.binary_cross_entropy_with_logits,
              "softmax_cross_entropy": F.cross_entropy}[name]
        out = fn(pred, target, reduction=reduction)
    out.backward(torch.ones_like(out))
    return out.detach().numpy(), pred.grad.numpy()


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c[0])
def test_chunked_path_matches_torch(chunked, reduction, case):
    name, y, p = case
    ref_value, ref_grad = _torch_reference(name, y, p, reduction)
    value, grad = L.get_loss(name).value_and_grad(y, p, reduction=reduction)
    np.testing.assert_allclose(value, ref_value, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(grad, ref_grad, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("scale", [1e-300, 1e-17, 1e-10, 1e-4, 1.0])
@pytest.mark.parametrize("n", [1, 511, 512, 513, 5000])
def test_sum_log1p_in_groups_keeps_full_relative_accuracy(scale, n):
    """The grouped sum of log(1 + e) agrees with an exactly rounded sum of log1p to 1e-14, also when every
    e is tiny (confident right answers), where multiplying the (1 + e) themselves would lose the excess."""
    import math

    e = np.random.default_rng(n).uniform(0.0, 1.0, size=n) * scale
    exact = math.fsum(np.log1p(e))
    got = K._sum_log1p(e.copy(), np.empty(n))
    assert got == pytest.approx(exact, rel=1e-14, abs=1e-320)
