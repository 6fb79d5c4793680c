"""Checks for the regression exercises: MSE, RMSE, MAE, Huber and their gradients (lessons 02 and 03).

Each function exercise has probes (inputs chosen so that the catalogued mistakes give different
numbers) and a catalogue of misconceptions, each a wrong implementation that is recognised from
its output. Value exercises list the wrong numbers those mistakes produce.
"""
import numpy as np

from .. import losses
from . import probes as rp
from .diagnosis import (
    Contract,
    Misconception as M,
    Probe,
    accept_free_text,
    compare_choice,
    compare_value,
    diagnose_function,
)
from .registry import register

A = np.asarray

# --------------------------------------------------------------------------- probes
# Errors d = y_pred - y_true of mixed sign, some below 1 and some above 1 (separates |d| from d**2),
# n = 4 (exposes a missing 1/n and a wrong factor 2), a 2-D case (rows vs elements) and the
# (n,) vs (n, 1) broadcasting trap, which must raise or give the true value.
Y1, P1 = A([1.0, 2.0, 3.0, 4.0]), A([1.5, 0.0, 3.5, 7.0])        # d = 0.5, -2, 0.5, 3
Y2, P2 = A([90.0]), A([70.0])                                     # the seed's exam score
Y3, P3 = A([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]), A([[0.5, 1.0], [4.0, 3.0], [1.0, 5.5]])  # 3 rows, 6 values
Y4, P4 = A([1.0, 2.0, 3.0]), A([[2.0], [2.0], [5.0]])              # column predictions

REGRESSION_PROBES = [{"y_true": Y1, "y_pred": P1}, {"y_true": Y2, "y_pred": P2}, {"y_true": Y3, "y_pred": P3}]


SHAPE_MISMATCHES = (
    ({"y_true": Y4, "y_pred": P4}, ValueError, "targets of shape (3,), predictions of shape (3, 1)"),
    ({"y_true": A([1.0, 2.0, 3.0, 4.0]), "y_pred": A([2.5])}, ValueError,
     "targets of shape (4,), predictions of shape (1,)"),
)
"""Inputs whose shapes differ and that NumPy would broadcast silently: the statement requires a ValueError."""


def regression_random(reference, *, delta=None, seed=0, defaults=None):
    """Random (y_true, y_pred[, extra]) probes; ``defaults`` = {name: (low, high)} also drawn and left out."""
    def draw(rng):
        out = []
        for i, (y, p) in enumerate(rp.regression_pairs(rng)):
            inputs = {"y_true": y, "y_pred": p}
            if defaults:
                (name, (low, high)), = defaults.items()
                if i % 2:
                    out.append(rp.probe(inputs, omitted=(name,)))
                    continue
                inputs[name] = float(np.round(rng.uniform(low, high), 3))
            out.append(rp.probe(inputs))
        return out
    return draw


def regression_contract(seed, *, raises=(), defaults=None, ranges=None):
    """The contract of a regression exercise: return type, optional ValueError on shape mismatch, defaults."""
    return Contract(raises=tuple(raises), defaults=dict(defaults or {}),
                    random=regression_random(None, defaults=ranges), seed=seed)


def _d(y, p):
    return A(p, dtype=float) - A(y, dtype=float)


BROADCAST_TRAP = (
    "broadcast_trap",
    "Your function silently broadcast y_true of shape (n,) against y_pred of shape (n, 1): NumPy "
    "compared every target with every prediction (an n x n table) and averaged that. Check the shapes "
    "first and raise a ValueError when they differ.",
)


def broadcast_trap(formula):
    """The misconception: the same formula applied without a shape check."""
    return M(*BROADCAST_TRAP, lambda y, p: formula(_d(y, p)))


ROWS = ("divided_by_rows",
        "You divided by len(y_true), which counts rows, not numbers: for a 2-D array that is too few. "
        "Average over every element with np.mean (or divide by .size).")

# --------------------------------------------------------------------------- lesson 02: MSE

