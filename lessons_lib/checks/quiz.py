"""Conceptual questions (multiple choice, numbers, rankings, free text); ``QUESTIONS`` feeds ``widgets.ask``.

Exercise ids (solution notebook in brackets):

    purpose_of_loss          MC: the main job of a loss function (seed Exercise 1)       [01_intuition]
    throw_mean_miss          number: mean distance by which four throws miss             [01_intuition]
    throw_mean_squared_miss  number: mean squared miss of the same throws                 [01_intuition]
    rank_darts               ranking: four players by mean squared distance               [01_intuition]
    diverging_run            MC: which of four gradient-descent runs diverges             [06_loss_landscape]
    match_losses             dict task -> loss name for four tasks                         [08_choosing_a_loss]
    loss_changes_learning    MC: does changing the loss change learning? (seed Quiz Q2)  [08_choosing_a_loss]
    review_zero_loss         MC: what a training loss of zero means (lesson 09 self-test 4)  [09_quiz_and_review]
    review_outlier_fit       MC: same data, MSE vs MAE, one outlier (self-test 5)          [09_quiz_and_review]
    review_purpose           free text: the purpose of a loss (self-test 1)                [09_quiz_and_review]
    review_mse_big_errors    number: how much more MSE punishes a 10 than a 2 (self-test 2)[09_quiz_and_review]
    review_binary_loss       MC: the loss for binary classification (self-test 3)          [09_quiz_and_review]
    review_bce_half          number: BCE of the prediction 0.5                            [09_quiz_and_review]
    review_constant_fit      two numbers: constants minimising MSE and MAE                [09_quiz_and_review]
    review_softmax_grad      three numbers: gradient of softmax cross-entropy            [09_quiz_and_review]
    review_clamp             number: BCE of p = 0 for a positive in lessons_lib           [09_quiz_and_review]

"""
from dataclasses import dataclass, field

import numpy as np

from ..losses import get_loss
from .diagnosis import (
    Misconception,
    _call_if_function,
    accept_free_text,
    compare_choice,
    compare_ranking,
    compare_value,
)
from .engine import NotAttempted, failed, guarded_call, passed
from .registry import register

__all__ = ["Question", "QUESTIONS"]


@dataclass(frozen=True)
class Question:
    """A multiple-choice question: ``options`` maps letters to texts, ``answer`` is the right letter.

    ``wrong`` maps a wrong letter to (misconception name, why it is wrong); ``explanation`` is shown
    after any attempt.
    """

    id: str
    prompt: str
    options: dict
    answer: str
    explanation: str
    wrong: dict = field(default_factory=dict)


QUESTIONS: dict = {}
"""Every multiple-choice question registered here, by id (what ``ask`` can show)."""


def _multiple_choice(qid, title, prompt, options, answer, explanation, wrong=None, points=1, hints=()):
    """Register a multiple-choice question as an exercise and remember it for ``ask``."""
    options = {letter: text.rstrip(".") for letter, text in options.items()}  # the verdict adds the full stop
    question = Question(qid, prompt, options, answer, explanation, dict(wrong or {}))
    QUESTIONS[qid] = question
    misconceptions = {letter: Misconception(name, why) for letter, (name, why) in question.wrong.items()}

    def checker(submission):
        return compare_choice(submission, question.answer, question.options, wrong=misconceptions,
                              explanation=question.explanation)

    checker.__doc__ = f"Multiple choice: the answer to {qid!r} is ({answer})."
    checker.__name__ = f"check_{qid}"
    register(qid, title=title, points=points, hints=hints, misconceptions=misconceptions)(checker)
    return question


# --------------------------------------------------------------------------- lesson 01

_multiple_choice(
    "purpose_of_loss", "What a loss function is for",
    "Which job does a loss function mainly do when a neural network trains?",
    {"a": "To turn how wrong the predictions are into one number that training can make smaller.",
     "b": "To stop training as soon as the predictions are good enough.",
     "c": "To count the percentage of predictions that are exactly right.",
     "d": "To choose the network's architecture (how many layers and units)."},
    "a",
    "A loss scores the gap between predictions and targets as a single number; its gradient then tells "
    "every weight which way to move. Without it, the network would have no signal of what to fix.",
    wrong={"b": ("loss_as_stopping_rule", "Stopping rules (early stopping) may *watch* the loss, but that is "
                 "not what it is for: the loss is the quantity training minimises."),
           "c": ("loss_is_accuracy", "That is accuracy, a metric. Accuracy changes in jumps, so it gives no "
                 "gradient; the loss is a smooth measure of how far off the predictions are."),
           "d": ("loss_picks_architecture", "The architecture is chosen by people (or a search); the loss "
                 "measures how well a given network does.")},
    hints=["Think of the robot: what does it need after each throw to do better next time?"],
)

THROW_BASKET = 6.0
THROW_LANDINGS = np.array([5.0, 6.5, 7.0, 5.5])
"""Where four throws land (metres from the robot); the basket is at 6 m (as in lesson 01's picture)."""
_MISSES = THROW_LANDINGS - THROW_BASKET


