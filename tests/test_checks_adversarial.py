"""Adversarial checks: correct variants learners write must pass; new wrong ones get a named diagnosis.

Every implementation here is written the way a learner would, independently of the catalogue.
"""
import importlib.util
import math
import sys
import time

import numpy as np
import pytest

from checks_helpers import run, train_by_hand


def guard(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError("shapes differ")
    return y_true, y_pred


def bce(y_true, y_pred, eps=1e-7):
    y, p = guard(y_true, y_pred)
    p = np.clip(p, eps, 1 - eps)
    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))


def mse_loop(y_true, y_pred):
    y, p = guard(y_true, y_pred)
    total = 0.0
    for a, b in zip(y.ravel().tolist(), p.ravel().tolist()):
        total += (a - b) ** 2
    return total / y.size


def mse_torch(y_true, y_pred):
    import torch
    y, p = guard(y_true, y_pred)
    return torch.mean((torch.as_tensor(y) - torch.as_tensor(p).requires_grad_(True)) ** 2)


def gd_run_f32(x, y, w0, lr, num_steps):
    w = w0
    for _ in range(num_steps):
        w = w - lr * 2 * np.mean((w * x - y) * x)
    return np.float32(w)


def train_f32_result(X, y, num_epochs, lr, seed=0):
    w, b, losses = train_by_hand(X, y, num_epochs, lr, np.random.default_rng(seed).normal(0.0, 0.1, size=X.shape[1]))
    return w.astype(np.float32), np.float32(b), np.array(losses, dtype=np.float32)


# --------------------------------------------------------------------------- no false failures

@pytest.mark.parametrize("exercise, fn", [
    ("mse", mse_loop),                                                     # plain Python loop
    ("mse", lambda y, p: math.fsum(((np.subtract(*guard(y, p))) ** 2).ravel()) / np.size(y)),
    ("mse", lambda y, p: np.float32(np.mean(np.subtract(*guard(y, p)) ** 2))),
    pytest.param("mse", mse_torch, id="mse-mse_torch",                    # a tensor that requires grad
                 marks=pytest.mark.skipif(importlib.util.find_spec("torch") is None,
                                          reason="PyTorch is not installed (optional reference)")),
    ("binary_cross_entropy", bce),                                         # Keras-style clip at 1e-7
    ("binary_cross_entropy", lambda y, p: bce(y, p, eps=1e-15)),
    ("binary_cross_entropy", lambda y, p: bce(y, p, eps=1e-6)),
    ("gd_run", gd_run_f32),                                                # float32 result
    ("train_linear", train_f32_result),
])
def test_correct_variants_pass(exercise, fn):
    result = run(exercise, fn)
    assert result.passed, result.message


# --------------------------------------------------------------------------- new diagnoses

def bce_flipped(y_true, y_pred):
    y, p = guard(y_true, y_pred)
    p = np.clip(p, 1e-7, 1 - 1e-7)
    return np.mean(-(y * np.log(1 - p) + (1 - y) * np.log(p)))


def bce_eps_inside_log(y_true, y_pred, eps=1e-3):
    y, p = guard(y_true, y_pred)
    return np.mean(-(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps)))


def logits_no_abs(y_true, logits):
    y, z = np.asarray(y_true, float), np.asarray(logits, float)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-z)))


