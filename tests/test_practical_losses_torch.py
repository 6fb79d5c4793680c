"""lessons_lib.practical_losses against PyTorch float64: values and gradients to 1e-12.

Skipped, with a visible reason, when PyTorch is not installed. The focal loss has no torch.nn
version (torchvision's needs an extra package), so it is compared with the formula written in torch
ops and differentiated by autograd.
"""
import numpy as np
import pytest

from lessons_lib import practical_losses as P

torch = pytest.importorskip("torch", reason="PyTorch not installed: reference comparisons skipped "
                                            "(pip install torch to run them)")
F = torch.nn.functional
RTOL, ATOL = 1e-12, 1e-12
REDUCTIONS = ["mean", "sum", "none"]


def torch_value_and_grad(fn, pred):
    x = torch.tensor(np.asarray(pred, dtype=np.float64), requires_grad=True)
    out = fn(x)
    out.backward(torch.ones_like(out))
    return out.detach().numpy(), x.grad.numpy()


def check(ours_value, ours_grad, ref):
    ref_value, ref_grad = ref
    np.testing.assert_allclose(ours_value, ref_value, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(ours_grad, ref_grad, rtol=RTOL, atol=ATOL)


rng = np.random.default_rng(3)
Y = (rng.random(40) < 0.3).astype(float)
LOGIT_CASES = {"random": rng.normal(0, 3, size=40),
               "extreme": np.where(rng.random(40) < 0.5, -1000.0, 1000.0) * rng.uniform(0.5, 1, 40)}


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("case", LOGIT_CASES)
@pytest.mark.parametrize("w", [0.2, 1.0, 19.0])
def test_weighted_bce_matches_bce_with_logits_pos_weight(reduction, case, w):
    z = LOGIT_CASES[case]
    ref = torch_value_and_grad(lambda x: F.binary_cross_entropy_with_logits(
        x, torch.tensor(Y), pos_weight=torch.tensor([w], dtype=torch.float64), reduction=reduction), z)
    check(P.weighted_bce_with_logits(Y, z, pos_weight=w, reduction=reduction),
          P.weighted_bce_with_logits_grad(Y, z, pos_weight=w, reduction=reduction), ref)


def torch_focal(x, y, gamma, alpha, reduction):
    """The focal loss as torchvision writes it: BCE-with-logits times (1 - p_t)**gamma, times alpha_t."""
    p = torch.sigmoid(x)
    ce = F.binary_cross_entropy_with_logits(x, y, reduction="none")
    p_t = p * y + (1 - p) * (1 - y)
    loss = ce * (1 - p_t) ** gamma
    if alpha is not None:
        loss = (alpha * y + (1 - alpha) * (1 - y)) * loss
    return {"mean": loss.mean, "sum": loss.sum, "none": lambda: loss}[reduction]()


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("gamma, alpha", [(0.0, None), (2.0, None), (2.0, 0.25), (0.5, 0.9), (5.0, None)])
def test_focal_matches_torch_formula(reduction, gamma, alpha):
    z = LOGIT_CASES["random"]
    ref = torch_value_and_grad(lambda x: torch_focal(x, torch.tensor(Y), gamma, alpha, reduction), z)
    check(P.focal_loss_with_logits(Y, z, gamma=gamma, alpha=alpha, reduction=reduction),
          P.focal_loss_with_logits_grad(Y, z, gamma=gamma, alpha=alpha, reduction=reduction), ref)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("eps", [0.0, 0.1, 0.5])
@pytest.mark.parametrize("targets", ["indices", "onehot"])
def test_label_smoothing_matches_cross_entropy(reduction, eps, targets):
    z = np.concatenate([rng.normal(0, 2, size=(30, 5)), [[1000.0, -1000.0, 0.0, 3.0, -3.0]]])
    idx = np.append(rng.integers(0, 5, size=30), 1)
    y = idx if targets == "indices" else np.eye(5)[idx]
    ref_target = torch.tensor(idx) if targets == "indices" else torch.tensor(y)
    ref = torch_value_and_grad(lambda x: F.cross_entropy(x, ref_target, label_smoothing=eps, reduction=reduction), z)
    check(P.label_smoothing_cross_entropy(y, z, smoothing=eps, reduction=reduction),
          P.label_smoothing_cross_entropy_grad(y, z, smoothing=eps, reduction=reduction), ref)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_hinge_matches_multi_margin_loss(reduction):
    # With scores [0, s] for classes (-1, +1), multi_margin_loss = max(0, 1 - y s) / 2.
    s = rng.normal(0, 2, size=50)
    s = np.where(np.abs(np.abs(s) - 1) < 1e-3, s + 0.1, s)      # keep away from the kink
    y = rng.choice([-1.0, 1.0], size=50)

    def ref_fn(x):
        scores = torch.stack([torch.zeros_like(x), x], dim=1)
        return 2 * F.multi_margin_loss(scores, torch.tensor(((y + 1) / 2).astype(np.int64)), reduction=reduction)

    check(P.hinge(y, s, reduction=reduction), P.hinge_grad(y, s, reduction=reduction), torch_value_and_grad(ref_fn, s))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_kl_matches_kl_div(reduction):
    p = rng.dirichlet(np.ones(6), size=20)
    p[0, :3] = [0.0, 0.5, 0.5]
    p[0, 3:] = 0.0                                                # zeros in the target: 0 log 0 = 0
    q = rng.dirichlet(np.ones(6), size=20)
    torch_reduction = {"mean": "batchmean", "sum": "sum", "none": "none"}[reduction]

    def ref_fn(x):
        out = F.kl_div(torch.log(x), torch.tensor(p), reduction=torch_reduction)
        return out.sum(dim=1) if reduction == "none" else out

    check(P.kl_divergence(p, q, reduction=reduction), P.kl_divergence_grad(p, q, reduction=reduction),
          torch_value_and_grad(ref_fn, q))
