"""Hidden tests of 12_losses_in_practice (instructor only: never in the student release or the sandbox)."""
import numpy as np

from lessons_lib import losses, metrics, practical_losses
from lessons_lib.grade.hidden import hidden_test


@hidden_test("focal-hidden", after="12-focal-check", points=1)
def focal_hidden(focal_loss):
    """focal_loss: gamma = 0 and alpha = 0.5 give half the cross-entropy; agreement with the reference."""
    rng = np.random.default_rng(121)
    y = (rng.random((6, 3)) < 0.4).astype(float)
    z = rng.normal(0.0, 5.0, size=(6, 3))
    half_bce = 0.5 * np.mean(np.logaddexp(0.0, -z) * y + np.logaddexp(0.0, z) * (1 - y))
    assert np.isclose(focal_loss(y, z, 0.0, 0.5), half_bce, rtol=1e-9)
    assert np.isclose(focal_loss(y, z, 1.5, 0.7),
                      practical_losses.focal_loss_with_logits(y, z, gamma=1.5, alpha=0.7), rtol=1e-9)
    assert np.isclose(focal_loss(np.array([1.0, 0.0]), np.array([-800.0, 800.0])), 0.5 * (0.25 + 0.75) * 800,
                      rtol=1e-9)


@hidden_test("smoothing-hidden", after="12-smoothing-check", points=1)
def smoothing_hidden(label_smoothing_loss):
    """label_smoothing_loss: no smoothing gives plain cross-entropy; agreement with the reference."""
    rng = np.random.default_rng(122)
    labels = rng.integers(0, 5, size=8)
    z = rng.normal(0.0, 2.0, size=(8, 5))
    assert np.isclose(label_smoothing_loss(labels, z, 0.0), losses.softmax_cross_entropy(labels, z), rtol=1e-9)
    assert np.isclose(label_smoothing_loss(labels, z, 0.3),
                      practical_losses.label_smoothing_cross_entropy(labels, z, smoothing=0.3), rtol=1e-9)
    # full smoothing: the target is uniform, so every label gives the same loss
    assert np.isclose(label_smoothing_loss(np.zeros(8, dtype=int), z, 1.0), label_smoothing_loss(labels, z, 1.0))


@hidden_test("pinball-hidden", after="12-pinball-check", points=1)
def pinball_hidden(hinge, pinball):
    """hinge and pinball: zero beyond the margin, half the MAE at q = 0.5, agreement with the reference."""
    assert hinge(np.array([1.0, -1.0, 1.0]), np.array([1.0, -3.0, 7.5])) == 0
    rng = np.random.default_rng(123)
    y, p = rng.normal(size=(4, 6)), rng.normal(size=(4, 6))
    assert np.isclose(pinball(y, p, 0.5), 0.5 * np.mean(np.abs(y - p)), rtol=1e-9)
    assert np.isclose(pinball(y, p, 0.85), practical_losses.pinball(y, p, quantile=0.85), rtol=1e-9)
    assert pinball(y, y + 1.0, 0.9) < pinball(y, y - 1.0, 0.9)     # at q = 0.9 a low forecast costs more


@hidden_test("kl-hidden", after="12-kl-check", points=1)
def kl_hidden(kl_divergence):
    """kl_divergence: zero for equal rows, never negative, cross-entropy minus entropy."""
    rng = np.random.default_rng(124)
    p = rng.dirichlet(np.ones(6), size=5)
    q = rng.dirichlet(np.ones(6), size=5)
    assert abs(kl_divergence(p, p)) < 1e-12
    assert kl_divergence(p, q) > 0 and kl_divergence(q, p) > 0
    cross = np.mean(-np.sum(p * np.log(q), axis=1))
    entropy = np.mean(-np.sum(p * np.log(p), axis=1))
    assert np.isclose(kl_divergence(p, q), cross - entropy, rtol=1e-9)


@hidden_test("ece-hidden", after="12-ece-check", points=1)
def ece_hidden(expected_calibration_error):
    """expected_calibration_error: zero for calibrated bins, the last bin holds 1.0, agreement with the reference."""
    calibrated_y = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0])
    calibrated_p = np.array([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75])
    assert abs(expected_calibration_error(calibrated_y, calibrated_p, 2)) < 1e-12
    assert np.isclose(expected_calibration_error(np.array([0.0, 0.0]), np.array([1.0, 1.0]), 4), 1.0)
    rng = np.random.default_rng(125)
    p = rng.random(300)
    y = (rng.random(300) < p ** 1.5).astype(float)
    assert np.isclose(expected_calibration_error(y, p, 12), metrics.expected_calibration_error(y, p, 12), rtol=1e-9)
