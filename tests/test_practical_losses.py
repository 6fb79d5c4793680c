"""lessons_lib.practical_losses: finite differences, hand-worked numbers, independent formulas, bad input.

The PyTorch float64 comparisons live in tests/test_practical_losses_torch.py.
"""
import numpy as np
import pytest

from lessons_lib import practical_losses as P
from lessons_lib.gradcheck import numerical_gradient

REDUCTIONS = ["mean", "sum", "none"]


def fd_grad(f, x):
    """Central differences of a scalar function (independent of the analytic gradients)."""
    return numerical_gradient(f, x, h=1e-6)


rng = np.random.default_rng(0)
Y01 = (rng.random(12) < 0.4).astype(float)
Z = rng.normal(0.0, 2.0, size=12)
CLASSES = np.array([0, 2, 1, 3, 0])
ZK = rng.normal(size=(5, 4))
YPM = 2.0 * Y01 - 1.0
P_DIST = rng.dirichlet(np.ones(4), size=5)
Q_DIST = rng.dirichlet(np.ones(4), size=5)

# (value fn, grad fn, y, prediction, kwargs); predictions kept away from kinks for finite differences
SMOOTH_CASES = {
    "weighted_bce": (P.weighted_bce_with_logits, P.weighted_bce_with_logits_grad, Y01, Z, {"pos_weight": 4.0}),
    "focal": (P.focal_loss_with_logits, P.focal_loss_with_logits_grad, Y01, Z, {"gamma": 2.0, "alpha": 0.25}),
    "focal_fractional_gamma": (P.focal_loss_with_logits, P.focal_loss_with_logits_grad, Y01, Z, {"gamma": 0.5}),
    "label_smoothing": (P.label_smoothing_cross_entropy, P.label_smoothing_cross_entropy_grad, CLASSES, ZK,
                        {"smoothing": 0.2}),
    "hinge": (P.hinge, P.hinge_grad, YPM, np.where(np.abs(1 - YPM * Z) < 0.05, Z + 0.2, Z), {}),
    "pinball": (P.pinball, P.pinball_grad, Z, Z + rng.choice([-1.0, 1.0], size=12) * rng.uniform(0.1, 1, 12),
                {"quantile": 0.8}),
    "kl": (P.kl_divergence, P.kl_divergence_grad, P_DIST, Q_DIST, {}),
}


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("name", SMOOTH_CASES)
def test_gradients_match_finite_differences(name, reduction):
    fn, grad, y, pred, kw = SMOOTH_CASES[name]
    numeric = fd_grad(lambda v: fn(y, v, reduction=reduction, **kw), pred.copy())
    analytic = grad(y, pred, reduction=reduction, **kw)
    assert analytic.shape == np.shape(pred)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", SMOOTH_CASES)
def test_reductions_are_consistent(name):
    fn, grad, y, pred, kw = SMOOTH_CASES[name]
    per_item = fn(y, pred, reduction="none", **kw)
    assert fn(y, pred, reduction="sum", **kw) == pytest.approx(per_item.sum(), rel=1e-13)
    assert fn(y, pred, reduction="mean", **kw) == pytest.approx(per_item.mean(), rel=1e-13)
    np.testing.assert_allclose(grad(y, pred, reduction="mean", **kw) * per_item.size,
                               grad(y, pred, reduction="sum", **kw), rtol=1e-13, atol=1e-15)


def test_weighted_bce_hand_worked():
    # y = 1, z = 0: w * log 2;  y = 0, z = 0: log 2
    assert P.weighted_bce_with_logits([1.0, 0.0], [0.0, 0.0], pos_weight=3.0, reduction="none") == \
        pytest.approx([3 * np.log(2), np.log(2)], rel=1e-14)
    # pos_weight = 1 is plain BCE: -log sigmoid(2) = log(1 + e^-2)
    assert P.weighted_bce_with_logits([1.0], [2.0]) == pytest.approx(np.log1p(np.exp(-2.0)), rel=1e-14)