THROW_MEAN_MISS_WRONG = [
    Misconception("errors_cancel", "Short and long throws cancelled out: average the *distances* "
                  "(absolute values), otherwise a robot that always misses could score 0.", np.mean(_MISSES)),
    Misconception("forgot_mean", "That is the total distance; divide by the number of throws (4).",
                  np.sum(np.abs(_MISSES))),
    Misconception("squared_instead", "That is the mean *squared* miss (the next exercise); here average "
                  "the plain distances.", np.mean(_MISSES ** 2)),
]


@register("throw_mean_miss", misconceptions=THROW_MEAN_MISS_WRONG, title="Mean distance of the misses", points=1,
          hints=[
    "First write down each miss: landing point minus 6 m. Some are negative (short), some positive (long).",
    "A distance is never negative: take the absolute value of each miss before averaging.",
])
def check_throw_mean_miss(submission):
    """The mean absolute miss of the four throws: 0.75 m."""
    return compare_value(submission, np.mean(np.abs(_MISSES)), THROW_MEAN_MISS_WRONG,
                         what="the mean miss (in metres)", explanation=(
        "The misses are -1, +0.5, +1 and -0.5 m; their distances average to 3 / 4 = 0.75 m. This is the "
        "mean absolute error (MAE) of lesson 03."))


THROW_MEAN_SQUARED_MISS_WRONG = [
    Misconception("squared_the_mean", "You squared the mean distance (0.75² = 0.5625); square each miss "
                  "first, then average.", np.mean(np.abs(_MISSES)) ** 2),
    Misconception("forgot_mean", "That is the sum of the squares; divide by the number of throws (4).",
                  np.sum(_MISSES ** 2)),
    Misconception("took_root", "You took the square root (RMSE); the question asks for the mean of the "
                  "squares itself.", np.sqrt(np.mean(_MISSES ** 2))),
]


@register("throw_mean_squared_miss", misconceptions=THROW_MEAN_SQUARED_MISS_WRONG, title="Mean squared miss",
          points=1, hints=[
    "Square each miss (-1, 0.5, 1, -0.5), then average the four squares.",
])
def check_throw_mean_squared_miss(submission):
    """The mean squared miss of the four throws: 0.625 m²."""
    return compare_value(submission, np.mean(_MISSES ** 2), THROW_MEAN_SQUARED_MISS_WRONG,
                         what="the mean squared miss (in m²)", explanation=(
        "(1 + 0.25 + 1 + 0.25) / 4 = 0.625 m². The two 1 m misses contribute 4 times as much as the 0.5 m ones: "
        "squaring makes big misses count more. This is the MSE of lesson 02."))


DART_DISTANCES = {
    "A": np.array([1.0, 1.0, 1.0, 1.0]),
    "B": np.array([0.0, 0.0, 0.0, 3.0]),
    "C": np.array([0.5, 0.5, 2.0, 2.0]),
    "D": np.array([0.2, 0.4, 0.6, 0.8]),
}
"""Distances (dm) of four darts from the bull's-eye, for four players (the ``rank_darts`` exercise)."""


def _order(score):
    return sorted(DART_DISTANCES, key=lambda k: score(DART_DISTANCES[k]))


RANK_DARTS_WRONG = [
    Misconception("ranked_by_mean_distance", "That is the order by mean *distance* (MAE). Squared "
                  "distances punish B's single 3 dm miss much harder (9 dm² for that dart alone).",
                  _order(lambda d: np.mean(d))),
    Misconception("reversed", "You listed the worst player first; start with the smallest loss.",
                  _order(lambda d: np.mean(d ** 2))[::-1]),
]


@register("rank_darts", misconceptions=RANK_DARTS_WRONG, title="Rank the players by their loss", points=1, hints=[
    "Compute each player's mean squared distance: square the four distances, then average.",
    "Smallest loss first. Watch player B: three perfect darts, but one far off.",
])
def check_rank_darts(submission):
    """Players ordered by mean squared distance, best first: D, A, C, B."""
    by_mse = _order(lambda d: np.mean(d ** 2))
    return compare_ranking(submission, by_mse, what="players", wrong=RANK_DARTS_WRONG,
                           explanation="Mean squared distances: D 0.30, A 1.00, C 2.125, B 2.25 dm². By mean distance B would "
                   "come second (0.75 dm): the choice of loss changes who counts as best.")


# --------------------------------------------------------------------------- lesson 06

_multiple_choice(
    "diverging_run", "Which run diverges?",
    "Four gradient-descent runs on the same bowl use lr = 0.02, 0.1, 0.18 and 0.25 (runs A, B, C, D). "
    "Which run diverges?",
    {"a": "A (lr = 0.02)", "b": "B (lr = 0.1)", "c": "C (lr = 0.18)", "d": "D (lr = 0.25)"},
    "d",
    "On this bowl the critical learning rate is 1 / mean(x**2) = 0.214. C zig-zags across the valley, but "
    "each swing is smaller than the last, so it converges; only D overshoots by more every step.",
    wrong={"c": ("zigzag_is_not_divergence", "C zig-zags, but each jump lands closer to the minimum: the loss "
                 "still falls, so it converges. Divergence means the loss grows."),
           "a": ("slow_is_not_divergence", "A is just slow: tiny steps, but always downhill.")},
    hints=["Look at the loss after each step: does it grow or shrink?"],
)


# --------------------------------------------------------------------------- lesson 08

