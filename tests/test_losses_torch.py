"""lessons_lib.losses against PyTorch float64 (values and gradients), on random and extreme inputs.

Skipped, with a visible reason, when PyTorch is not installed; `.ci/run` installs it so these run in CI.
"""
import numpy as np
import pytest

from lessons_lib import losses as L
from lessons_lib.activations import log_softmax, sigmoid, softmax

torch = pytest.importorskip("torch", reason="PyTorch not installed: reference comparisons skipped "
                                            "(pip install torch to run them)")
F = torch.nn.functional

RTOL, ATOL = 1e-12, 1e-12
REDUCTIONS = ["mean", "sum", "none"]


def torch_value_and_grad(fn, y_true, y_pred, reduction):
    """Value of fn(pred, target) in float64 and d(sum of outputs)/d pred, both as numpy."""
    pred = torch.tensor(np.asarray(y_pred, dtype=np.float64), requires_grad=True)
    target = torch.as_tensor(np.asarray(y_true))
    out = fn(pred, target, reduction)
    out.backward(torch.ones_like(out))
    return out.detach().numpy(), pred.grad.numpy()


def assert_matches(ours_value, ours_grad, ref_value, ref_grad):
    np.testing.assert_allclose(ours_value, ref_value, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours_grad, ref_grad, rtol=RTOL, atol=ATOL)


REGRESSION = {
    "mse": (L.mse, L.mse_grad, lambda p, y, r: F.mse_loss(p, y, reduction=r)),
    "mae": (L.mae, L.mae_grad, lambda p, y, r: F.l1_loss(p, y, reduction=r)),
    "huber": (L.huber, L.huber_grad, lambda p, y, r: F.huber_loss(p, y, reduction=r, delta=1.0)),
}


def regression_cases():
    rng = np.random.default_rng(0)
    yield "random", rng.normal(size=(50, 3)), rng.normal(size=(50, 3)) * 3
    yield "scalar", np.float64(90.0), np.float64(70.0)
    yield "huge errors", np.array([1e150, -1e150, 3.0]), np.array([-1e150, 1e150, 3.0])
    yield "ties (kink)", np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 3.0, 3.0, 2.0])  # d = 0, +-1 = delta
    yield "tiny errors", np.array([1.0, 1.0]), np.array([1.0 + 1e-15, 1.0 - 1e-13])


@pytest.mark.parametrize("name", REGRESSION)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", list(regression_cases()), ids=lambda c: c[0])
def test_regression_losses_match_torch(name, reduction, case):
    _, y, p = case
    fn, grad, ref = REGRESSION[name]
    ref_value, ref_grad = torch_value_and_grad(ref, y, p, reduction)
    assert_matches(fn(y, p, reduction=reduction), grad(y, p, reduction=reduction), ref_value, ref_grad)


@pytest.mark.parametrize("delta", [0.1, 1.0, 2.5, 1e6])
def test_huber_delta_matches_torch(delta):
    rng = np.random.default_rng(1)
    y, p = rng.normal(size=200), rng.normal(size=200) * 4
    ref = lambda pr, t, r: F.huber_loss(pr, t, reduction=r, delta=delta)  # noqa: E731
    ref_value, ref_grad = torch_value_and_grad(ref, y, p, "mean")
    assert_matches(L.huber(y, p, delta=delta), L.huber_grad(y, p, delta=delta), ref_value, ref_grad)


def binary_cases():
    rng = np.random.default_rng(2)
    yield "random", rng.integers(0, 2, size=300).astype(float), rng.uniform(0.001, 0.999, size=300)
    yield "soft labels", rng.uniform(size=(20, 4)), rng.uniform(size=(20, 4))
    yield "p exactly 0 and 1", np.array([1.0, 0.0, 0.0, 1.0, 0.5, 0.5]), np.array([0.0, 1.0, 0.0, 1.0, 0.0, 1.0])
    yield "p nearly 0 and 1", np.array([1.0, 0.0, 1.0]), np.array([1e-300, 1 - 1e-16, 1e-50])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", list(binary_cases()), ids=lambda c: c[0])
def test_binary_cross_entropy_matches_torch(reduction, case):
    _, y, p = case
    ref = lambda pr, t, r: F.binary_cross_entropy(pr, t, reduction=r)  # noqa: E731
    ref_value, ref_grad = torch_value_and_grad(ref, y, p, reduction)
    assert_matches(L.binary_cross_entropy(y, p, reduction=reduction),
                   L.binary_cross_entropy_grad(y, p, reduction=reduction), ref_value, ref_grad)