def logits_min_instead_of_max(y_true, logits):
    y, z = np.asarray(y_true, float), np.asarray(logits, float)
    return np.mean(np.minimum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


def softmax_minus_min(z):
    z = np.asarray(z, float)
    e = np.exp(z - z.min(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sce_log_of_stable_softmax(labels, logits):
    z = np.asarray(logits, float)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    return np.mean(-np.log(p[np.arange(len(labels)), labels]))


def sce_forgot_max_outside(labels, logits):
    z = np.asarray(logits, float)
    m = z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z - m).sum(axis=1, keepdims=True))
    return np.mean(-log_p[np.arange(len(labels)), labels])


def cce_swapped(y_true, y_pred):
    return np.mean(-(np.asarray(y_pred) * np.log(np.clip(y_true, 1e-7, 1.0))).sum(axis=1))


def train_np_seed(X, y, num_epochs, lr, seed=0):
    np.random.seed(seed)  # the legacy global generator: different starting weights
    return train_by_hand(X, y, num_epochs, lr, np.random.normal(0.0, 0.1, size=X.shape[1]))


def train_db_mean(X, y, num_epochs, lr, seed=0):
    w0 = np.random.default_rng(seed).normal(0.0, 0.1, size=X.shape[1])
    return train_by_hand(X, y, num_epochs, lr, w0, bias_step=np.mean)


@pytest.mark.parametrize("exercise, fn, name", [
    ("mse", lambda y, p: np.sum(np.subtract(*guard(y, p)) ** 2) / (np.size(y) - 1), "divided_by_n_minus_1"),
    ("huber", lambda y, p, delta=1.0: np.mean(np.where(np.abs(np.subtract(p, y)) <= 1, 0.5 * np.subtract(p, y) ** 2,
                                                       np.abs(np.subtract(p, y)) - 0.5)), "huber_ignored_delta"),
    ("binary_cross_entropy", bce_flipped, "flipped_terms"),
    ("binary_cross_entropy", lambda y, p: bce(y, p, eps=1e-3), "clip_too_large"),
    ("binary_cross_entropy", bce_eps_inside_log, "clip_too_large"),
    ("bce_with_logits", logits_no_abs, "stable_form_without_abs"),
    ("softmax", softmax_minus_min, "softmax_overflow"),
    ("softmax_cross_entropy", sce_log_of_stable_softmax, "log_of_underflowed_probability"),
    ("softmax_cross_entropy", sce_forgot_max_outside, "logsumexp_forgot_max"),
    ("categorical_cross_entropy", cce_swapped, "swapped_args"),
    ("dense_backward", lambda X, W, G: (G @ W.T, X.T @ G, G.sum(axis=0, keepdims=True)), "db_keepdims"),
    ("train_linear", train_np_seed, "wrong_initialisation"),
    ("train_linear", train_db_mean, "bias_gradient_averaged"),
    ("asymmetric_loss", lambda t, p, under_weight=4.0: np.mean(np.where(p < t, 4.0, 1.0) * (p - t) ** 2),
     "ignored_under_weight"),
    ("review_clamp", lambda: -np.log(1e-7), "keras_clip"),
    ("review_clamp", lambda: float("inf"), "infinite_loss"),
    ("review_clamp", np.array(np.inf), "infinite_loss"),
])
def test_new_misconceptions_are_named(exercise, fn, name):
    result = run(exercise, fn)
    assert (result.status, result.misconception) == ("failed", name), result.message


def test_clipped_probabilities_is_only_claimed_on_large_logits():
    result = run("bce_with_logits", logits_min_instead_of_max)
    assert result.status == "failed" and result.misconception is None, result.message
    assert "logits=[2, -1, -0.5, 3]" in result.message


def test_cce_wrong_axis_message_covers_the_sum_of_row_means():
    wrong = lambda y, p: np.sum(-np.mean(np.asarray(y) * np.log(np.clip(p, 1e-7, 1)), axis=1))  # noqa: E731
    result = run("categorical_cross_entropy", wrong)
    assert result.misconception == "cce_wrong_axis" and "number of classes k" in result.message


# --------------------------------------------------------------------------- generic messages

@pytest.mark.parametrize("exercise, fn, expected", [
    ("mse", lambda y, p: np.subtract(*guard(y, p)) ** 2, "returned 4 numbers (shape (4,)), but the answer is a single"),
    ("mse_grad", lambda y, p: np.mean(np.subtract(*guard(p, y))), "returned a single number"),
    ("mse", lambda y, p: (d ** 2 for d in np.subtract(*guard(y, p))), "returned a generator"),
    ("mse", lambda y, p: True, "True/False"),
    ("mse", lambda y, p: [None, 1.0], "contains None"),
    ("mse", lambda y, p: object(), "a value of type object"),
    ("gd_run", lambda x, y, w0, lr, n: round(gd_run_f32(x, y, w0, lr, n), 3), "Close, but not accurate enough"),
])
def test_generic_failures_are_clear(exercise, fn, expected):
    result = run(exercise, fn)
    assert result.status == "failed" and expected in result.message, result.message
    assert "0x" not in result.message and "Traceback" not in result.message


def test_value_near_miss_asks_for_more_digits():
    result = run("review_bce_half", 0.69)
    assert result.status == "failed" and "Close" in result.message and "4 significant digits" in result.message
    assert "Not quite" in run("review_bce_half", 0.5 + 0.3).message


@pytest.mark.parametrize("answer", ["(a)", "a)", " A. ", "a) To turn how wrong",
                                    "To turn how wrong the predictions are into one number that training can "
                                    "make smaller."])
def test_multiple_choice_spellings(answer):
    assert run("purpose_of_loss", answer).passed


# --------------------------------------------------------------------------- errors, stubs, time limit

def test_sys_exit_is_an_error_not_a_crash():
    result = run("mse", lambda y, p: sys.exit(3))
    assert result.status == "error" and "SystemExit" in result.message and "y_true=[1, 2, 3, 4]" in result.message


def test_not_implemented_for_some_inputs_is_an_error_not_a_stub():
    def partial(y_true, y_pred):
        y, p = guard(y_true, y_pred)
        if y.ndim == 2:
            raise NotImplementedError("2-D input is not supported")
        return np.mean((y - p) ** 2)

    result = run("mse", partial)
    assert result.status == "error" and "NotImplementedError" in result.message and "(shape (3, 2))" in result.message


def test_tuple_form_is_checked_on_every_input():
    def sometimes_none(X, W, grad_out):
        return (grad_out @ W.T, X.T @ grad_out, grad_out.sum(axis=0)) if len(X) == 2 else None

    result = run("dense_backward", sometimes_none)
    assert result.status == "failed" and "returned None" in result.message and "(shape (5, 3))" in result.message
    result = run("train_linear", lambda X, y, num_epochs, lr, seed=0: {"w": 0, "b": 0, "losses": []})
    assert result.status == "failed" and "must return 3 things" in result.message and "a dict" in result.message
    # a per-part misconception on the first input is still found, even if a later input raises
    result = run("dense_backward", lambda X, W, G: (G @ W, X.T @ G, G.sum(axis=0)))
    assert result.misconception == "dX_weights_not_transposed"


def test_bare_except_loop_is_still_cut_off():
    def stubborn(y_true, y_pred):
        total = 0
        while True:
            try:
                for i in range(100):
                    total += i
            except:  # noqa: E722 - the point of the test
                pass

    start = time.monotonic()
    result = run("mse", stubborn, timeout=0.3)
    assert result.status == "timeout" and "0.3 s" in result.message
    assert time.monotonic() - start < 20
    assert run("mse", mse_loop).passed  # the alarm is disarmed afterwards


def test_hints_and_verdicts_do_not_print_solution_code():
    from lessons_lib.checks import list_exercises

    for ex in list_exercises():
        for text in ex.hints:
            assert "return " not in text and "def " not in text, (ex.id, text)
    for exercise in ("gd_step", "dense_forward", "asymmetric_loss"):
        message = run(exercise, lambda *args: 0.0).message
        assert "return " not in message and "def " not in message, message
