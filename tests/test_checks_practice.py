"""Lesson 12 checks: correct answers pass; each typical wrong one gets its named diagnosis; extremes are handled.

Every answer below is written here, the way a learner would write it, independently of the catalogue in
lessons_lib.checks.practice. The references the checks use are pinned to independent computations
(PyTorch-free closed forms and hand-worked numbers) with stated tolerances.
"""
import math

import numpy as np
import pytest

from checks_helpers import assert_diagnosis, run

from lessons_lib import metrics, practical_losses


def arrays(*xs, dtype=float):
    return [np.asarray(x, dtype=dtype) for x in xs]


# --------------------------------------------------------------------------- focal loss

def focal_ok(y_true, logits, gamma=2.0, alpha=0.25):
    y, z = arrays(y_true, logits)
    t = np.where(y == 1, z, -z)
    log_pt = -np.logaddexp(0.0, -t)
    a_t = np.where(y == 1, alpha, 1 - alpha)
    return float(np.mean(-a_t * (-np.expm1(log_pt)) ** gamma * log_pt))


def focal_float32(y_true, logits, gamma=2.0, alpha=0.25):
    y, z = arrays(y_true, logits, dtype=np.float32)
    t = np.where(y == 1, z, -z)
    log_pt = -np.logaddexp(np.float32(0), -t)
    return np.float32(np.mean(-np.where(y == 1, alpha, 1 - alpha).astype(np.float32)
                              * (1 - np.exp(log_pt)) ** gamma * log_pt))


def focal_via_probabilities(y_true, logits, gamma=2.0, alpha=0.25, eps=None):
    y, z = arrays(y_true, logits)
    p = 1 / (1 + np.exp(-z))
    if eps is not None:
        p = np.clip(p, eps, 1 - eps)
    p_t = np.where(y == 1, p, 1 - p)
    return float(np.mean(-np.where(y == 1, alpha, 1 - alpha) * (1 - p_t) ** gamma * np.log(p_t)))


def test_focal_correct_and_float32_pass():
    for answer in (focal_ok, focal_float32):
        result = run("focal_loss", answer)
        assert result.passed and result.points == result.max_points == 3, result.message


def test_focal_reference_matches_hand_worked_values():
    # one positive at z = 0 (p_t = 1/2) and one negative at z = ln 3 (p = 3/4, p_t = 1/4), gamma 2, alpha 0.25
    want = (0.25 * 0.25 * math.log(2) + 0.75 * 0.5625 * math.log(4)) / 2
    got = practical_losses.focal_loss_with_logits([1.0, 0.0], [0.0, math.log(3)], gamma=2.0, alpha=0.25)
    assert got == pytest.approx(want, rel=1e-12)
    # a positive at z = -1000: p_t = e^-1000, so the loss is alpha * 1000 (to double precision)
    assert practical_losses.focal_loss_with_logits([1.0], [-1000.0], gamma=2.0, alpha=0.25) == pytest.approx(250.0,
                                                                                                               rel=1e-12)


@pytest.mark.parametrize("wrong, name", [
    (lambda y, z, gamma=2.0, alpha=0.25: -focal_ok(y, z, gamma, alpha), "missing_minus"),
    (lambda y, z, gamma=2.0, alpha=0.25: focal_ok(y, z, gamma, alpha) * np.size(y), "forgot_mean"),
    (lambda y, z, gamma=2.0, alpha=0.25: focal_ok(y, z, gamma, 1 - alpha), "alpha_on_wrong_class"),
    (lambda y, z, gamma=2.0, alpha=0.25: focal_ok(y, z, 0.0, alpha), "gamma_ignored"),
    (lambda y, z, gamma=2.0, alpha=0.25: focal_via_probabilities(y, z, gamma, alpha), "overflow"),
    (lambda y, z, gamma=2.0, alpha=0.25: focal_via_probabilities(y, z, gamma, alpha, 1e-7), "clipped_probabilities"),
])
def test_focal_misconceptions_are_named(wrong, name):
    result = assert_diagnosis("focal_loss", wrong, name)
    assert "Input that exposed it" in result.message


def test_focal_factor_from_p_t_instead_of_one_minus_p_t_is_named():
    def wrong(y_true, logits, gamma=2.0, alpha=0.25):
        y, z = arrays(y_true, logits)
        t = np.where(y == 1, z, -z)
        log_pt = -np.logaddexp(0.0, -t)
        return float(np.mean(-np.where(y == 1, alpha, 1 - alpha) * np.exp(log_pt) ** gamma * log_pt))
    assert_diagnosis("focal_loss", wrong, "focal_factor_upside_down")