MSE_MISCONCEPTIONS = [
    M("forgot_mean", "It looks like you added the squared errors up but forgot to divide by n "
      "(the number of values): use the mean, not the sum.", lambda y, p: np.sum(_d(y, p) ** 2)),
    M("forgot_square", "It looks like you forgot to square the errors, so positive and negative errors "
      "cancelled out. Square each difference before averaging.", lambda y, p: np.mean(_d(y, p))),
    M("forgot_square", "It looks like you forgot to square the errors, so positive and negative errors "
      "cancelled out. Square each difference before averaging.", lambda y, p: np.mean(-_d(y, p))),
    M("used_abs", "You took the absolute value of the errors instead of squaring them: that is the MAE "
      "(lesson 03). MSE squares each error, so an error of 3 costs 9, not 3.", lambda y, p: np.mean(np.abs(_d(y,
                                                                                                              p)))),
    M("returned_rmse", "You returned the square root of the MSE (the RMSE). The MSE itself has no "
      "square root.", lambda y, p: np.sqrt(np.mean(_d(y, p) ** 2))),
    M("square_of_mean", "You squared the *average* error instead of averaging the squared errors; "
      "errors of opposite sign cancel before squaring. Square first, then average.",
      lambda y, p: np.mean(_d(y, p)) ** 2),
    M("half_mse", "You included a factor 1/2 (a convention some books use to simplify the gradient). "
      "In this course, as in Keras and PyTorch, MSE is the plain mean of the squared errors.",
      lambda y, p: 0.5 * np.mean(_d(y, p) ** 2)),
    M(*ROWS, lambda y, p: np.sum(_d(y, p) ** 2) / len(y)),
    M("divided_by_n_minus_1", "You divided by n - 1 (the sample-variance convention). A loss is a plain mean: "
      "divide the sum of squared errors by n.", lambda y, p: np.sum(_d(y, p) ** 2) / (_d(y, p).size - 1)),
    broadcast_trap(lambda d: np.mean(d ** 2)),
]

_MSE_HINTS = [
    "The error of one prediction is y_pred - y_true (prediction minus target); NumPy subtracts whole arrays "
    "element by element.",
    "Square each error with ** 2, then take np.mean of the result.",
    "Before computing, convert with np.asarray(..., dtype=float) and raise ValueError if "
    "y_true.shape != y_pred.shape: a (n,) vs (n, 1) pair would otherwise broadcast to an n x n table.",
]


MSE_CONTRACT = regression_contract(201, raises=SHAPE_MISMATCHES)


@register("mse", title="Implement the mean squared error", points=2, hints=_MSE_HINTS,
          misconceptions=MSE_MISCONCEPTIONS, contract=MSE_CONTRACT)
def check_mse(submission):
    """mse(y_true, y_pred) agrees with losses.mse, including 2-D input; ValueError for the (n,) vs (n, 1) trap."""
    return diagnose_function(submission, losses.mse, REGRESSION_PROBES, MSE_MISCONCEPTIONS,
                             what="the mean squared error", contract=MSE_CONTRACT)


GRAD_2 = "the factor 2 (the derivative of d**2 is 2 d)"
MSE_GRAD_MISCONCEPTIONS = [
    M("grad_sign_error", "Your gradient points the wrong way: the derivative with respect to y_pred is "
      "2 (y_pred - y_true) / n, not 2 (y_true - y_pred) / n. Gradient descent would climb the loss.",
      lambda y, p: -2 * _d(y, p) / _d(y, p).size),
    M("grad_missing_2", f"Your gradient is missing {GRAD_2}.", lambda y, p: _d(y, p) / _d(y, p).size),
    M("grad_missing_1_over_n", "Your gradient is missing the 1/n: the loss is a mean, so each prediction "
      "only moves it by 1/n of its own squared error.", lambda y, p: 2 * _d(y, p)),
    M("grad_missing_2_and_1_over_n", f"Your gradient is missing both {GRAD_2} and the 1/n from the mean.",
      lambda y, p: _d(y, p)),
    M("grad_sign_error", "Your gradient points the wrong way (y_true - y_pred instead of y_pred - y_true) "
      f"and also misses {GRAD_2}.", lambda y, p: -_d(y, p) / _d(y, p).size),
    M("grad_used_abs", "That is the gradient of the MAE (only the sign of each error). For the MSE the "
      "size of the error matters: 2 (y_pred - y_true) / n.", lambda y, p: np.sign(_d(y, p)) / _d(y, p).size),
    M(*ROWS, lambda y, p: 2 * _d(y, p) / len(y)),
]


MSE_GRAD_CONTRACT = regression_contract(202)