def test_focal_against_independent_formula_and_gamma_zero():
    p = 1 / (1 + np.exp(-Z))
    p_t = np.where(Y01 == 1, p, 1 - p)
    alpha_t = np.where(Y01 == 1, 0.25, 0.75)
    expected = -alpha_t * (1 - p_t) ** 2 * np.log(p_t)
    np.testing.assert_allclose(P.focal_loss_with_logits(Y01, Z, gamma=2.0, alpha=0.25, reduction="none"),
                               expected, rtol=1e-12)
    # gamma = 0, no alpha: plain binary cross-entropy, value and gradient sigmoid(z) - y
    bce = -(Y01 * np.log(p) + (1 - Y01) * np.log(1 - p))
    np.testing.assert_allclose(P.focal_loss_with_logits(Y01, Z, gamma=0.0, reduction="none"), bce, rtol=1e-12)
    np.testing.assert_allclose(P.focal_loss_with_logits_grad(Y01, Z, gamma=0.0, reduction="none"), p - Y01,
                               rtol=1e-12, atol=1e-15)


def test_focal_extreme_logits_are_finite_and_right():
    y = np.array([1.0, 0.0, 1.0, 0.0])
    z = np.array([1000.0, -1000.0, -1000.0, 1000.0])      # two certain and right, two certain and wrong
    value = P.focal_loss_with_logits(y, z, gamma=2.0, reduction="none")
    np.testing.assert_allclose(value, [0.0, 0.0, 1000.0, 1000.0], rtol=1e-14, atol=0)
    grad = P.focal_loss_with_logits_grad(y, z, gamma=2.0, reduction="none")
    np.testing.assert_allclose(grad, [0.0, 0.0, -1.0, 1.0], atol=1e-14)


def test_label_smoothing_zero_is_cross_entropy_and_onehot_equals_indices():
    log_p = ZK - ZK.max(axis=1, keepdims=True)
    log_p = log_p - np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    plain = -log_p[np.arange(5), CLASSES].mean()
    assert P.label_smoothing_cross_entropy(CLASSES, ZK, smoothing=0.0) == pytest.approx(plain, rel=1e-13)
    onehot = np.eye(4)[CLASSES]
    assert P.label_smoothing_cross_entropy(onehot, ZK, smoothing=0.3) == \
        pytest.approx(P.label_smoothing_cross_entropy(CLASSES, ZK, smoothing=0.3), rel=1e-14)


def test_label_smoothing_best_gap_formula():
    # minimum of the loss over the true-class gap (others equal) sits at log((1 - e + e/K) / (e/K))
    k, eps = 3, 0.1
    gaps = np.linspace(0, 6, 60001)
    logits = np.stack([gaps, np.zeros_like(gaps), np.zeros_like(gaps)], axis=1)
    losses = P.label_smoothing_cross_entropy(np.zeros(len(gaps)), logits, smoothing=eps, reduction="none")
    assert gaps[np.argmin(losses)] == pytest.approx(np.log((1 - eps + eps / k) / (eps / k)), abs=2e-4)


def test_label_smoothing_extreme_logits():
    z = np.array([[1000.0, -1000.0, 0.0]])
    value = P.label_smoothing_cross_entropy([0], z, smoothing=0.3)
    # target [0.8, 0.1, 0.1]; log-softmax = [0, -2000, -1000] (to double precision)
    assert value == pytest.approx(0.1 * 2000 + 0.1 * 1000, rel=1e-14)
    np.testing.assert_allclose(P.label_smoothing_cross_entropy_grad([0], z, smoothing=0.3),
                               [[1 - 0.8, -0.1, -0.1]], atol=1e-15)


def test_hinge_hand_worked():
    assert P.hinge([1, 1, -1, -1], [2.0, 0.5, 0.5, -3.0], reduction="none").tolist() == [0.0, 0.5, 1.5, 0.0]
    assert P.hinge_grad([1, 1, -1, -1], [2.0, 0.5, 0.5, -3.0], reduction="none").tolist() == [0.0, -1.0, 1.0, 0.0]


@pytest.mark.parametrize("q", [0.1, 0.5, 0.9])
def test_pinball_minimiser_is_the_quantile(q):
    y = np.random.default_rng(1).gamma(2.0, 20.0, size=401)     # 401 points: q * 400 is whole -> unique order stat
    grid = np.sort(y)                                           # the minimiser is one of the data points
    values = [P.pinball(y, np.full(y.size, c), quantile=q) for c in grid]
    assert grid[int(np.argmin(values))] == pytest.approx(np.quantile(y, q), rel=1e-12)


