"""Lesson 09's self-test: one multiple-choice question per lesson, each wrong option a named mistake.

The right options are found here from the numbers in the question (worked out with NumPy, not taken from
the checker), and every distractor is answered the way a learner would, expecting its own diagnosis.
"""
import re

import numpy as np
import pytest

from lessons_lib.checks import quiz

from checks_helpers import run as verdict

SELF_TEST = ["quiz_compare_step", "quiz_mse_units", "quiz_mae_constant", "quiz_logit_push", "quiz_softmax_shift",
             "quiz_lr_range", "quiz_train_on_loss", "quiz_logits_loss", "quiz_zero_loss_next"]


def option_with(qid, text):
    """The letter of the option of ``qid`` whose text contains ``text`` (exactly one must)."""
    letters = [k for k, v in quiz.QUESTIONS[qid].options.items() if text in v]
    assert len(letters) == 1, (qid, text, letters)
    return letters[0]


def test_one_question_per_lesson_with_four_options():
    from lessons_lib.checks import get_exercise

    titles = [get_exercise(qid).title for qid in SELF_TEST]
    assert [re.match(r"Self-test (\d\d):", t).group(1) for t in titles] == [f"{k:02d}" for k in range(1, 10)]
    for qid in SELF_TEST:
        q = quiz.QUESTIONS[qid]
        assert len(q.options) == 4 and q.answer in q.options
        assert set(q.wrong) == set(q.options) - {q.answer}, f"{qid}: every distractor needs a named mistake"


def test_numeric_answers_are_the_right_options():
    errors = np.array([10.0, -10.0, 10.0, -10.0])
    mse = np.mean(errors ** 2)
    assert option_with("quiz_mse_units", f"MSE {mse:.0f} points²") == quiz.QUESTIONS["quiz_mse_units"].answer
    assert option_with("quiz_mse_units", f"RMSE {np.sqrt(mse):.0f} points") == quiz.QUESTIONS["quiz_mse_units"].answer

    commutes = np.array([21.0, 23.0, 24.0, 26.0, 96.0])
    grid = np.linspace(0, 100, 100_001)
    best = grid[np.argmin(np.abs(commutes[None, :] - grid[:, None]).mean(axis=1))]
    assert best == pytest.approx(24.0)
    assert option_with("quiz_mae_constant", f"{best:.0f} minutes") == quiz.QUESTIONS["quiz_mae_constant"].answer

    p = 1 / (1 + np.exp(6.0))  # sigmoid(-6)
    bce_push, sq_push = p - 1.0, 2 * (p - 1.0) * p * (1 - p)
    assert round(bce_push) == -1 and round(sq_push, 3) == -0.005
    assert option_with("quiz_logit_push", "about -0.005") == quiz.QUESTIONS["quiz_logit_push"].answer

    z = np.array([2.0, 1.0, 0.1])
    soft = lambda v: np.exp(v - v.max()) / np.exp(v - v.max()).sum()  # noqa: E731
    assert np.allclose(soft(z + 10.0), soft(z))
    assert option_with("quiz_softmax_shift", "stay exactly the same") == quiz.QUESTIONS["quiz_softmax_shift"].answer

    C = 10.0  # one step multiplies the distance to the minimum by (1 - lr C)
    converges = lambda lr: abs(1 - lr * C) < 1  # noqa: E731
    assert converges(0.15) and not converges(0.21) and converges(0.199)
    assert option_with("quiz_lr_range", f"below {2 / C:g}") == quiz.QUESTIONS["quiz_lr_range"].answer


def test_conceptual_answers():
    assert quiz.QUESTIONS["quiz_compare_step"].answer == option_with("quiz_compare_step", "One number for the whole batch")
    assert quiz.QUESTIONS["quiz_train_on_loss"].answer == option_with("quiz_train_on_loss", "gradient is zero")
    assert quiz.QUESTIONS["quiz_logits_loss"].answer == option_with("quiz_logits_loss", "BCEWithLogitsLoss")
    assert quiz.QUESTIONS["quiz_zero_loss_next"].answer == option_with("quiz_zero_loss_next", "validation")


@pytest.mark.parametrize("qid", SELF_TEST)
def test_right_letter_passes(qid):
    result = verdict(qid, quiz.QUESTIONS[qid].answer)
    assert result.passed and result.points == result.max_points


WRONG = [
    ("quiz_compare_step", "compare_corrects_predictions"),
    ("quiz_compare_step", "loss_is_the_gradient"),
    ("quiz_compare_step", "loss_is_accuracy"),
    ("quiz_mse_units", "errors_cancel"),
    ("quiz_mse_units", "forgot_square"),
    ("quiz_mse_units", "forgot_mean"),
    ("quiz_mae_constant", "mean_for_mae"),
    ("quiz_mae_constant", "dropped_outlier"),
    ("quiz_mae_constant", "midrange"),
    ("quiz_logit_push", "slope_wrt_probability"),
    ("quiz_logit_push", "ignored_sigmoid_slope"),
    ("quiz_logit_push", "squared_grows_faster"),
    ("quiz_softmax_shift", "shift_is_temperature"),
    ("quiz_softmax_shift", "probabilities_scale"),
    ("quiz_softmax_shift", "relative_logits"),
    ("quiz_lr_range", "optimal_not_critical"),
    ("quiz_lr_range", "more_epochs_fix_divergence"),
    ("quiz_lr_range", "overly_small_lr"),
    ("quiz_train_on_loss", "loss_ranks_like_accuracy"),
    ("quiz_train_on_loss", "accuracy_only_validation"),
    ("quiz_train_on_loss", "accuracy_trainable"),
    ("quiz_logits_loss", "scores_as_probabilities"),
    ("quiz_logits_loss", "double_sigmoid"),
    ("quiz_logits_loss", "regression_loss_for_classification"),
    ("quiz_zero_loss_next", "zero_loss_is_perfect"),
    ("quiz_zero_loss_next", "zero_loss_is_failure"),
    ("quiz_zero_loss_next", "loss_below_zero"),
]


@pytest.mark.parametrize("qid, name", WRONG, ids=[f"{q}-{n}" for q, n in WRONG])
def test_each_distractor_is_diagnosed(qid, name):
    letter = next(k for k, (found, _) in quiz.QUESTIONS[qid].wrong.items() if found == name)
    result = verdict(qid, letter)
    assert not result.passed and result.misconception == name and result.points == 0
    assert quiz.QUESTIONS[qid].explanation in result.message


def test_lesson_09_asks_every_self_test_question():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "notebooks" / "09_quiz_and_review.ipynb").read_text(encoding="utf-8")
    for qid in SELF_TEST:
        assert f'ask(\\"{qid}\\")' in text, qid