def test_focal_with_alpha_left_out_of_the_signature_fails_on_the_default():
    result = run("focal_loss", lambda y, z, gamma, alpha: focal_ok(y, z, gamma, alpha))
    assert result.status == "failed" and result.misconception == "wrong_default", result.message


def test_focal_stays_exact_at_logits_of_1000():
    # the check's third probe holds +-1000: a stable answer passes, so it must return 250 there
    assert focal_ok([1.0, 0.0, 1.0, 0.0], [1000.0, -1000.0, -1000.0, 1000.0]) == pytest.approx(250.0, rel=1e-12)


# --------------------------------------------------------------------------- label smoothing

def smoothing_ok(labels, logits, smoothing=0.1):
    z = np.asarray(logits, dtype=float)
    n, k = z.shape
    target = np.full((n, k), smoothing / k)
    target[np.arange(n), np.asarray(labels, dtype=int)] += 1 - smoothing
    lse = np.logaddexp.reduce(z, axis=1, keepdims=True)
    return float(np.mean(np.sum(target * (lse - z), axis=1)))


def test_label_smoothing_correct_passes():
    assert run("label_smoothing_loss", smoothing_ok).passed


def test_label_smoothing_reference_uses_eps_over_k():
    # K = 4, eps = 0.2, equal logits: every log-probability is -ln 4 whatever the target, so the loss is ln 4;
    # with logits (ln 2, 0, 0, 0) the softmax is (2/5, 1/5, 1/5, 1/5) and the target (0.85, 0.05, 0.05, 0.05)
    assert practical_losses.label_smoothing_cross_entropy([0], np.zeros((1, 4)), smoothing=0.2) == pytest.approx(
        math.log(4), rel=1e-12)
    want = -(0.85 * math.log(0.4) + 3 * 0.05 * math.log(0.2))
    assert practical_losses.label_smoothing_cross_entropy([0], [[math.log(2), 0, 0, 0]], smoothing=0.2) == \
        pytest.approx(want, rel=1e-12)


def _with_target(make):
    def answer(labels, logits, smoothing=0.1):
        z = np.asarray(logits, dtype=float)
        n, k = z.shape
        onehot = np.eye(k)[np.asarray(labels, dtype=int)]
        lse = np.logaddexp.reduce(z, axis=1, keepdims=True)
        return float(np.mean(np.sum(make(onehot, smoothing, k) * (lse - z), axis=1)))
    return answer


@pytest.mark.parametrize("make, name", [
    (lambda o, e, k: np.where(o == 1, 1 - e, e / (k - 1)), "smoothing_over_k_minus_1"),
    (lambda o, e, k: e * o + (1 - e) / k, "smoothing_reversed"),
    (lambda o, e, k: (1 - e) * o, "smoothing_not_spread"),
    (lambda o, e, k: (1 - e) * o + e, "smoothing_not_divided_by_k"),
    (lambda o, e, k: o, "smoothing_ignored"),
])
def test_label_smoothing_target_misconceptions_are_named(make, name):
    assert_diagnosis("label_smoothing_loss", _with_target(make), name)


def test_label_smoothing_overflow_is_named():
    def naive(labels, logits, smoothing=0.1):
        z = np.asarray(logits, dtype=float)
        n, k = z.shape
        p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
        target = (1 - smoothing) * np.eye(k)[labels] + smoothing / k
        return float(np.mean(-np.sum(target * np.log(p), axis=1)))
    assert_diagnosis("label_smoothing_loss", naive, "softmax_overflow")


# --------------------------------------------------------------------------- hinge

def hinge_ok(y_true, scores):
    y, s = arrays(y_true, scores)
    return float(np.mean(np.maximum(0.0, 1.0 - y * s)))


def test_hinge_correct_and_float32_pass():
    assert run("hinge", hinge_ok).passed
    assert run("hinge", lambda y, s: np.float32(np.maximum(0, 1 - np.multiply(*arrays(y, s, dtype=np.float32)))
                                                .mean())).passed


@pytest.mark.parametrize("wrong, name", [
    (lambda y, s: hinge_ok(2 * np.asarray(y, dtype=float) - 1, s), "labels_treated_as_0_1"),
    (lambda y, s: float(np.mean(1 - np.multiply(*arrays(y, s)))), "hinge_missing_max"),
    (lambda y, s: float(np.mean(np.maximum(0, -np.multiply(*arrays(y, s))))), "hinge_margin_zero"),
    (lambda y, s: float(np.mean(np.maximum(0, 1 + np.multiply(*arrays(y, s))))), "hinge_wrong_sign"),
    (lambda y, s: hinge_ok(y, s) * np.size(y), "forgot_mean"),
])
def test_hinge_misconceptions_are_named(wrong, name):
    assert_diagnosis("hinge", wrong, name)


