"""Learner answers for the conceptual questions of lessons 01, 06, 08 and 09 (numbers, letters, rankings)."""
import numpy as np

from .base import bad, ok


def _choice(qid, label, right, wrong):
    """Letters for a multiple-choice question: every form of the right one passes; each wrong one fails
    (any named mistake may be reported, "*")."""
    for good in right:
        ok(qid, good, f"{label} {good}")
    for answer in wrong:
        bad(qid, "*", answer=answer, label=f"{label} {answer}")


_MISSES = np.array([5.0, 6.5, 7.0, 5.5]) - 6.0
for good in (0.75, np.mean(np.abs(_MISSES)), (lambda: float(np.mean(np.abs(_MISSES)))), "0.75"):
    ok("throw_mean_miss", good, f"mean miss {good!r}")
for wrong, names in ((0.0, ("errors_cancel",)), (3.0, ("forgot_mean",)), (0.625, ("squared_instead",)), (0.5, ()),
                     (1.0, ())):
    bad("throw_mean_miss", *names, answer=wrong, label=f"mean miss {wrong!r}")
for good in (0.625, np.mean(_MISSES ** 2), "0.625"):
    ok("throw_mean_squared_miss", good, f"mean squared miss {good!r}")
for wrong, names in ((0.5625, ("squared_the_mean",)), (2.5, ("forgot_mean",)), (np.sqrt(0.625), ("took_root",)),
                     (0.75, ()),
                     (1.25, ())):
    bad("throw_mean_squared_miss", *names, answer=wrong, label=f"mean squared miss {wrong!r}")

for good in ("a", "(a)", "A"):
    ok("purpose_of_loss", good, f"purpose {good}")
for wrong, names in (("b", ("loss_as_stopping_rule",)), ("c", ("loss_is_accuracy",)), ("d",
                                                                                       ("loss_picks_architecture",)),
                     ("e", ())):
    bad("purpose_of_loss", *names, answer=wrong, label=f"purpose {wrong}")

_choice("diverging_run", "diverging", ("d", "D", "(d)"), ("a", "b", "c"))

_choice("loss_changes_learning", "changes", ("b", "(b)"), ("a", "c", "d"))

_choice("review_zero_loss", "zero loss", ("b", "B"), ("a", "c", "d"))

_choice("review_outlier_fit", "outlier", ("c", "(c)"), ("a", "b", "d"))

_choice("review_binary_loss", "binary", ("c", "C"), ("a", "b", "d"))

for good in (25, 25.0, "25", 100 / 4):
    ok("review_mse_big_errors", good, f"big errors {good!r}")
for wrong, names in ((5, ("linear_ratio",)), (96, ("difference_not_ratio",)), (8, ()), (125, ())):
    bad("review_mse_big_errors", *names, answer=wrong, label=f"big errors {wrong!r}")

for good in (np.log(2), 0.6931, -np.log(0.5), "0.693"):
    ok("review_bce_half", good, f"bce half {good!r}")
for wrong, names in ((np.log10(2), ("log10",)), (1.0, ("bits",)), (-np.log(2), ("forgot_minus",)), (0.5,
                                                                                                    ("probability_not_loss",)),
                     (0.25, ())):
    bad("review_bce_half", *names, answer=wrong, label=f"bce half {wrong!r}")

for good in ((5, 3), (5.0, 3.0), [5, 3]):
    ok("review_constant_fit", good, f"constants {good!r}")
for wrong, names in (((3, 5), ("swapped_mean_median",)), ((5, 5), ("both_mean",)), ((3, 3), ()), ((5, 2.5), ())):
    bad("review_constant_fit", *names, answer=wrong, label=f"constants {wrong!r}")

_P = np.exp([2.0, 1.0, 0.0]) / np.exp([2.0, 1.0, 0.0]).sum()
for good in (_P - np.array([1.0, 0.0, 0.0]), (-0.335, 0.245, 0.090), [-0.3348, 0.2447, 0.0900]):
    ok("review_softmax_grad", good, f"softmax grad {good!r}")
for wrong, names in ((_P, ("forgot_minus_y",)), (np.array([1.0, 0.0, 0.0]) - _P, ("wrong_sign",)), ((-0.665, 0.245,
                                                                                                     0.090), ()),
                     ((0.335, 0.245, 0.090), ())):
    bad("review_softmax_grad", *names, answer=wrong, label=f"softmax grad {wrong!r}")

for good in (100, 100.0, "100"):
    ok("review_clamp", good, f"clamp {good!r}")
for wrong, names in ((-100, ("clamp_sign",)), (0, ("zero_loss",)), (-np.log(1e-7), ("keras_clip",)), (np.inf,
                                                                                                      ("infinite_loss",)), (50, ())):
    bad("review_clamp", *names, answer=wrong, label=f"clamp {wrong!r}")

_GOOD_TASKS = {"house_prices_with_outliers": "huber", "spam_detection": "binary_crossentropy",
               "digit_recognition": "categorical_crossentropy", "temperature_forecast": "mse"}
ok("match_losses", dict(_GOOD_TASKS), "tasks keras names")
ok("match_losses", {**_GOOD_TASKS, "house_prices_with_outliers": "mae"}, "tasks mae for outliers")
for task, loss, names in (("spam_detection", "mse", ("regression_loss_for_classification",)),
                          ("digit_recognition", "binary_crossentropy", ("binary_loss_for_multiclass",)),
                          ("house_prices_with_outliers", "mse", ("mse_with_outliers",)),
                          ("temperature_forecast", "mae", ("robust_loss_without_outliers",))):
    bad("match_losses", *names, answer={**_GOOD_TASKS, task: loss}, label=f"tasks {task} {loss}")