MATCH_TASKS = {
    "house_prices_with_outliers": (
        {"huber", "mae"},
        "a price is a number, and a few mansions with extreme prices should not dominate the fit: Huber or MAE"),
    "spam_detection": (
        {"binary_cross_entropy", "binary_cross_entropy_with_logits"},
        "one yes/no answer per e-mail: binary cross-entropy (on a sigmoid probability or on the logit)"),
    "digit_recognition": (
        {"categorical_cross_entropy", "softmax_cross_entropy"},
        "one of ten classes per image: categorical cross-entropy on a softmax over 10 outputs"),
    "temperature_forecast": (
        {"mse"},
        "a number with small, bell-shaped measurement noise where large misses should cost extra: MSE"),
}
"""task -> (accepted canonical loss names, why) for ``match_losses``."""


def _wrong_loss_reason(task, kind, name):
    regression_task = task in ("house_prices_with_outliers", "temperature_forecast")
    if regression_task and kind != "regression":
        return "classification_loss_for_regression", (
            f"{task}: {name} is a classification loss, but this target is a number, not a class.")
    if not regression_task and kind == "regression":
        return "regression_loss_for_classification", (
            f"{task}: {name} is a regression loss. For classes, cross-entropy gives strong gradients when the "
            "model is confidently wrong; squared error on probabilities barely pushes there.")
    if task == "house_prices_with_outliers":
        return "mse_with_outliers", (f"{task}: squaring the errors lets a few extreme prices dominate the whole "
                                     "fit; a loss that grows only linearly for large errors is more robust.")
    if task == "digit_recognition":
        return "binary_loss_for_multiclass", (f"{task}: binary cross-entropy handles one yes/no output; ten "
                                              "mutually exclusive classes need categorical cross-entropy.")
    if task == "spam_detection":
        return "multiclass_loss_for_binary", (f"{task}: with one output unit (spam probability), use binary "
                                              "cross-entropy; categorical cross-entropy needs a column per class.")
    return "robust_loss_without_outliers", (f"{task}: without outliers there is nothing to be robust against, "
                                            "and the task asks for large misses to cost extra: that is MSE.")


_RIGHT_LOSSES = {"house_prices_with_outliers": "huber", "spam_detection": "binary_crossentropy",
                 "digit_recognition": "categorical_crossentropy", "temperature_forecast": "mse"}
MATCH_LOSSES_WRONG = [
Misconception("classification_loss_for_regression",
              "A classification loss was chosen for a task whose target is a number.",
              example={**_RIGHT_LOSSES, "house_prices_with_outliers": "binary_crossentropy"}),
Misconception("regression_loss_for_classification",
              "A regression loss was chosen for a task whose target is a class.",
              example={**_RIGHT_LOSSES, "spam_detection": "mse"}),
Misconception("mse_with_outliers", "MSE was chosen for data with extreme outliers, which then dominate the fit.",
              example={**_RIGHT_LOSSES, "house_prices_with_outliers": "mse"}),
Misconception("binary_loss_for_multiclass", "Binary cross-entropy was chosen for ten mutually exclusive classes.",
              example={**_RIGHT_LOSSES, "digit_recognition": "binary_crossentropy"}),
Misconception("multiclass_loss_for_binary", "Categorical cross-entropy was chosen for a single yes/no output.",
              example={**_RIGHT_LOSSES, "spam_detection": "categorical_crossentropy"}),
Misconception("robust_loss_without_outliers",
              "A robust loss was chosen where there are no outliers and big misses should cost extra.",
              example={**_RIGHT_LOSSES, "temperature_forecast": "mae"}),
]
"""What ``_wrong_loss_reason`` can name; each example is a full answer with one task wrong."""


@register("match_losses", title="Choose a loss for each task", points=2, misconceptions=MATCH_LOSSES_WRONG, hints=[
    "First decide for each task: is the target a number (regression), a yes/no (binary) or one of many classes?",
    "For regression, ask next: are there outliers that should not dominate?",
    "Names such as 'mse', 'mae', 'huber', 'binary_crossentropy', 'categorical_crossentropy' all work.",
])
def check_match_losses(submission):
    """A dict task -> loss name; each task's loss must fit (score = fraction of tasks right)."""
    if callable(submission):
        submission = guarded_call(submission, where="your answer function")
    if submission is None or submission is Ellipsis:
        raise NotAttempted()
    example = ", ".join(f"'{t}': '...'" for t in MATCH_TASKS)
    if not isinstance(submission, dict):
        return failed(f"answer with a dict that maps each task to a loss name: {{{example}}}.")
    missing = [t for t in MATCH_TASKS if t not in submission]
    if missing:
        return failed(f"your dict is missing the task(s) {', '.join(missing)}; fill in all four: {{{example}}}.")
    if any(submission[t] is Ellipsis or submission[t] is None for t in MATCH_TASKS):
        raise NotAttempted()
    problems, right = [], 0
    for task, (accepted, why) in MATCH_TASKS.items():
        try:
            loss = get_loss(submission[task])
        except (TypeError, ValueError) as err:
            return failed(f"{task}: {err}")
        if loss.name in accepted:
            right += 1
        else:
            problems.append(_wrong_loss_reason(task, loss.kind, loss.name))
    summary = " ".join(f"{task}: {why}." for task, (_, why) in MATCH_TASKS.items())
    if not problems:
        return passed(f"Correct, all four fit. {summary}")
    name, reason = problems[0]
    more = f" ({len(problems) - 1} more task(s) to fix after this one.)" if len(problems) > 1 else ""
    return failed(f"{right} of {len(MATCH_TASKS)} right. {reason}{more}", name, score=right / len(MATCH_TASKS))