@register("mse_grad", title="Gradient of the MSE", points=2, misconceptions=MSE_GRAD_MISCONCEPTIONS,
          contract=MSE_GRAD_CONTRACT, hints=[
    "Differentiate one term (y_pred_i - y_true_i)**2 / n with respect to y_pred_i; the other terms do not "
    "depend on it.",
    "The chain rule gives 2 (y_pred_i - y_true_i) / n. Return an array with y_pred's shape.",
    "n is the number of values: y_pred.size (not len, which counts rows of a 2-D array).",
])
def check_mse_grad(submission):
    """mse_grad(y_true, y_pred) agrees with losses.mse_grad (sign, factor 2, 1/n, shape)."""
    return diagnose_function(submission, losses.mse_grad, REGRESSION_PROBES, MSE_GRAD_MISCONCEPTIONS,
                             what="the gradient", contract=MSE_GRAD_CONTRACT)


def _rmse(y_true, y_pred):
    return float(np.sqrt(losses.mse(y_true, y_pred)))


RMSE_MISCONCEPTIONS = [
    M("forgot_sqrt", "You returned the MSE: the RMSE is its square root, which brings the error back to "
      "the units of y.", lambda y, p: np.mean(_d(y, p) ** 2)),
    M("sqrt_before_mean", "You took the square root of each squared error before averaging; "
      "sqrt(d**2) = |d|, so that is the MAE. Average first, then take one square root.",
      lambda y, p: np.mean(np.sqrt(_d(y, p) ** 2))),
    M("forgot_mean", "You took the square root of the *sum* of squared errors; divide by n first.",
      lambda y, p: np.sqrt(np.sum(_d(y, p) ** 2))),
    M(*ROWS, lambda y, p: np.sqrt(np.sum(_d(y, p) ** 2) / len(y))),
]


RMSE_CONTRACT = regression_contract(203)


@register("rmse", title="Root mean squared error", points=1, misconceptions=RMSE_MISCONCEPTIONS,
          contract=RMSE_CONTRACT, hints=[
    "RMSE = sqrt(MSE). You may call your own mse function.",
    "np.sqrt of a single number: the mean comes first, the root last.",
])
def check_rmse(submission):
    """rmse(y_true, y_pred) = sqrt(mean((y_pred - y_true)**2))."""
    return diagnose_function(submission, _rmse, REGRESSION_PROBES, RMSE_MISCONCEPTIONS, what="the RMSE",
                             contract=RMSE_CONTRACT)


MSE_BY_HAND_WRONG = [
    M("forgot_square", "That is the size of the miss, 20 points, not squared; the MSE squares the error.", 20.0),
    M("forgot_square", "That is the error itself, prediction minus target: 70 - 90 = -20. The MSE squares "
      "it, which also makes the sign irrelevant.", -20.0),
    M("half_mse", "You halved the squared error. MSE here is simply the squared error.", 200.0),
]


@register("mse_by_hand", misconceptions=MSE_BY_HAND_WRONG, title="MSE of one prediction, by hand", points=1, hints=[
    "The error is the prediction minus the actual score: 70 - 90.",
    "Square that error; with one prediction the mean is the squared error itself.",
])
def check_mse_by_hand(answer):
    """The squared error of predicting 70 for an actual 90 is 400."""
    return compare_value(answer, 400.0, MSE_BY_HAND_WRONG,
                         explanation="Squaring turns a 20-point miss into a penalty of 400: big misses dominate the MSE.")


MSE_PENALTY_RATIO_WRONG = [
    M("swapped_pair", "You have the two ratios the wrong way round: the *squared* loss gives the "
      "bigger ratio.", (10.0, 100.0)),
    M("forgot_square", "The MSE squares each error, so a 10x bigger error costs 10**2 times more, "
      "not 10x.", (10.0, 10.0)),
    M("used_square", "The MAE does not square: a 10x bigger error costs exactly 10x more.", (100.0, 100.0)),
]


@register("mse_penalty_ratio", misconceptions=MSE_PENALTY_RATIO_WRONG,
          title="How much more does a 10x bigger error cost?", points=1, hints=[
    "Only the ratio matters: compare an error of 50,000 with an error of 5,000.",
    "MSE: (50,000 / 5,000) ** 2. MAE: 50,000 / 5,000.",
    "Answer with a pair: (mse_ratio, mae_ratio).",
])
def check_mse_penalty_ratio(answer):
    """(MSE ratio, MAE ratio) for a $50,000 vs a $5,000 error: (100, 10)."""
    return compare_value(answer, (100.0, 10.0), MSE_PENALTY_RATIO_WRONG, what="the pair (mse_ratio, mae_ratio)",
        explanation="Because of the square, MSE charges a 10x bigger mistake 100x more, while MAE charges "
                    "it only 10x: a model trained with MSE works hardest on its largest errors.")


