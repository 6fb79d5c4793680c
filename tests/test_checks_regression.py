"""Regression checks (lessons 02-03): correct answers pass; each typical wrong one gets its named diagnosis.

Every wrong implementation below is written here, the way a learner would write it, independently
of the catalogue in lessons_lib.checks.regression.
"""
import numpy as np
import pytest

from checks_helpers import assert_diagnosis, run


def as_arrays(y_true, y_pred):
    return np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)


def shape_guard(y_true, y_pred):
    y_true, y_pred = as_arrays(y_true, y_pred)
    if y_true.shape != y_pred.shape:
        raise ValueError("shapes differ")
    return y_true, y_pred


# --------------------------------------------------------------------------- mse

def mse_ok(y_true, y_pred):
    y_true, y_pred = shape_guard(y_true, y_pred)
    return np.mean((y_true - y_pred) ** 2)


def mse_ravel(y_true, y_pred):
    # Flattens the column instead of refusing it: the statement asks for a ValueError when shapes differ.
    y_true, y_pred = as_arrays(y_true, y_pred)
    if y_pred.ndim == 2 and y_pred.shape[1] == 1 and y_true.ndim == 1:
        y_pred = y_pred.ravel()
    return float(((y_true - y_pred) ** 2).mean())


def test_mse_correct_solution_passes():
    result = run("mse", mse_ok)
    assert result.passed and result.status == "passed"
    assert result.points == result.max_points == 2


def test_mse_that_flattens_a_column_instead_of_raising_fails_the_contract():
    result = run("mse", mse_ravel)
    assert result.status == "failed" and result.misconception == "missing_shape_check", result
    assert "ValueError" in result.message


@pytest.mark.parametrize("wrong, name", [
    (lambda y, p: np.sum((shape_guard(y, p)[0] - shape_guard(y, p)[1]) ** 2), "forgot_mean"),
    (lambda y, p: np.mean(np.subtract(*shape_guard(y, p))), "forgot_square"),
    (lambda y, p: np.mean(np.subtract(*shape_guard(y, p)[::-1])), "forgot_square"),
    (lambda y, p: np.mean(np.abs(np.subtract(*shape_guard(y, p)))), "used_abs"),
    (lambda y, p: np.sqrt(mse_ok(y, p)), "returned_rmse"),
    (lambda y, p: np.mean(np.subtract(*shape_guard(y, p))) ** 2, "square_of_mean"),
    (lambda y, p: mse_ok(y, p) / 2, "half_mse"),
    (lambda y, p: np.sum(np.subtract(*shape_guard(y, p)) ** 2) / len(y), "divided_by_rows"),
    (lambda y, p: np.mean((y - p) ** 2), "broadcast_trap"),  # correct formula, no shape check
])
def test_mse_misconceptions_are_named(wrong, name):
    result = assert_diagnosis("mse", wrong, name)
    assert "Input that exposed it" in result.message


def test_mse_diagnosis_shows_the_exposing_input_and_true_value():
    result = assert_diagnosis("mse", lambda y, p: np.sum((np.subtract(*shape_guard(y, p))) ** 2), "forgot_mean")
    # first probe: y_true=[1, 2, 3, 4], y_pred=[1.5, 0, 3.5, 7]; squared errors 0.25 + 4 + 0.25 + 9
    assert "y_true=[1, 2, 3, 4]" in result.message
    assert "13.5" in result.message and "3.375" in result.message


def test_broadcast_trap_message_mentions_shapes():
    result = assert_diagnosis("mse", lambda y, p: np.mean((y - p) ** 2), "broadcast_trap")
    assert "(n, 1)" in result.message and "shape" in result.message


@pytest.mark.parametrize("garbage, words", [
    (lambda y, p: None, "return"),
    (lambda y, p: "3.375", "string"),
    (lambda y, p: np.full(3, 3.375), "shape"),
    (lambda y, p: float("nan"), "NaN"),
    (lambda y, p: [["a"]], "not a number"),
])
def test_mse_garbage_outputs_get_clear_messages(garbage, words):
    result = run("mse", garbage)
    assert result.status == "failed" and result.misconception is None
    assert words in result.message


def test_mse_value_instead_of_function():
    result = run("mse", 3.375)
    assert result.status == "failed" and "function" in result.message


# --------------------------------------------------------------------------- mse_grad, rmse

def mse_grad_ok(y_true, y_pred):
    y_true, y_pred = shape_guard(y_true, y_pred)
    return 2 * (y_pred - y_true) / y_pred.size


def test_mse_grad_correct_passes():
    assert run("mse_grad", mse_grad_ok).passed