_multiple_choice(
    "loss_changes_learning", "Does changing the loss change learning?",
    "You train the same network on the same data twice, once with MSE and once with MAE. Does the choice of "
    "loss change what it learns?",
    {"a": "No: any loss is minimised by the same weights, only the numbers printed differ.",
     "b": "Yes: the loss decides which mistakes cost most, so its gradient pushes the weights differently and "
          "can lead to a different best model.",
     "c": "Only the speed changes; the final model is always the same.",
     "d": "Only if you also change the optimizer."},
    "b",
    "The optimizer follows the loss's gradient, so the loss defines what 'better' means. For a constant "
    "prediction MSE is minimised by the mean and MAE by the median; with outliers these differ, and so do "
    "the trained models.",
    wrong={"a": ("all_losses_same_minimum", "Different losses generally have different minimisers: the best "
                 "constant for MSE is the mean, for MAE the median."),
           "c": ("only_speed_changes", "The speed does change, but so does the destination: the minimiser of "
                 "MSE and MAE differ as soon as the errors are not symmetric."),
           "d": ("optimizer_decides", "The optimizer only decides *how* to walk downhill; the loss decides "
                 "where downhill is.")},
    hints=["Which single number minimises the squared errors to [1, 2, 9]? And the absolute errors?"],
)


# --------------------------------------------------------------------------- lesson 09: review

_multiple_choice(
    "review_zero_loss", "What does a loss of zero mean?",
    "After training, the loss on the training data is exactly 0. What does that tell you?",
    {"a": "The model is perfect and will be right on new data too.",
     "b": "Every training prediction equals its target; that may be memorisation (overfitting), so check the "
          "loss on held-out data.",
     "c": "Training failed: the gradients vanished.",
     "d": "The learning rate was too large."},
    "b",
    "Zero loss means no mistakes *on the examples it was trained on*. A model flexible enough to memorise "
    "them, noise included, can reach 0 and still do badly on new data; only a validation or test loss tells. "
    "(With real, noisy data an exact 0 is itself suspicious: check for a target leaking into the inputs.)",
    wrong={"a": ("zero_loss_is_perfect", "Zero training loss says nothing about examples the model has never "
                 "seen: it may have memorised the training set."),
           "c": ("zero_loss_is_failure", "Vanishing gradients stall training at a *high* loss; a zero loss means "
                 "the predictions match the targets."),
           "d": ("zero_loss_means_big_lr", "A too-large learning rate makes the loss grow or oscillate, not "
                 "reach 0.")},
)

_multiple_choice(
    "review_outlier_fit", "Same data, different loss",
    "A line is fitted to 20 points, one of them an extreme outlier, once with MSE and once with MAE. What do "
    "you expect?",
    {"a": "Both lines are identical: the data decide the line, not the loss.",
     "b": "The MAE line is pulled much further towards the outlier.",
     "c": "The MSE line is pulled further towards the outlier, because its squared error dominates the loss.",
     "d": "Neither line can be fitted because of the outlier."},
    "c",
    "Changing the loss changes learning: the outlier's error enters MSE squared, so reducing it is worth "
    "a lot and the line tilts towards it; MAE counts it linearly, and the line stays with the bulk of the data.",
    wrong={"a": ("all_losses_same_minimum", "The loss defines which line is 'best': the two losses weigh the "
                 "outlier very differently, so their best lines differ."),
           "b": ("mae_less_robust", "It is the other way round: MAE grows only linearly with the error, so it is "
                 "the robust one.")},
)


@register("review_purpose", title="The purpose of a loss function, in your own words", points=1, hints=[
    "Two sentences: what does the loss compute, and what does training do with it?",
])
def check_review_purpose(submission):
    """Free text: any answer of a full sentence is accepted, then the model answer is shown."""
    return accept_free_text(submission, (
        "A loss function turns the gap between the network's predictions and the true targets into one number "
        "(smaller is better). Training minimises that number: backpropagation computes how the loss changes "
        "with every weight, and the optimizer moves each weight a little in the direction that lowers it. "
        "Which loss you pick decides which mistakes count most."))


REVIEW_MSE_BIG_ERRORS_WRONG = [
    Misconception("linear_ratio", "5 is the ratio of the errors themselves (what MAE would give); MSE squares "
                  "them first.", 5.0),
    Misconception("difference_not_ratio", "That is the difference of the squared errors; the question asks "
                  "how many *times* larger.", 96.0),
]


@register("review_mse_big_errors", misconceptions=REVIEW_MSE_BIG_ERRORS_WRONG,
          title="How much harder does MSE punish a big error?", points=1, hints=[
    "Square both errors, then divide.",
])
def check_review_mse_big_errors(submission):
    """The ratio of squared errors 10**2 / 2**2 = 25."""
    return compare_value(submission, 25.0, REVIEW_MSE_BIG_ERRORS_WRONG, what="the ratio", explanation=(
        "10² / 2² = 100 / 4 = 25: an error 5 times larger costs 25 times more. Its gradient 2 e is also 5 times "
        "larger, so training works hardest on the biggest mistakes."))