def test_hinge_reference_by_hand():
    # margins 2, 0.5, -1: losses 0, 0.5, 2
    assert practical_losses.hinge([1.0, -1.0, 1.0], [2.0, -0.5, -1.0]) == pytest.approx(2.5 / 3, rel=1e-12)


# --------------------------------------------------------------------------- pinball

def pinball_ok(y_true, y_pred, quantile=0.5):
    r = np.subtract(*arrays(y_true, y_pred))
    return float(np.mean(np.where(r >= 0, quantile * r, (quantile - 1) * r)))


def test_pinball_correct_passes():
    assert run("pinball", pinball_ok).passed


@pytest.mark.parametrize("wrong, name", [
    (lambda y, p, quantile=0.5: pinball_ok(y, p, 1 - quantile), "pinball_sides_swapped"),
    (lambda y, p, quantile=0.5: pinball_ok(p, y, quantile), "pinball_sides_swapped"),
    (lambda y, p, quantile=0.5: pinball_ok(y, p), "quantile_ignored"),
    (lambda y, p, quantile=0.5: float(np.mean(quantile * np.abs(np.subtract(*arrays(y, p))))),
     "pinball_same_weight_both_sides"),
    (lambda y, p, quantile=0.5: pinball_ok(y, p, quantile) * np.size(y), "forgot_mean"),
    (lambda y, p, quantile=0.9: pinball_ok(y, p, quantile), "wrong_default"),
])
def test_pinball_misconceptions_are_named(wrong, name):
    assert_diagnosis("pinball", wrong, name)


def test_pinball_minimiser_is_the_quantile():
    # independent of the code under test: over a grid of constants, the mean pinball loss is smallest at a
    # value between the two order statistics around the q-quantile
    y = np.array([3.0, 1.0, 4.0, 1.5, 5.0, 9.0, 2.0, 6.0, 5.5, 3.5])
    grid = np.linspace(0, 10, 10001)
    best = grid[np.argmin([practical_losses.pinball(y, np.full_like(y, c), quantile=0.8) for c in grid])]
    low, high = np.sort(y)[7], np.sort(y)[8]        # 8 of 10 points at or below the minimiser
    assert low - 1e-3 <= best <= high + 1e-3


# --------------------------------------------------------------------------- KL divergence

def kl_ok(p_true, q_pred):
    p, q = arrays(p_true, q_pred)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p / q), 0.0)
    return float(terms.sum(axis=1).mean())


def test_kl_correct_and_float32_pass():
    assert run("kl_divergence", kl_ok).passed
    assert run("kl_divergence", lambda p, q: np.float32(kl_ok(*arrays(p, q, dtype=np.float32)))).passed


@pytest.mark.parametrize("wrong, name", [
    (lambda p, q: kl_ok(q, p), "kl_swapped_args"),
    (lambda p, q: float(np.mean(np.sum(np.asarray(p) * np.log(np.divide(*arrays(p, q))), axis=1))),
     "zero_log_zero_nan"),
    (lambda p, q: kl_ok(p, q) / math.log(2), "log_base_2"),
    (lambda p, q: kl_ok(p, q) * len(p), "forgot_mean"),
    (lambda p, q: kl_ok(p, q) / np.shape(p)[1], "kl_mean_over_classes"),
    (lambda p, q: -kl_ok(p, q), "kl_ratio_inverted"),
])
def test_kl_misconceptions_are_named(wrong, name):
    assert_diagnosis("kl_divergence", wrong, name)


def test_kl_reference_by_hand_and_zero_entries():
    p, q = np.array([[0.5, 0.5, 0.0]]), np.array([[0.25, 0.25, 0.5]])
    assert practical_losses.kl_divergence(p, q) == pytest.approx(math.log(2), rel=1e-12)   # 0 log 0 = 0
    assert practical_losses.kl_divergence(q, q) == 0.0


# --------------------------------------------------------------------------- expected calibration error

def ece_ok(y_true, p_pred, n_bins=10):
    y, p = arrays(y_true, p_pred)
    total = 0.0
    for b in range(n_bins):
        lo, hi = b / n_bins, (b + 1) / n_bins
        sel = (p >= lo) & ((p < hi) if b < n_bins - 1 else (p <= 1.0))
        if sel.any():
            total += sel.mean() * abs(y[sel].mean() - p[sel].mean())
    return float(total)


def test_ece_correct_and_float32_pass():
    assert run("expected_calibration_error", ece_ok).passed
    assert run("expected_calibration_error", lambda y, p, n_bins=10: np.float32(
        ece_ok(*arrays(y, p, dtype=np.float32), n_bins))).passed