# --------------------------------------------------------------------------- lesson 03: MAE and Huber

MAE_MISCONCEPTIONS = [
    M("forgot_abs", "It looks like positive and negative errors cancelled out: take the absolute value "
      "of each error (np.abs) *before* averaging.", lambda y, p: np.mean(_d(y, p))),
    M("forgot_abs", "It looks like positive and negative errors cancelled out: take the absolute value "
      "of each error (np.abs) *before* averaging.", lambda y, p: np.mean(-_d(y, p))),
    M("used_square", "You squared the errors: that is the MSE. The MAE uses the absolute value, so an "
      "error of 3 costs 3, not 9.", lambda y, p: np.mean(_d(y, p) ** 2)),
    M("forgot_mean", "You added the absolute errors up but forgot to divide by n.",
      lambda y, p: np.sum(np.abs(_d(y, p)))),
    M(*ROWS, lambda y, p: np.sum(np.abs(_d(y, p))) / len(y)),
    broadcast_trap(lambda d: np.mean(np.abs(d))),
]


MAE_CONTRACT = regression_contract(204, raises=SHAPE_MISMATCHES)


@register("mae", title="Implement the mean absolute error", points=2, misconceptions=MAE_MISCONCEPTIONS,
          contract=MAE_CONTRACT, hints=[
    "Same skeleton as mse, with one change: np.abs instead of ** 2.",
    "Convert with np.asarray(..., dtype=float) and raise ValueError when the shapes differ.",
])
def check_mae(submission):
    """mae(y_true, y_pred) agrees with losses.mae, including 2-D input and the (n,) vs (n, 1) trap."""
    return diagnose_function(submission, losses.mae, REGRESSION_PROBES, MAE_MISCONCEPTIONS,
                             what="the mean absolute error", contract=MAE_CONTRACT)


MAE_GRAD_MISCONCEPTIONS = [
    M("grad_sign_error", "Your gradient points the wrong way: it is sign(y_pred - y_true) / n.",
      lambda y, p: -np.sign(_d(y, p)) / _d(y, p).size),
    M("grad_missing_1_over_n", "Your gradient is missing the 1/n from the mean.", lambda y, p: np.sign(_d(y, p))),
    M("grad_used_square", "That is the gradient of the MSE. The MAE's slope does not grow with the error: "
      "it is only the sign of each error, divided by n.", lambda y, p: 2 * _d(y, p) / _d(y, p).size),
    M("grad_used_square", "Your gradient grows with the error, like an MSE gradient. The slope of |d| is "
      "+1 or -1: use np.sign(y_pred - y_true) / n.", lambda y, p: _d(y, p) / _d(y, p).size),
    M(*ROWS, lambda y, p: np.sign(_d(y, p)) / len(y)),
    M("kink_not_zero", "At an error of exactly 0, |d| has a kink and no single slope; this course (like "
      "PyTorch) uses 0 there, which np.sign gives automatically.",
      lambda y, p: np.where(_d(y, p) >= 0, 1.0, -1.0) / _d(y, p).size,
      variants=(lambda y, p: np.where(_d(y, p) > 0, 1.0, -1.0) / _d(y, p).size,
                lambda y, p: np.where(_d(y, p) > 0, 1.0, 0.0) / _d(y, p).size - np.where(_d(y, p) <= 0, 1.0, 0.0)
                / _d(y, p).size)),
]

KINK_PROBE = {"y_true": A([1.0, 2.0, 3.0]), "y_pred": A([1.0, 5.0, 2.5])}


MAE_GRAD_CONTRACT = regression_contract(205)


@register("mae_grad", title="Gradient of the MAE", points=1, misconceptions=MAE_GRAD_MISCONCEPTIONS,
          contract=MAE_GRAD_CONTRACT, hints=[
    "The slope of |d| is +1 when d > 0 and -1 when d < 0.",
    "np.sign(y_pred - y_true) / n, where n = y_pred.size.",
])
def check_mae_grad(submission):
    """mae_grad agrees with losses.mae_grad, including 0 at the kink (y_pred == y_true)."""
    return diagnose_function(submission, losses.mae_grad, [*REGRESSION_PROBES[:2], KINK_PROBE, REGRESSION_PROBES[2]],
                             MAE_GRAD_MISCONCEPTIONS, what="the gradient", contract=MAE_GRAD_CONTRACT)