_multiple_choice(
    "review_binary_loss", "The loss for binary classification",
    "A model outputs the probability that a tumour is malignant (a yes/no label). Which loss fits best?",
    {"a": "Mean squared error", "b": "Mean absolute error", "c": "Binary cross-entropy",
     "d": "Categorical cross-entropy over 10 classes"},
    "c",
    "Binary cross-entropy -[y log p + (1 - y) log(1 - p)] is the negative log-likelihood of a yes/no label: "
    "it grows without bound as a confident prediction turns out wrong, which keeps the gradient strong exactly "
    "where the model needs correcting. (In practice compute it from the logit for numerical stability.)",
    wrong={"a": ("regression_loss_for_classification", "MSE on a probability caps the penalty at 1 and its "
                 "gradient through a sigmoid vanishes when the model is confidently wrong."),
           "b": ("regression_loss_for_classification", "MAE treats the label as a number to approach, and gives a "
                 "weak, constant push; it does not reward calibrated probabilities."),
           "d": ("multiclass_loss_for_binary", "There are two classes, not ten; one probability output with "
                 "binary cross-entropy is the natural fit.")},
)


REVIEW_BCE_HALF_WRONG = [
    Misconception("log10", "You used log base 10; cross-entropy uses the natural log (np.log).", np.log10(2.0)),
    Misconception("bits",
                  "That is log base 2 (bits). Deep-learning libraries use the natural log: log 2 ≈ 0.693.",
                  1.0),
    Misconception("forgot_minus", "The loss must be positive: BCE is *minus* the log-probability.",
                  -np.log(2.0)),
    Misconception("probability_not_loss", "0.5 is the prediction itself; the loss is -log(0.5).", 0.5),
]


@register("review_bce_half", misconceptions=REVIEW_BCE_HALF_WRONG, title="Cross-entropy of a coin flip", points=1,
          hints=[
    "Use the natural logarithm: BCE = -log(p) when the label is 1.",
])
def check_review_bce_half(submission):
    """-log(0.5) = log 2 = 0.6931."""
    return compare_value(submission, np.log(2.0), REVIEW_BCE_HALF_WRONG, what="the loss", explanation=(
        "-log(0.5) = log 2 ≈ 0.693, whatever the label. It is the loss of a model that knows nothing: a "
        "trained classifier whose BCE stays near 0.693 has learned nothing yet."))


REVIEW_DATA = np.array([1.0, 2.0, 3.0, 4.0, 15.0])
"""The data of ``review_constant_fit``: which constant c minimises MSE, and which MAE?"""


_RMEAN, _RMEDIAN = float(np.mean(REVIEW_DATA)), float(np.median(REVIEW_DATA))
REVIEW_CONSTANT_FIT_WRONG = [
    Misconception("swapped_mean_median", "You swapped them: MSE is minimised by the mean, MAE by the median.",
                  [_RMEDIAN, _RMEAN]),
    Misconception("both_mean", "The MAE minimiser is not the mean: moving c towards the outlier helps one "
                  "point but hurts four, so it stops at the median.", [_RMEAN, _RMEAN]),
]


@register("review_constant_fit", misconceptions=REVIEW_CONSTANT_FIT_WRONG, title="The best constant prediction",
          points=2, hints=[
    "Setting the derivative of mean((y - c)**2) to 0 gives one familiar statistic; for mean(|y - c|) the "
    "derivative counts points above minus points below c.",
    "MSE: the mean. MAE: the median.",
])
def check_review_constant_fit(submission):
    """(mean, median) = (5, 3) for the data [1, 2, 3, 4, 15]."""
    mean, median = float(np.mean(REVIEW_DATA)), float(np.median(REVIEW_DATA))
    return compare_value(submission, [mean, median], REVIEW_CONSTANT_FIT_WRONG, what="(c for MSE, c for MAE)",
                         explanation=(
        "MSE: c = mean = 5, dragged up by the 15. MAE: c = median = 3, which ignores how far the 15 is. This is "
        "why MAE is called robust to outliers."))


REVIEW_LOGITS = np.array([2.0, 1.0, 0.0])
REVIEW_CLASS = 0


_RP = np.exp(REVIEW_LOGITS - REVIEW_LOGITS.max()) / np.exp(REVIEW_LOGITS - REVIEW_LOGITS.max()).sum()
_RY = np.eye(3)[REVIEW_CLASS]
REVIEW_SOFTMAX_GRAD_WRONG = [
    Misconception("forgot_minus_y", "That is softmax(z) alone; subtract the one-hot target.", _RP),
    Misconception("wrong_sign", "Your signs are flipped: the gradient is p - y (the true class's logit "
                  "should go *up*, so its gradient is negative).", _RY - _RP),
    Misconception("probability_gradient", "That is the gradient with respect to the probabilities "
                  "(-y / p); the question asks for the logits.", -_RY / _RP),
]