def test_ece_reference_by_hand():
    # 4 bins; 0.1 and 0.2 in bin 0 (labels 0, 1), 0.5 and 1.0 in bins 2 and 3 (labels 1, 1)
    # gaps: |0.5 - 0.15| = 0.35 (2 samples), |1 - 0.5| = 0.5, |1 - 1| = 0 -> (0.7 + 0.5) / 4
    y, p = [0.0, 1.0, 1.0, 1.0], [0.1, 0.2, 0.5, 1.0]
    assert metrics.expected_calibration_error(y, p, n_bins=4) == pytest.approx(0.3, rel=1e-12)


@pytest.mark.parametrize("wrong, name", [
    (lambda y, p, n_bins=10: ece_ok(y, p, n_bins) * len(y), "ece_weights_not_normalised"),
])
def test_ece_simple_misconceptions_are_named(wrong, name):
    assert_diagnosis("expected_calibration_error", wrong, name)


def _ece_with(y_true, p_pred, n_bins, *, weights="share", keep_one=True, empty_nan=False):
    y, p = arrays(y_true, p_pred)
    gaps, counts = [], []
    for b in range(n_bins):
        lo, hi = b / n_bins, (b + 1) / n_bins
        sel = (p >= lo) & ((p < hi) if (b < n_bins - 1 or not keep_one) else (p <= 1.0))
        if not sel.any() and not empty_nan:
            continue
        with np.errstate(invalid="ignore"):
            gaps.append(abs(np.mean(y[sel]) - np.mean(p[sel])) if sel.any() else np.nan)
        counts.append(sel.sum())
    if weights == "equal":
        return float(np.mean(gaps))
    return float(np.sum(np.array(counts) * np.array(gaps)) / len(y))


@pytest.mark.parametrize("kwargs, name", [
    ({"weights": "equal"}, "ece_unweighted"),
    ({"keep_one": False}, "ece_one_left_out"),
    ({"empty_nan": True}, "ece_empty_bin_nan"),
])
def test_ece_binning_misconceptions_are_named(kwargs, name):
    assert_diagnosis("expected_calibration_error", lambda y, p, n_bins=10: _ece_with(y, p, n_bins, **kwargs), name)


def test_ece_with_right_closed_bins_is_named():
    def wrong(y_true, p_pred, n_bins=10):
        y, p = arrays(y_true, p_pred)
        idx = np.clip(np.ceil(p * n_bins).astype(int) - 1, 0, n_bins - 1)
        return float(sum(np.mean(idx == b) * abs(y[idx == b].mean() - p[idx == b].mean())
                         for b in range(n_bins) if np.any(idx == b)))
    assert_diagnosis("expected_calibration_error", wrong, "ece_right_closed_bins")


# --------------------------------------------------------------------------- extremes and the value question

FUNCTION_EXERCISES = {"focal_loss": 4, "label_smoothing_loss": 3, "hinge": 2, "pinball": 3, "kl_divergence": 2,
                      "expected_calibration_error": 3}
"""Exercise id: how many arguments its function takes."""


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("exercise", sorted(FUNCTION_EXERCISES))
def test_an_answer_that_is_nan_or_inf_everywhere_gets_no_misconception_name(exercise, value):
    # NaN and inf are what several slips produce at the extremes (overflow, 0 log 0, an empty bin), but an
    # answer that returns them on *every* input made none of those slips: the replay rule must not name one
    def answer(*args):
        return value
    result = run(exercise, answer)
    assert result.status == "failed" and result.misconception is None, result.message


def test_stub_is_not_attempted():
    def stub(*args, **kwargs):
        raise NotImplementedError
    for exercise in ("focal_loss", "label_smoothing_loss", "hinge", "pinball", "kl_divergence",
                     "expected_calibration_error"):
        assert run(exercise, stub).status == "not_attempted"


@pytest.mark.parametrize("answer, status, name", [
    (0.25, "passed", None), (1 / (1 + 3), "passed", None), (0.75, "failed", "pinball_sides_swapped"),
    (1 / 3, "failed", "cost_ratio_not_fraction"), (0.5, "failed", "median_by_default"), (0.1, "failed", None),
    (..., "not_attempted", None),
])
def test_stock_quantile(answer, status, name):
    result = run("stock_quantile", answer)
    assert (result.status, result.misconception) == (status, name), result.message


def test_a_mistake_is_not_named_on_the_strength_of_one_coincidence():
    # 0/1 labels instead of -1/+1 equal the mean of 1 - y s on the first probe only: no name, the numbers instead
    from lessons_lib.checks import evaluate
    result = evaluate("hinge", lambda y, s: float(np.mean(np.maximum(0.0, 1.0 - np.where(y > 0, 1.0, 0.0) * s))))
    assert result.status == "failed" and result.misconception is None
    assert "0.98" in result.message and "1.18" in result.message
