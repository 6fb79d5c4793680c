"""The quiz checks: right answers pass, catalogued wrong answers are named, and ask() prints in static mode."""
import numpy as np
import pytest

from lessons_lib import losses
from lessons_lib import widgets
from lessons_lib.checks import quiz

from checks_helpers import run as verdict


# the right answers, derived independently of the checker (by hand or with lessons_lib.losses)
_misses = np.array([5.0, 6.5, 7.0, 5.5]) - 6.0
_z = np.array([2.0, 1.0, 0.0])
RIGHT = {
    "throw_mean_miss": 0.75,
    "throw_mean_squared_miss": 0.625,
    "rank_darts": ["D", "A", "C", "B"],
    "match_losses": {"house_prices_with_outliers": "HuberLoss", "spam_detection": "BCEWithLogitsLoss",
                     "digit_recognition": "CrossEntropyLoss", "temperature_forecast": "mean_squared_error"},
    "review_mse_big_errors": 25,
    "review_bce_half": losses.binary_cross_entropy([1.0], [0.5]),
    "review_constant_fit": (5.0, 3.0),
    "review_softmax_grad": losses.softmax_cross_entropy_grad([0], [_z]).ravel(),
    "review_clamp": losses.binary_cross_entropy([1.0], [0.0]),
    "review_purpose": "It turns prediction errors into one number that training then minimises.",
}


@pytest.mark.parametrize("exercise", sorted(RIGHT))
def test_right_answer_passes(exercise):
    result = verdict(exercise, RIGHT[exercise])
    assert result.passed and result.points == result.max_points, result


@pytest.mark.parametrize("qid", sorted(quiz.QUESTIONS))
def test_multiple_choice_right_letter_passes_and_explains(qid):
    q = quiz.QUESTIONS[qid]
    right = verdict(qid, f" {q.answer.upper()} ")
    assert right.passed and q.explanation in right.message
    wrong_letter = next(k for k in q.options if k != q.answer)
    wrong = verdict(qid, wrong_letter)
    assert not wrong.passed and q.explanation in wrong.message  # explanation after any attempt
    assert wrong.misconception == q.wrong.get(wrong_letter, (None,))[0]


def test_seed_questions_have_the_expected_answers():
    assert quiz.QUESTIONS["purpose_of_loss"].answer == "a"
    assert quiz.QUESTIONS["review_zero_loss"].answer == "b"  # zero loss: maybe overfitting, not perfection
    assert quiz.QUESTIONS["loss_changes_learning"].answer == "b"
    assert quiz.QUESTIONS["review_binary_loss"].answer == "c"


WRONG = [
    ("throw_mean_miss", float(np.mean(_misses)), "errors_cancel"),
    ("throw_mean_miss", 3.0, "forgot_mean"),
    ("throw_mean_squared_miss", 0.75 ** 2, "squared_the_mean"),
    ("throw_mean_squared_miss", float(np.sqrt(0.625)), "took_root"),
    ("rank_darts", ["D", "B", "A", "C"], "ranked_by_mean_distance"),
    ("rank_darts", "B C A D", "reversed"),
    ("review_mse_big_errors", 5, "linear_ratio"),
    ("review_bce_half", np.log10(2), "log10"),
    ("review_bce_half", -0.6931, "forgot_minus"),
    ("review_constant_fit", [3, 5], "swapped_mean_median"),
    ("review_constant_fit", [5, 5], "both_mean"),
    ("review_softmax_grad", [0.665, 0.245, 0.090], "forgot_minus_y"),
    ("review_softmax_grad", [0.335, -0.245, -0.090], "wrong_sign"),
    ("review_clamp", float("inf"), "infinite_loss"),
    ("review_clamp", 0, "zero_loss"),
    ("match_losses", {"house_prices_with_outliers": "mse", "spam_detection": "bce", "digit_recognition": "cce",
                      "temperature_forecast": "mse"}, "mse_with_outliers"),
    ("match_losses", {"house_prices_with_outliers": "mae", "spam_detection": "mse", "digit_recognition": "cce",
                      "temperature_forecast": "mse"}, "regression_loss_for_classification"),
    ("match_losses", {"house_prices_with_outliers": "mae", "spam_detection": "bce", "digit_recognition": "bce",
                      "temperature_forecast": "mse"}, "binary_loss_for_multiclass"),
    ("match_losses", {"house_prices_with_outliers": "bce", "spam_detection": "bce", "digit_recognition": "cce",
                      "temperature_forecast": "mse"}, "classification_loss_for_regression"),
]


@pytest.mark.parametrize("exercise, answer, name", WRONG, ids=[f"{e}-{n}" for e, _, n in WRONG])
def test_wrong_answer_is_named(exercise, answer, name):
    result = verdict(exercise, answer)
    assert result.status == "failed" and result.misconception == name, result


def test_answers_may_be_zero_argument_functions():
    assert verdict("match_losses", lambda: RIGHT["match_losses"]).passed
    assert verdict("throw_mean_miss", lambda: 0.75).passed


def test_match_losses_partial_credit():
    answer = dict(RIGHT["match_losses"], temperature_forecast="mae")
    result = verdict("match_losses", answer)
    assert not result.passed and result.points == pytest.approx(0.75 * result.max_points)


@pytest.mark.parametrize("exercise, answer, words", [
    ("match_losses", ["mse"], "dict"),
    ("match_losses", {"spam_detection": "bce"}, "missing"),
    ("match_losses", dict(RIGHT["match_losses"], spam_detection="crossentropy_of_doom"), "unknown loss"),
    ("throw_mean_miss", "three quarters", "number"),
    ("throw_mean_miss", [0.75, 0.5], "single number"),
    ("review_constant_fit", 5, "2 numbers"),
    ("purpose_of_loss", "e", "not one of the options"),
    ("review_purpose", "no", "full sentence"),
    ("rank_darts", ["A", "B"], "exactly once"),
])
def test_garbage_gets_clear_message(exercise, answer, words):
    result = verdict(exercise, answer)
    assert not result.passed and words in result.message, result


@pytest.mark.parametrize("exercise", sorted(RIGHT) + ["purpose_of_loss"])
def test_unanswered_is_not_attempted(exercise):
    assert verdict(exercise, ...).status == "not_attempted"


def test_ask_prints_question_in_static_mode(monkeypatch, capsys):
    monkeypatch.setenv("LESSONS_STATIC", "1")
    assert widgets.ask("quiz_lr_range") is None
    out = capsys.readouterr().out
    assert "learning rate" in out and "(b)" in out and "check('quiz_lr_range', \"<letter>\")" in out
    # no example letter that a learner could copy as the answer
    assert not any(f"check('quiz_lr_range', '{k}')" in out for k in "abcd")


def test_ask_rejects_unknown_or_non_choice_ids():
    with pytest.raises(ValueError, match="unknown exercise"):
        widgets.ask("quiz_no_such_question")
    with pytest.raises(ValueError, match="not a multiple-choice"):
        widgets.ask("throw_mean_miss")


def test_ask_builds_widgets_when_live(monkeypatch):
    pytest.importorskip("ipywidgets")
    monkeypatch.setenv("LESSONS_STATIC", "0")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj: shown.append(obj))
    widgets.ask("quiz_softmax_shift")
    (box,) = shown
    radio, button = box.children[1], box.children[2]
    assert [value for _, value in radio.options] == ["a", "b", "c", "d"]
    radio.value = "a"
    button.click()  # runs check() into the Output widget without raising


def test_module_docstring_lists_every_question_id():
    for qid in quiz.QUESTIONS:
        assert qid in quiz.__doc__