def _huber_parts(y, p, delta):
    d = _d(y, p)
    return d, np.abs(d), float(delta)


def _huber_wrong(small, large, reduce=np.mean, signed=False):
    def wrong(y, p, delta=1.0):
        d, a, delta = _huber_parts(y, p, delta)
        inside = (d if signed else a) <= delta
        return reduce(np.where(inside, small(d, delta), large(a, delta)))
    return wrong


HUBER_MISCONCEPTIONS = [
    M("huber_missing_half", "Your quadratic part is d**2; Huber uses 0.5 * d**2 so that the two pieces "
      "meet smoothly at |d| = delta.", _huber_wrong(lambda d, t: d * d, lambda a, t: t * (a - 0.5 * t))),
    M("huber_no_offset", "Your linear part is delta * |d|; it must be delta * (|d| - delta / 2), otherwise "
      "the loss jumps at |d| = delta.", _huber_wrong(lambda d, t: 0.5 * d * d, lambda a, t: t * a)),
    M("huber_linear_is_mae", "Your linear part is |d| (the MAE); Huber's is delta * (|d| - delta / 2).",
      _huber_wrong(lambda d, t: 0.5 * d * d, lambda a, t: a)),
    M("huber_signed_threshold", "You compared the signed error with delta, so large *negative* errors were "
      "treated as small. Compare |d| with delta.",
      _huber_wrong(lambda d, t: 0.5 * d * d, lambda a, t: t * (a - 0.5 * t), signed=True)),
    M("smooth_l1", "That is PyTorch's smooth L1 loss, which equals Huber divided by delta (they only agree "
      "for delta = 1).", lambda y, p, delta=1.0: losses.huber(y, p, delta=delta) / delta),
    M("forgot_mean", "You added the per-item losses up but forgot to divide by n.",
      _huber_wrong(lambda d, t: 0.5 * d * d, lambda a, t: t * (a - 0.5 * t), reduce=np.sum)),
    M("huber_ignored_delta", "Your result is the Huber loss for delta = 1 whatever delta is passed: use the "
      "delta argument in both the threshold and the linear part.", lambda y, p, delta=1.0: losses.huber(y, p)),
]


HUBER_CONTRACT = regression_contract(206, defaults={"delta": 1.0}, ranges={"delta": (0.4, 2.5)})


@register("huber", title="Implement the Huber loss", points=2, misconceptions=HUBER_MISCONCEPTIONS,
          contract=HUBER_CONTRACT, hints=[
    "Compute d = y_pred - y_true and a = np.abs(d) once; pick a branch per element with np.where(a <= delta, ..., ...).",
    "Small errors: 0.5 * d**2. Large errors: delta * (a - 0.5 * delta). Then np.mean.",
    "Check your pieces meet: at a = delta both give 0.5 * delta**2.",
])
def check_huber(submission):
    """huber(y_true, y_pred, delta) agrees with losses.huber for delta = 1 (default) and delta = 2."""
    y, p = A([0.0, 0.0, 0.0, 0.0, 0.0]), A([0.5, -0.5, 3.0, -4.0, 1.5])
    probes = [{"y_true": y, "y_pred": p, "delta": 2.0}, Probe({"y_true": y, "y_pred": p}, omitted=("delta",)),
              {"y_true": Y3, "y_pred": P3, "delta": 0.5}]
    return diagnose_function(submission, losses.huber, probes, HUBER_MISCONCEPTIONS, what="the Huber loss",
                             contract=HUBER_CONTRACT)


DELIVERY_MINUTES = (11.0, 13.0, 14.0, 16.0, 17.0, 19.0, 99.0)
"""Delivery times with one outlier (a lost parcel), for the best-constant exercise of lesson 03."""


BEST_CONSTANT_WRONG = [
    M("swapped_pair", "Swapped: the mean minimises the *squared* error, the median the absolute error.",
      (16.0, 27.0)),
    M("mean_for_both", "The mean minimises MSE, but MAE is minimised by the median.", (27.0, 27.0)),
    M("median_for_both", "The median minimises MAE, but MSE is minimised by the mean.", (16.0, 16.0)),
    M("dropped_outlier", "You left out the outlier (99). The question asks about all seven times: the "
      "point is to see how much the outlier drags the mean.", (15.0, 15.0)),
]