@register("review_softmax_grad", misconceptions=REVIEW_SOFTMAX_GRAD_WRONG, title="Gradient of softmax cross-entropy",
          points=2, hints=[
    "For one sample the gradient with respect to the logits is softmax(z) - one_hot(y).",
    "softmax([2, 1, 0]) ≈ [0.665, 0.245, 0.090]; subtract 1 from the true class's entry.",
])
def check_review_softmax_grad(submission):
    """softmax(z) - one_hot(0) for z = [2, 1, 0]: about [-0.335, 0.245, 0.090]."""
    p = np.exp(REVIEW_LOGITS - REVIEW_LOGITS.max())
    p /= p.sum()
    y = np.eye(3)[REVIEW_CLASS]
    return compare_value(submission, p - y, REVIEW_SOFTMAX_GRAD_WRONG, rtol=2e-3, atol=1e-3,
                         what="the gradient (three numbers)", explanation=(
        "p - y: every wrong class is pushed down by its probability, the true class up by 1 - p. The gradient "
        "is bounded by 1 in size, which is why frameworks fuse softmax and cross-entropy."))


REVIEW_CLAMP_WRONG = [
    Misconception("clamp_sign", "The clamped log is -100, and the loss is minus that.", -100.0),
    Misconception("zero_loss", "A confident wrong answer gets the *largest* loss, not 0.", 0.0),
    Misconception("keras_clip", "That is -log(1e-7), the loss with probabilities clipped at 1e-7 (Keras' "
                  "choice). lessons_lib clamps the *log* at -100 instead, as PyTorch does.", -np.log(1e-7)),
]


@register("review_clamp", misconceptions=REVIEW_CLAMP_WRONG, title="A probability of exactly 0", points=1, hints=[
    "lessons_lib clamps every log at -100, as PyTorch does.",
])
def check_review_clamp(submission):
    """binary_cross_entropy([1], [0]) = 100 because log(0) is clamped at -100."""
    explanation = ("log(0) = -inf is clamped to -100, so the loss is 100: huge but finite, so one bad sample "
                   "cannot turn the mean loss and all gradients into inf/NaN.")
    submission = _call_if_function(submission)
    value = np.asarray(submission) if isinstance(submission, (int, float, np.number, np.ndarray)) else None
    if value is not None and value.size == 1 and value.dtype.kind in "fiu" and np.isinf(value).all():
        return failed("Mathematically -log(0) is infinite, but lessons_lib (like PyTorch) clamps the log at -100, "
                      f"so the loss is finite. {explanation}", "infinite_loss")
    return compare_value(submission, 100.0, REVIEW_CLAMP_WRONG, what="the loss", explanation=explanation)


# --------------------------------------------------------------------------- lesson 09: one question per lesson
# The self-test of lesson 09 asks these nine, one for each lesson 01-09; every wrong option is a mistake
# learners really make, and is named so the verdict can explain it.

__doc__ += """
Lesson 09's self-test, one question per lesson (four options each, every distractor a named mistake):

    quiz_compare_step       (lesson 01)  what the "compare" step of training produces
    quiz_mse_units          (lesson 02)  MSE and RMSE of four errors of +-10 points
    quiz_mae_constant       (lesson 03)  the constant that minimises MAE with an outlier
    quiz_logit_push         (lesson 04)  BCE vs squared error: the push on the logit of a confident mistake
    quiz_softmax_shift      (lesson 05)  softmax after adding 10 to every logit
    quiz_lr_range           (lesson 06)  which learning rates converge on a bowl of curvature 10
    quiz_train_on_loss      (lesson 07)  why training minimises a loss rather than maximising accuracy
    quiz_logits_loss        (lesson 08)  the loss for a last layer without a sigmoid
    quiz_zero_loss_next     (lesson 09)  what to check after a training loss of exactly 0
"""

_multiple_choice(
    "quiz_compare_step", "Self-test 01: the compare step",
    "In the training cycle predict -> compare -> backprop -> update, what does the compare step produce?",
    {"a": "A corrected prediction for every example, to be used in the next epoch.",
     "b": "One number for the whole batch, the loss, that says how wrong the predictions are.",
     "c": "The gradient of the loss with respect to every weight.",
     "d": "The share of predictions that are exactly right."},
    "b",
    "Compare turns predictions and targets into a single number, the loss. Backprop then differentiates that "
    "number to get one gradient per weight, and the update step moves the weights.",
    wrong={"a": ("compare_corrects_predictions", "The loss does not correct anything by itself: it only scores "
                 "the predictions. The weights change in the update step, and new predictions follow."),
           "c": ("loss_is_the_gradient", "The gradients come from the next step, backprop, which differentiates "
                 "the loss; compare only produces the number to differentiate."),
           "d": ("loss_is_accuracy", "That is accuracy, a metric. It changes in jumps and gives no gradient; "
                 "training needs a smooth score of how far off the predictions are.")},
    hints=["Backprop needs something to differentiate. What is it?"],
)

_multiple_choice(
    "quiz_mse_units", "Self-test 02: MSE and RMSE",
    "A model's predictions for four exam scores have the errors +10, -10, +10 and -10 points. What are its "
    "MSE and its RMSE?",
    {"a": "MSE 0 points², because the errors cancel; RMSE 0 points.",
     "b": "MSE 400 points², RMSE 20 points.",
     "c": "MSE 10 points, RMSE about 3.16 points.",
     "d": "MSE 100 points², RMSE 10 points."},
    "d",
    "Each squared error is 100, so their mean is 100 points²; its square root, 10 points, is back in the "
    "units of the scores. The signed errors would cancel to 0, which is exactly why MSE squares them.",
    wrong={"a": ("errors_cancel", "Averaging the signed errors lets +10 and -10 cancel; MSE squares each error "
                 "first, so every miss adds to the loss."),
           "b": ("forgot_mean", "400 is the *sum* of the squared errors; MSE divides by the number of "
                 "predictions (4)."),
           "c": ("forgot_square", "10 is the mean *absolute* error (MAE). MSE squares the errors before "
                 "averaging, so its unit is points².")},
    hints=["Square each error, then take the mean; the RMSE is the square root of that."],
)