def test_pinball_half_is_half_mae():
    y, p = Z, Z[::-1]
    assert P.pinball(y, p, quantile=0.5) == pytest.approx(0.5 * np.mean(np.abs(y - p)), rel=1e-14)


def test_kl_hand_worked_and_properties():
    p, q = np.array([0.7, 0.2, 0.1]), np.array([0.5, 0.3, 0.2])
    expected = 0.7 * np.log(0.7 / 0.5) + 0.2 * np.log(0.2 / 0.3) + 0.1 * np.log(0.1 / 0.2)
    assert P.kl_divergence(p, q) == pytest.approx(expected, rel=1e-14)
    assert P.kl_divergence(p, p) == 0.0
    assert P.kl_divergence(q, p) != pytest.approx(expected)
    # zero entries of p contribute 0 (0 log 0 = 0), even where q is also 0
    assert P.kl_divergence([1.0, 0.0], [0.5, 0.5]) == pytest.approx(np.log(2), rel=1e-14)
    assert P.kl_divergence([1.0, 0.0], [1.0, 0.0]) == 0.0
    np.testing.assert_allclose(P.kl_divergence_grad([1.0, 0.0], [0.5, 0.5]), [-2.0, 0.0])


@pytest.mark.parametrize("call, error, words", [
    (lambda: P.weighted_bce_with_logits([0, 1], [0.0], pos_weight=2.0), ValueError, "shape"),
    (lambda: P.weighted_bce_with_logits(np.zeros((3, 1)), np.zeros(3)), ValueError, "ravel"),
    (lambda: P.weighted_bce_with_logits([0, 1], [0.0, 1.0], pos_weight=-1.0), ValueError, "positive"),
    (lambda: P.weighted_bce_with_logits([0, 2], [0.0, 1.0]), ValueError, "[0, 1]"),
    (lambda: P.focal_loss_with_logits([0, 0.5], [0.0, 1.0]), ValueError, "0 or 1"),
    (lambda: P.focal_loss_with_logits([0, 1], [0.0, 1.0], gamma=-1.0), ValueError, "gamma"),
    (lambda: P.focal_loss_with_logits([0, 1], [0.0, 1.0], gamma="2"), TypeError, "gamma"),
    (lambda: P.focal_loss_with_logits([0, 1], [0.0, 1.0], alpha=1.5), ValueError, "alpha"),
    (lambda: P.label_smoothing_cross_entropy([0, 5], np.zeros((2, 3))), ValueError, "0..2"),
    (lambda: P.label_smoothing_cross_entropy(np.array([[0], [1]]), np.zeros((2, 3))), ValueError, "ravel"),
    (lambda: P.label_smoothing_cross_entropy([0, 1], np.zeros(2)), ValueError, "(n, K)"),
    (lambda: P.label_smoothing_cross_entropy([0, 1], np.zeros((2, 3)), smoothing=1.5), ValueError, "smoothing"),
    (lambda: P.hinge([0, 1], [0.5, 0.5]), ValueError, "2 * y - 1"),
    (lambda: P.pinball([1.0], [1.0], quantile=1.0), ValueError, "quantile"),
    (lambda: P.pinball("abc", [1.0]), TypeError, "numbers"),
    (lambda: P.kl_divergence([0.5, 0.5], [1.0, 0.0]), ValueError, "infinite"),
    (lambda: P.kl_divergence([0.5, 0.6], [0.5, 0.5]), ValueError, "sum to 1"),
    (lambda: P.kl_divergence([0.5, 0.5], [0.5, 0.5], reduction="avg"), ValueError, "reduction"),
    (lambda: P.kl_divergence(np.full((2, 2, 2), 0.5), np.full((2, 2, 2), 0.5)), ValueError, "(n, K)"),
])
def test_bad_input_gives_clear_errors(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)


def test_number_modules_do_not_import_matplotlib():
    """The numbers layer (losses, likelihoods, metrics, the valley) stays free of plotting code."""
    import subprocess
    import sys

    code = ("import sys; import lessons_lib.practical_losses, lessons_lib.likelihood, lessons_lib.valley, "
            "lessons_lib.metrics; print('matplotlib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