@register("best_constant", misconceptions=BEST_CONSTANT_WRONG,
          title="Which constant prediction minimises MSE, and which MAE?", points=1, hints=[
    "If a model may only predict one number c for every item, MSE is smallest at the mean of the data.",
    "...and MAE is smallest at the median (half the points above, half below).",
    "Answer with the pair (best_for_mse, best_for_mae).",
])
def check_best_constant(answer):
    """(mean, median) of DELIVERY_MINUTES = (27, 16)."""
    return compare_value(answer, (27.0, 16.0), BEST_CONSTANT_WRONG, what="the pair (best_for_mse, best_for_mae)",
        explanation="One lost parcel drags the mean from 15 to 27 minutes, while the median barely moves: "
                    "MSE follows outliers, MAE resists them.")


MEDICAL_ERRORS_A = (2.0,) * 10
MEDICAL_ERRORS_B = (0.0,) * 9 + (10.0,)
"""Absolute errors of two dosage models on ten patients: A is a little off every time, B once badly."""


MEDICAL_NUMBERS_WRONG = [
    M("forgot_mean", "Those are sums; divide each by the ten patients.", (40.0, 20.0, 100.0, 10.0)),
    M("swapped_pair", "Within each model you swapped MSE and MAE.", (2.0, 4.0, 1.0, 10.0)),
]


@register("medical_numbers", misconceptions=MEDICAL_NUMBERS_WRONG,
          title="Slightly wrong often, or badly wrong once: the numbers", points=1, hints=[
    "For each model, square the ten errors and average (MSE), then take their absolute values and average (MAE).",
    "Model B: nine zeros and one 10, so its MSE is 100 / 10.",
    "Answer with four numbers: (mse_A, mae_A, mse_B, mae_B).",
])
def check_medical_numbers(answer):
    """(mse_A, mae_A, mse_B, mae_B) = (4, 2, 10, 1)."""
    return compare_value(answer, (4.0, 2.0, 10.0, 1.0), MEDICAL_NUMBERS_WRONG,
                         what="the four numbers (mse_A, mae_A, mse_B, mae_B)")


MEDICAL_CHOICE_WRONG = {
    "d": M("swapped_pair", "Reversed: MSE squares the single error of 10 into 100, so it dislikes B.", None),
    "b": M("mae_prefers_a", "MAE gives B an average error of only 1, lower than A's 2.", None),
    "c": M("mse_prefers_b", "MSE gives B a loss of 10, higher than A's 4.", None),
}


@register("medical_choice", misconceptions=MEDICAL_CHOICE_WRONG, title="Which loss prefers which model?", points=1,
          hints=[
    "Lower loss = preferred. Compare mse_A with mse_B, then mae_A with mae_B.",
])
def check_medical_choice(answer):
    """MSE prefers A (4 < 10), MAE prefers B (1 < 2): option "a"."""
    return compare_choice(answer, "a", {
        "a": "MSE prefers model A, MAE prefers model B",
        "b": "both prefer model A",
        "c": "both prefer model B",
        "d": "MSE prefers model B, MAE prefers model A",
    }, wrong=MEDICAL_CHOICE_WRONG, explanation="MSE punishes the one big mistake so hard that it prefers many small ones; MAE counts "
                   "every unit of error the same and prefers the model that is usually exact. Which is "
                   "right depends on what a big mistake costs, which is a medical question, not a maths one.")


@register("medical_reflection", title="Reflection: which loss for a dosage model?", points=1, hints=[
    "Think about what a single very large dosage error means for one patient.",
])
def check_medical_reflection(answer):
    """Free text (rubric in the solution notebook); any answer of a sentence or more is accepted."""
    return accept_free_text(answer, (
        "A single extreme dosage error can harm a patient, while many small errors are often tolerable. "
        "MSE charges large errors quadratically, so a model trained with it avoids rare disasters at the "
        "price of being slightly off more often; MAE would accept one disaster if it buys many exact "
        "answers. For dosing, MSE (or a loss that weights big errors even more) matches the real cost. "
        "If the data contain measurement glitches, Huber is a compromise: quadratic for small errors, "
        "linear for outliers."))
