"""Every catalogued misconception is tested: a learner's wrong answer gets exactly that diagnosis.

``lessons_lib.checks.catalogue.catalogue()`` lists, per exercise, the misconceptions its check can name.
The first test writes out, the way a learner would, a wrong answer for each catalogued misconception the
topic test files (test_checks_regression, _classification, _training, _quiz, _adversarial) do not already
cover for that exercise; the expected wrong values are worked out here by hand or with NumPy, never copied
from the checkers. Completeness (every registry entry reproduced through ``check``) is tested in
test_checks_registry.py.
"""

import numpy as np
import pytest

from lessons_lib.checks import quiz
from lessons_lib.checks.catalogue import catalogue

from checks_helpers import run as verdict, train_by_hand

EPS = 1e-7


def letter_for(qid, name):
    """The wrong option of multiple-choice question ``qid`` whose catalogued misconception is ``name``."""
    q = quiz.QUESTIONS[qid]
    letters = [letter for letter, (wrong_name, _) in q.wrong.items() if wrong_name == name]
    assert letters, f"{qid!r} has no wrong option named {name!r}"
    assert q.answer not in letters
    return letters[0]


# --------------------------------------------------------------------------- wrong answers, learner style

# lesson 03: delivery times 11, 13, 14, 16, 17, 19 and a lost parcel at 99 minutes
_DELIVERY = np.array([11.0, 13.0, 14.0, 16.0, 17.0, 19.0, 99.0])
_MEAN, _MEDIAN = float(np.mean(_DELIVERY)), float(np.median(_DELIVERY))  # 189 / 7 = 27 and 16

# lesson 01: throws landing at 5, 6.5, 7 and 5.5 m, basket at 6 m
_THROW_MISSES = np.array([5.0, 6.5, 7.0, 5.5]) - 6.0

# lesson 09: softmax of the logits [2, 1, 0], true class 0
_P = np.exp([2.0, 1.0, 0.0]) / np.exp([2.0, 1.0, 0.0]).sum()


def _gd_run_no_chain_rule(x, y, w0, lr, num_steps):
    w = w0
    for _ in range(num_steps):
        w = w - lr * 2 * np.mean(w * x - y)  # forgot the inner derivative x
    return w


def _gd_run_off_by_one(x, y, w0, lr, num_steps):
    w = w0
    for _ in range(1, num_steps):  # counts from 1: one update short
        w = w - lr * 2 * np.mean((w * x - y) * x)
    return w


def _bce_logits_plus_zy(y_true, logits):
    y, z = np.asarray(y_true, dtype=float), np.asarray(logits, dtype=float)
    return np.mean(np.maximum(z, 0) + z * y + np.log1p(np.exp(-np.abs(z))))  # + z y instead of - z y


def _cce_binary_formula(y_true, y_pred):
    y, p = np.asarray(y_true, dtype=float), np.clip(np.asarray(y_pred, dtype=float), EPS, 1 - EPS)
    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)).sum(axis=1))


def _sce_log_of_logits(labels, logits):
    z = np.asarray(logits, dtype=float)
    return np.mean(-np.log(z[np.arange(len(labels)), labels]))  # no softmax: -log of the raw scores


def _log_softmax(logits):
    z = np.asarray(logits, dtype=float)
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


def _bce_logits_log10(y_true, logits):
    y, s = np.asarray(y_true, dtype=float), 1 / (1 + np.exp(-np.asarray(logits, dtype=float)))
    return np.mean(-(y * np.log10(s) + (1 - y) * np.log10(1 - s)))


def _sparse_cce_mean_of_table(labels, y_pred):
    p = np.clip(np.asarray(y_pred, dtype=float), EPS, 1)
    one_hot = np.eye(p.shape[1])[labels]
    return np.mean(-one_hot * np.log(p))  # averages the whole (n, k) table


def _gd_run_step_by_loss(x, y, w0, lr, num_steps):
    w = w0
    for _ in range(num_steps):
        w = w - lr * np.mean((w * x - y) ** 2)  # the loss, not its gradient
    return w


def _gd_run_summed(x, y, w0, lr, num_steps):
    w = w0
    for _ in range(num_steps):
        w = w - lr * 2 * np.sum((w * x - y) * x)
    return w


def _train_linear(X, y, num_epochs, lr, seed=0, *, grad_scale):
    """Full-batch gradient descent on the MSE whose dL/dy_hat is grad_scale(err, n) (the learner's bug)."""
    w0 = np.random.default_rng(seed).normal(0.0, 0.1, size=X.shape[1])
    return train_by_hand(X, y, num_epochs, lr, w0, grad=grad_scale)