_multiple_choice(
    "quiz_mae_constant", "Self-test 03: the best constant under MAE",
    "Five commutes took 21, 23, 24, 26 and 96 minutes. A model may only predict one constant c for every "
    "day. Which c gives the smallest mean absolute error?",
    {"a": "38 minutes, the mean of the five days.",
     "b": "23.5 minutes, the mean of the four ordinary days.",
     "c": "24 minutes, the median.",
     "d": "58.5 minutes, halfway between the shortest and the longest commute."},
    "c",
    "MAE's gradient gives every day the same pull, whatever its distance, so the best c has as many days "
    "above it as below it: the median, 24 minutes. The mean (38) is what MSE would pick, dragged up by the 96.",
    wrong={"a": ("mean_for_mae", "The mean minimises the *squared* errors (MSE). Under MAE moving c towards "
                 "the 96 helps one day but hurts four, so the best c stays at the median."),
           "b": ("dropped_outlier", "MAE does not delete the outlier: it still counts as one day above c. The "
                 "median of all five days is the answer."),
           "d": ("midrange", "Halfway between the extremes depends only on the two most extreme days; MAE "
                 "weighs every day and lands on the median.")},
    hints=["Move c up by one minute: how many days get closer, and how many further away?"],
)

_multiple_choice(
    "quiz_logit_push", "Self-test 04: the push on a confident mistake",
    "A spam e-mail (y = 1) gets the logit z = -6, so p = sigmoid(z) ≈ 0.0025. How do the gradients with "
    "respect to the logit z compare under binary cross-entropy and under squared error (p - y)²?",
    {"a": "Both are about -1: the sigmoid affects both losses in the same way.",
     "b": "BCE's is about -400 (that is -1/p); squared error's is about -2.",
     "c": "BCE's is about -1; squared error's is about -0.005, because it is multiplied by the sigmoid's "
          "slope p(1 - p).",
     "d": "Squared error's is larger, because its penalty grows faster than BCE's."},
    "c",
    "By the chain rule dL/dz = dL/dp * p(1 - p). For BCE, dL/dp = -1/p and the product is p - 1 ≈ -1; for "
    "squared error dL/dp = 2(p - 1) ≈ -2, and multiplying by p(1 - p) ≈ 0.0025 leaves about -0.005. Squared "
    "error barely pushes the very mistakes a classifier most needs to fix.",
    wrong={"a": ("ignored_sigmoid_slope", "Only BCE's -1/p cancels the sigmoid's small slope p(1 - p); squared "
                 "error is left multiplied by it."),
           "b": ("slope_wrt_probability", "Those are the slopes with respect to p. The network changes the logit "
                 "z; multiply by dp/dz = p(1 - p) to get what training feels."),
           "d": ("squared_grows_faster", "Squared error on a probability is at most 1 and its push on the logit "
                 "fades as the mistake gets more confident; BCE grows without bound.")},
    hints=["dL/dz = dL/dp * dp/dz, and dp/dz = p(1 - p) for the sigmoid."],
)

_multiple_choice(
    "quiz_softmax_shift", "Self-test 05: shifting every logit",
    "A classifier's logits for one photo are [2, 1, 0.1]. What happens to the softmax probabilities if 10 is "
    "added to every logit, giving [12, 11, 10.1]?",
    {"a": "They move towards uniform, because the logits are now closer in relative terms.",
     "b": "They become more peaked on the first class, as with a lower temperature.",
     "c": "They all grow by the same factor e^10.",
     "d": "Nothing: they stay exactly the same."},
    "d",
    "Adding the same number to every logit multiplies the top and the bottom of the softmax fraction by the "
    "same factor, which cancels: only differences between logits matter. That is also why subtracting the "
    "largest logit first (to avoid overflow) changes nothing.",
    wrong={"a": ("relative_logits", "Softmax compares differences, not ratios, of logits; the differences are "
                 "still 1 and 0.9."),
           "b": ("shift_is_temperature", "A temperature *divides* the logits and changes their differences; "
                 "adding a constant leaves the differences, and so the probabilities, unchanged."),
           "c": ("probabilities_scale", "Probabilities must still add up to 1, so they cannot all grow; the factor "
                 "e^10 appears in the numerator and the denominator and cancels.")},
    hints=["Write softmax(z + c) as a fraction and factor e^c out of the top and the bottom."],
)