@pytest.mark.parametrize("wrong, name", [
    (lambda y, p: -mse_grad_ok(y, p), "grad_sign_error"),
    (lambda y, p: mse_grad_ok(y, p) / 2, "grad_missing_2"),
    (lambda y, p: mse_grad_ok(y, p) * np.size(p), "grad_missing_1_over_n"),
    (lambda y, p: mse_grad_ok(y, p) * np.size(p) / 2, "grad_missing_2_and_1_over_n"),
    (lambda y, p: np.sign(mse_grad_ok(y, p)) / np.size(p), "grad_used_abs"),
    (lambda y, p: mse_grad_ok(y, p) * np.size(p) / len(p), "divided_by_rows"),
])
def test_mse_grad_misconceptions_are_named(wrong, name):
    assert_diagnosis("mse_grad", wrong, name)


def test_mse_grad_scalar_instead_of_array():
    result = run("mse_grad", lambda y, p: float(np.sum(mse_grad_ok(y, p))))
    assert result.status == "failed" and "shape" in result.message


def test_mse_grad_matches_finite_differences_of_mse():
    # The reference the check uses is itself pinned to a numerical derivative here.
    from lessons_lib.gradcheck import numerical_gradient
    rng = np.random.default_rng(0)
    y, p = rng.normal(size=5), rng.normal(size=5)
    num = numerical_gradient(lambda v: mse_ok(y, v), p.copy())
    np.testing.assert_allclose(mse_grad_ok(y, p), num, rtol=1e-6, atol=1e-8)


def test_rmse():
    assert run("rmse", lambda y, p: np.sqrt(mse_ok(y, p))).passed
    assert_diagnosis("rmse", mse_ok, "forgot_sqrt")
    assert_diagnosis("rmse", lambda y, p: np.mean(np.sqrt((np.subtract(*shape_guard(y, p))) ** 2)), "sqrt_before_mean")
    assert_diagnosis("rmse", lambda y, p: np.sqrt(np.sum(np.subtract(*shape_guard(y, p)) ** 2)), "forgot_mean")


# --------------------------------------------------------------------------- value exercises (lesson 02)

@pytest.mark.parametrize("answer, status, name", [
    (400, "passed", None), (400.0, "passed", None), ((90 - 70) ** 2, "passed", None),
    (20, "failed", "forgot_square"), (-20, "failed", "forgot_square"), (200, "failed", "half_mse"),
    (123, "failed", None), (..., "not_attempted", None), (None, "not_attempted", None),
])
def test_mse_by_hand(answer, status, name):
    result = run("mse_by_hand", answer)
    assert (result.status, result.misconception) == (status, name), result.message


def test_value_exercise_garbage():
    assert "number" in run("mse_by_hand", "four hundred").message
    assert "single number" in run("mse_by_hand", [400, 20]).message
    assert run("mse_by_hand", "400").passed  # a number typed as text is accepted


def test_mse_penalty_ratio():
    assert run("mse_penalty_ratio", (100, 10)).passed
    assert run("mse_penalty_ratio", [50_000 ** 2 / 5_000 ** 2, 50_000 / 5_000]).passed
    assert run("mse_penalty_ratio", (10, 100)).misconception == "swapped_pair"
    assert run("mse_penalty_ratio", (10, 10)).misconception == "forgot_square"
    assert run("mse_penalty_ratio", (..., ...)).status == "not_attempted"
    assert "every part" in run("mse_penalty_ratio", (100, ...)).message
    result = run("mse_penalty_ratio", 100)
    assert result.status == "failed" and "2 numbers" in result.message


def test_value_explanation_is_shown_only_once_right():
    right, wrong = run("mse_penalty_ratio", (100, 10)), run("mse_penalty_ratio", (10, 100))
    assert "100x" in right.message and "100x" not in wrong.message


# --------------------------------------------------------------------------- mae, mae_grad, huber

def mae_ok(y_true, y_pred):
    y_true, y_pred = shape_guard(y_true, y_pred)
    return np.mean(np.abs(y_true - y_pred))


def test_mae():
    assert run("mae", mae_ok).passed
    assert_diagnosis("mae", lambda y, p: np.mean(np.subtract(*shape_guard(y, p))), "forgot_abs")
    assert_diagnosis("mae", lambda y, p: abs(np.mean(np.subtract(*shape_guard(y, p)))), "forgot_abs")
    assert_diagnosis("mae", mse_ok, "used_square")
    assert_diagnosis("mae", lambda y, p: np.sum(np.abs(np.subtract(*shape_guard(y, p)))), "forgot_mean")
    assert_diagnosis("mae", lambda y, p: np.mean(np.abs(y - p)), "broadcast_trap")