def logit_cases():
    rng = np.random.default_rng(3)
    yield "random", rng.integers(0, 2, size=300).astype(float), rng.normal(size=300) * 5
    yield "logits +-1000", np.array([1.0, 0.0, 1.0, 0.0, 0.3]), np.array([1000.0, -1000.0, -1000.0, 1000.0, 1000.0])
    yield "moderate", np.array([0.0, 1.0, 0.2]), np.array([-30.0, 30.0, 0.0])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", list(logit_cases()), ids=lambda c: c[0])
def test_bce_with_logits_matches_torch(reduction, case):
    _, y, z = case
    ref = lambda pr, t, r: F.binary_cross_entropy_with_logits(pr, t, reduction=r)  # noqa: E731
    ref_value, ref_grad = torch_value_and_grad(ref, y, z, reduction)
    # PyTorch evaluates log(1 + tiny) where we use log1p: both are within 1e-12 absolute of the truth.
    assert_matches(L.binary_cross_entropy_with_logits(y, z, reduction=reduction),
                   L.binary_cross_entropy_with_logits_grad(y, z, reduction=reduction), ref_value, ref_grad)


def _torch_cce_on_probs(probs, target, reduction):
    logp = torch.log(probs).clamp(min=-100)
    per_sample = -(logp.gather(1, target[:, None])[:, 0] if target.ndim == 1 else (target * logp).sum(1))
    return {"mean": per_sample.mean, "sum": per_sample.sum, "none": lambda: per_sample}[reduction]()


def categorical_cases():
    rng = np.random.default_rng(4)
    n, k = 64, 5
    probs = rng.dirichlet(np.ones(k), size=n)
    idx = rng.integers(0, k, size=n)
    soft = rng.dirichlet(np.ones(k), size=n)
    yield "indices", idx, probs
    yield "one-hot", np.eye(k)[idx], probs
    yield "soft targets", soft, probs


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", list(categorical_cases()), ids=lambda c: c[0])
def test_categorical_cross_entropy_matches_torch(reduction, case):
    _, y, p = case
    ref_value, ref_grad = torch_value_and_grad(_torch_cce_on_probs, y, p, reduction)
    assert_matches(L.categorical_cross_entropy(y, p, reduction=reduction),
                   L.categorical_cross_entropy_grad(y, p, reduction=reduction), ref_value, ref_grad)


def test_categorical_cross_entropy_value_at_zero_probability_matches_torch_clamp():
    p = np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
    y = np.array([0, 2])
    ref = _torch_cce_on_probs(torch.tensor(p), torch.tensor(y), "none").numpy()
    np.testing.assert_allclose(L.categorical_cross_entropy(y, p, reduction="none"), ref, rtol=RTOL)
    assert L.categorical_cross_entropy(y, p, reduction="none")[0] == 100.0


def softmax_cases():
    rng = np.random.default_rng(5)
    n, k = 64, 7
    z = rng.normal(size=(n, k)) * 4
    idx = rng.integers(0, k, size=n)
    yield "indices", idx, z
    yield "one-hot", np.eye(k)[idx], z
    yield "soft targets", rng.dirichlet(np.ones(k), size=n), z
    yield "logits +-1000", np.array([0, 1, 2]), np.array([[1000.0, -1000.0, 0.0], [1000.0, -1000.0, 0.0],
                                                          [-1000.0, -1000.0, 1000.0]])


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", list(softmax_cases()), ids=lambda c: c[0])
def test_softmax_cross_entropy_matches_torch(reduction, case):
    _, y, z = case
    ref = lambda pr, t, r: F.cross_entropy(pr, t, reduction=r)  # noqa: E731
    ref_value, ref_grad = torch_value_and_grad(ref, y, z, reduction)
    assert_matches(L.softmax_cross_entropy(y, z, reduction=reduction),
                   L.softmax_cross_entropy_grad(y, z, reduction=reduction), ref_value, ref_grad)


@pytest.mark.parametrize("scale", [1.0, 50.0, 1000.0])
def test_activations_match_torch(scale):
    z = np.random.default_rng(6).normal(size=(40, 6)) * scale
    t = torch.tensor(z)
    np.testing.assert_allclose(sigmoid(z), torch.sigmoid(t).numpy(), rtol=RTOL, atol=1e-300)
    np.testing.assert_allclose(softmax(z), torch.softmax(t, dim=-1).numpy(), rtol=RTOL, atol=1e-300)
    np.testing.assert_allclose(softmax(z, axis=0), torch.softmax(t, dim=0).numpy(), rtol=RTOL, atol=1e-300)
    np.testing.assert_allclose(log_softmax(z), torch.log_softmax(t, dim=-1).numpy(), rtol=RTOL, atol=ATOL)