_multiple_choice(
    "quiz_lr_range", "Self-test 06: learning rates that converge",
    "Gradient descent runs on a one-parameter MSE bowl whose curvature (second derivative) is C = 10. Which "
    "learning rates converge?",
    {"a": "Every learning rate below 0.2 (that is, 2 / C).",
     "b": "Only learning rates up to 0.1 (that is, 1 / C); anything above overshoots and diverges.",
     "c": "Any learning rate, as long as training runs for enough steps.",
     "d": "Only learning rates below 0.01, because steps must be much smaller than the curvature."},
    "a",
    "Each step multiplies the distance to the minimum by (1 - lr * C). That shrinks the distance while "
    "|1 - lr * C| < 1, i.e. for 0 < lr < 2 / C = 0.2. At 1 / C = 0.1 one step lands on the minimum; between "
    "0.1 and 0.2 the steps overshoot but still converge.",
    wrong={"b": ("optimal_not_critical", "1 / C is the rate that lands in one step. Between 1 / C and 2 / C each "
                 "step overshoots, but by less than it started, so the run still converges."),
           "c": ("more_epochs_fix_divergence", "Above 2 / C every step ends further from the minimum than it "
                 "started; more steps only make the loss larger."),
           "d": ("overly_small_lr", "Small rates converge too, just slowly; the limit is 2 / C = 0.2, not a "
                 "hundredth of C.")},
    hints=["One step multiplies the distance to the minimum by (1 - lr * C). When does that shrink it?"],
)

_multiple_choice(
    "quiz_train_on_loss", "Self-test 07: loss or accuracy?",
    "Why does a classifier's training loop minimise cross-entropy instead of maximising accuracy directly?",
    {"a": "Accuracy can only be measured on validation data, never on the training batch.",
     "b": "Cross-entropy and accuracy always rank models the same way, and the loss is cheaper to compute.",
     "c": "Accuracy only changes when a prediction crosses the decision threshold, so its gradient is zero "
          "almost everywhere and gives the weights no direction.",
     "d": "Accuracy would train well too; cross-entropy is used only by convention."},
    "c",
    "A small change of the weights almost never flips a prediction, so accuracy is flat (gradient 0) nearly "
    "everywhere and jumps elsewhere. Cross-entropy changes smoothly with every probability, so its gradient "
    "says which way to move each weight.",
    wrong={"a": ("accuracy_only_validation", "Accuracy can be computed on any batch; the problem is that it has "
                 "no useful gradient."),
           "b": ("loss_ranks_like_accuracy", "They can disagree: lesson 04's timid filter is right on all six "
                 "e-mails yet has a worse cross-entropy than a filter that gets four right."),
           "d": ("accuracy_trainable", "Gradient descent needs a slope; accuracy's is 0 almost everywhere, so "
                 "plain gradient descent on it would not move.")},
    hints=["What is the derivative of accuracy when you change one weight by a tiny amount?"],
)

_multiple_choice(
    "quiz_logits_loss", "Self-test 08: a last layer without a sigmoid",
    "Your network's last layer outputs one raw score per e-mail (no sigmoid) for a spam / not-spam label. "
    "Which loss is right?",
    {"a": "Mean squared error between the raw scores and the 0/1 labels.",
     "b": "Plain binary cross-entropy on the raw scores.",
     "c": "Apply a sigmoid to the scores first, then binary cross-entropy on logits.",
     "d": "Binary cross-entropy on logits (binary_cross_entropy_with_logits; Keras from_logits=True, PyTorch "
          "BCEWithLogitsLoss)."},
    "d",
    "A loss on logits applies the sigmoid inside, in a form that cannot overflow, and has the gradient "
    "sigmoid(z) - y. Plain BCE expects probabilities in [0, 1]; a sigmoid before a loss on logits squashes "
    "twice.",
    wrong={"a": ("regression_loss_for_classification", "Squared error treats the label as a number to approach "
                 "and gives weak pushes to confident mistakes; cross-entropy is the loss for yes/no labels."),
           "b": ("scores_as_probabilities", "Plain BCE takes probabilities in [0, 1]; raw scores can be "
                 "negative or above 1, and their logs are meaningless."),
           "c": ("double_sigmoid", "The loss on logits already applies the sigmoid; adding one before it "
                 "applies it twice, so every 'logit' lies in (0, 1) and the model can never be confident.")},
    hints=["Which loss applies the sigmoid for you, stably?"],
)

_multiple_choice(
    "quiz_zero_loss_next", "Self-test 09: a training loss of zero",
    "On a small, noisy data set your model's training loss reaches exactly 0.000. What should you check next?",
    {"a": "Nothing: the model has learned the task perfectly.",
     "b": "The loss on held-out validation data, and that no target leaked into the inputs.",
     "c": "Whether the gradients vanished, since a loss of 0 usually means training stalled.",
     "d": "Whether a larger learning rate lowers the loss further."},
    "b",
    "With noise in the targets, a loss of exactly 0 means the model reproduces the noise too: it memorised "
    "the training set (or read the answer from a leaked input). Only data it has not seen can tell whether it "
    "learned the pattern.",
    wrong={"a": ("zero_loss_is_perfect", "Zero training loss says nothing about new examples; on noisy data it "
                 "is a sign of memorising."),
           "c": ("zero_loss_is_failure", "Vanishing gradients stall training at a *high* loss; a loss of 0 means "
                 "the predictions equal the targets."),
           "d": ("loss_below_zero", "None of the course's losses can go below 0, and a larger learning rate "
                 "is no test of whether the model generalises.")},
    hints=["What happens to a model that reproduces the noise of its training data when it meets new data?"],
)