def mae_grad_ok(y_true, y_pred):
    y_true, y_pred = shape_guard(y_true, y_pred)
    return np.sign(y_pred - y_true) / y_pred.size


def test_mae_grad():
    assert run("mae_grad", mae_grad_ok).passed
    assert_diagnosis("mae_grad", lambda y, p: -mae_grad_ok(y, p), "grad_sign_error")
    assert_diagnosis("mae_grad", lambda y, p: mae_grad_ok(y, p) * np.size(p), "grad_missing_1_over_n")
    assert_diagnosis("mae_grad", mse_grad_ok, "grad_used_square")

    def no_zero_at_kink(y, p):
        y, p = shape_guard(y, p)
        return np.where(p >= y, 1.0, -1.0) / p.size

    assert_diagnosis("mae_grad", no_zero_at_kink, "kink_not_zero")


def huber_ok(y_true, y_pred, delta=1.0):
    y_true, y_pred = shape_guard(y_true, y_pred)
    d = y_pred - y_true
    small = np.abs(d) <= delta
    return np.mean(np.where(small, 0.5 * d ** 2, delta * (np.abs(d) - 0.5 * delta)))


def test_huber_matches_torch_and_passes():
    torch = pytest.importorskip("torch")
    y, p = np.array([0.0, 1.0, -2.0]), np.array([0.3, 4.0, -2.5])
    want = torch.nn.functional.huber_loss(torch.tensor(p), torch.tensor(y), delta=2.0).item()
    assert huber_ok(y, p, 2.0) == pytest.approx(want, rel=1e-12)
    assert run("huber", huber_ok).passed


def test_huber_misconceptions():
    def make(small, large, signed=False, reduce=np.mean):
        def f(y, p, delta=1.0):
            y, p = shape_guard(y, p)
            d = p - y
            return reduce(np.where((d if signed else np.abs(d)) <= delta, small(d, delta), large(np.abs(d), delta)))
        return f

    half = lambda d, t: 0.5 * d ** 2  # noqa: E731
    lin = lambda a, t: t * (a - 0.5 * t)  # noqa: E731
    assert_diagnosis("huber", make(lambda d, t: d ** 2, lin), "huber_missing_half")
    assert_diagnosis("huber", make(half, lambda a, t: t * a), "huber_no_offset")
    assert_diagnosis("huber", make(half, lambda a, t: a), "huber_linear_is_mae")
    assert_diagnosis("huber", make(half, lin, signed=True), "huber_signed_threshold")
    assert_diagnosis("huber", make(half, lin, reduce=np.sum), "forgot_mean")
    assert_diagnosis("huber", lambda y, p, delta=1.0: huber_ok(y, p, delta) / delta, "smooth_l1")


# --------------------------------------------------------------------------- lesson 03 value exercises

def test_best_constant():
    data = np.array([11, 13, 14, 16, 17, 19, 99.0])
    assert run("best_constant", (data.mean(), np.median(data))).passed
    assert run("best_constant", (np.median(data), data.mean())).misconception == "swapped_pair"
    assert run("best_constant", (15, 15)).misconception == "dropped_outlier"
    # the true minimisers, found by brute force over a grid of constants
    grid = np.linspace(0, 100, 100_001)
    sq = ((data[None, :] - grid[:, None]) ** 2).mean(axis=1)
    ab = np.abs(data[None, :] - grid[:, None]).mean(axis=1)
    assert run("best_constant", (grid[sq.argmin()], grid[ab.argmin()])).passed


def test_medical():
    a, b = np.full(10, 2.0), np.r_[np.zeros(9), 10.0]
    numbers = (np.mean(a ** 2), np.mean(np.abs(a)), np.mean(b ** 2), np.mean(np.abs(b)))
    assert run("medical_numbers", numbers).passed
    assert run("medical_numbers", tuple(10 * x for x in numbers)).misconception == "forgot_mean"
    assert run("medical_choice", "a").passed
    assert run("medical_choice", " A) ").passed
    wrong = run("medical_choice", "d")
    assert wrong.misconception == "swapped_pair" and "depends on what a big mistake costs" in wrong.message
    assert "not one of the options" in run("medical_choice", "e").message


def test_free_text():
    short = run("medical_reflection", "MSE")
    assert short.status == "failed" and "sentence" in short.message
    ok = run("medical_reflection", "One big dosage error can hurt a patient, so I would use MSE.")
    assert ok.passed and ok.points == 1 and "model answer" in ok.message
    assert run("medical_reflection", ...).status == "not_attempted"
    assert run("medical_reflection", 42).status == "failed"