CASES = [
    # regression (lessons 02-03)
    ("best_constant", (_MEAN, _MEAN), "mean_for_both"),
    ("best_constant", (_MEDIAN, _MEDIAN), "median_for_both"),
    ("medical_choice", "b", "mae_prefers_a"),  # "both prefer model A"
    ("medical_choice", "c", "mse_prefers_b"),  # "both prefer model B"
    # classification (lessons 04-05)
    ("bce_with_logits", _bce_logits_plus_zy, "stable_form_sign"),
    ("which_loss_binary", "b", "mae_for_classification"),
    ("which_loss_binary", "d", "huber_for_classification"),
    ("categorical_cross_entropy", _cce_binary_formula, "used_binary_formula"),
    ("softmax_cross_entropy", _sce_log_of_logits, "forgot_softmax"),
    # training (lessons 06-08)
    ("gd_run", _gd_run_no_chain_rule, "forgot_chain_rule_x"),
    ("gd_run", _gd_run_off_by_one, "one_step_too_few"),
    ("dense_forward", lambda X, W, b: np.maximum(X @ W + b, 0), "added_activation"),
    ("dense_forward", lambda X, W, b: X * W + b, "elementwise_product"),
    ("dense_backward", lambda X, W, g: (g @ W.T, np.outer(X[0], g[0]), g.sum(axis=0)), "dW_first_sample_only"),
    ("dense_backward", lambda X, W, g: (g @ W.T, X.T @ g, g.sum(axis=1)), "db_wrong_axis"),
    ("asymmetric_loss", lambda t, p, c=4.0: np.mean(np.where(p < t, c, 1.0) * np.abs(p - t)),
     "weighted_absolute_error"),
    ("asymmetric_loss_grad", lambda t, p, c=4.0: 2 * (p - t) / len(p), "gradient_weight_missing"),
    ("asymmetric_loss_grad", lambda t, p, c=4.0: 2 * np.where(p > t, c, 1.0) * (p - t) / len(p),
     "gradient_weight_on_wrong_side"),
    # quiz: numbers computed by hand
    ("throw_mean_miss", float(np.mean(_THROW_MISSES ** 2)), "squared_instead"),  # (1 + .25 + 1 + .25) / 4
    ("review_mse_big_errors", 10 ** 2 - 2 ** 2, "difference_not_ratio"),
    ("review_bce_half", -np.log2(0.5), "bits"),
    ("review_bce_half", 0.5, "probability_not_loss"),
    ("review_softmax_grad", [-1 / _P[0], 0.0, 0.0], "probability_gradient"),  # dL/dp = -y / p
    ("review_clamp", -100, "clamp_sign"),
    # quiz: multiple choice (the letter is looked up in the question's own wrong options)
    ("purpose_of_loss", None, "loss_as_stopping_rule"),
    ("purpose_of_loss", None, "loss_is_accuracy"),
    ("purpose_of_loss", None, "loss_picks_architecture"),
    ("diverging_run", None, "zigzag_is_not_divergence"),
    ("diverging_run", None, "slow_is_not_divergence"),
    ("loss_changes_learning", None, "all_losses_same_minimum"),
    ("loss_changes_learning", None, "only_speed_changes"),
    ("loss_changes_learning", None, "optimizer_decides"),
    ("review_zero_loss", None, "zero_loss_is_perfect"),
    ("review_zero_loss", None, "zero_loss_is_failure"),
    ("review_zero_loss", None, "zero_loss_means_big_lr"),
    ("review_outlier_fit", None, "all_losses_same_minimum"),
    ("review_outlier_fit", None, "mae_less_robust"),
    ("review_binary_loss", None, "multiclass_loss_for_binary"),
    # names the topic tests only check for *another* exercise
    ("rmse", lambda y, p: np.sqrt(np.sum((y - p) ** 2) / len(y)), "divided_by_rows"),
    ("mae", lambda y, p: np.sum(np.abs(y - p)) / len(y), "divided_by_rows"),
    ("mae_grad", lambda y, p: np.sign(p - y) / len(y), "divided_by_rows"),
    ("mse_penalty_ratio", ((50_000 / 5_000) ** 2, (50_000 / 5_000) ** 2), "used_square"),
    ("bce_with_logits", _bce_logits_log10, "log_base_10"),
    ("bce_by_hand", (-np.log2(0.8) - np.log2(1 - 0.3)) / 2, "log_base_2"),
    ("bce_by_hand", -np.log(0.8) - np.log(1 - 0.3), "forgot_mean"),
    ("sparse_categorical_cross_entropy",
     lambda labels, p: np.mean(-np.log10(np.clip(p[np.arange(len(labels)), labels], EPS, 1))), "log_base_10"),
    ("sparse_categorical_cross_entropy", _sparse_cce_mean_of_table, "cce_mean_over_classes"),
    ("softmax_cross_entropy", lambda labels, z: np.mean(-_log_softmax(z)[:, labels]), "fancy_index_grid"),
    ("gd_run", _gd_run_step_by_loss, "used_loss_not_gradient"),
    ("gd_run", _gd_run_summed, "sum_not_mean"),
    ("train_linear", lambda X, y, n, lr, seed=0: _train_linear(X, y, n, lr, seed, grad_scale=lambda e, m: 2 * e),
     "sum_not_mean"),
    ("train_linear", lambda X, y, n, lr, seed=0: _train_linear(X, y, n, lr, seed, grad_scale=lambda e, m: e / m),
     "forgot_factor_2"),
    ("asymmetric_loss", lambda t, p, c=4.0: np.sum(np.where(p < t, c, 1.0) * (p - t) ** 2), "forgot_mean"),
    ("throw_mean_squared_miss", float(np.sum(_THROW_MISSES ** 2)), "forgot_mean"),  # 1 + .25 + 1 + .25
    ("review_binary_loss", "a", "regression_loss_for_classification"),  # MSE on a probability
    ("review_binary_loss", "b", "regression_loss_for_classification"),  # MAE on a probability
]


@pytest.mark.parametrize("exercise, answer, name", CASES, ids=[f"{e}-{n}" for e, _, n in CASES])
def test_catalogued_misconception_is_diagnosed(exercise, answer, name):
    if answer is None:
        answer = letter_for(exercise, name)
    result = verdict(exercise, answer)
    assert not result.passed and result.status == "failed", result
    assert result.misconception == name, result
    assert result.points == 0


def test_cases_are_catalogued():
    """Each case above names a misconception the catalogue lists for that exercise (no stale cases)."""
    listed = {(exercise, name) for exercise, _, found in catalogue() for name in found}
    stale = [(exercise, name) for exercise, _, name in CASES if (exercise, name) not in listed]
    assert not stale, f"not in the catalogue: {stale}"
