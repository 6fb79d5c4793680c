"""Checks for the classification exercises: binary and categorical cross-entropy, softmax (lessons 04-05).

Probes include probabilities of exactly 0 and 1 (clamping), logits of +-1000 (overflow), non-square
(n, k) inputs (wrong axis, wrong indexing) and the (n,) vs (n, 1) broadcasting trap.
"""
import numpy as np

from .. import losses
from ..activations import softmax as _softmax_ref
from . import probes as rp
from .diagnosis import (
    Contract,
    Misconception as M,
    Probe,
    compare_choice,
    compare_ranking,
    compare_value,
    diagnose_function,
)
from .registry import register
from .regression import BROADCAST_TRAP, ROWS

A = np.asarray


def _f(x):
    return A(x, dtype=float)


CLIPS = (1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.05, 0.1)
"""Clipping epsilons a learner may choose; the check accepts up to about 1e-6 (Keras: 1e-7, PyTorch: log >= -100)."""


def _stable_sigmoid(z):
    z = _f(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


# --------------------------------------------------------------------------- lesson 04: binary

def _bce(y, p, log=np.log, reduce=np.mean, clip=None):
    y, p = _f(y), _f(p)
    if clip is not None:
        p = np.clip(p, clip, 1 - clip)
    return reduce(-(y * log(p) + (1 - y) * log(1 - p)))


def _bce_floor(y, p):
    """What a learner gets with logs clamped at -100 (the reference's choice), as a plain function."""
    y, p = _f(y), _f(p)
    return -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log(1 - p), -100))


NO_CLAMP = ("no_clamp", "Your loss is NaN or infinite for a probability of exactly 0 or 1: log(0) is -inf "
            "(and 0 * log(0) is NaN). Clip the probabilities first, e.g. np.clip(y_pred, 1e-7, 1 - 1e-7), "
            "or clamp each log at -100 as PyTorch does.")
SWAPPED = ("swapped_args", "It looks like you swapped the labels and the probabilities: the log is taken of "
           "the *predicted* probability y_pred, weighted by the label y_true (targets come first).")

BCE_MISCONCEPTIONS = [
    M("missing_minus", "Your loss is negative: you forgot the minus sign in front. log(p) < 0 for p < 1, "
      "so cross-entropy needs the minus to be a positive penalty.", lambda y, p: -_bce(y, p)),
    M("log_base_10", "You used log base 10 (np.log10); cross-entropy uses the natural log, np.log.",
      lambda y, p: _bce(y, p, log=np.log10)),
    M("log_base_2", "You used log base 2 (np.log2); cross-entropy here uses the natural log, np.log.",
      lambda y, p: _bce(y, p, log=np.log2)),
    M("forgot_mean", "You added the per-example losses but forgot to divide by n.",
      lambda y, p: _bce(y, p, reduce=np.sum)),
    M("missing_negative_class_term", "You only kept the y * log(p) term, so examples with label 0 cost "
      "nothing. Add (1 - y) * log(1 - p) for them.", lambda y, p: np.mean(-_f(y) * np.log(_f(p)))),
    *[M(*SWAPPED, fn) for fn in (lambda y, p: _bce(p, y), lambda y, p: np.mean(_bce_floor(p, y)),
                                 lambda y, p: _bce(p, y, clip=1e-7), lambda y, p: _bce(p, y, clip=1e-15))],
    M(*ROWS, lambda y, p: np.sum(-(_f(y) * np.log(_f(p)) + (1 - _f(y)) * np.log(1 - _f(p)))) / len(y)),
    M("flipped_terms", "You paired the label with the wrong log: y * log(p) is the cost of the positive "
      "class and (1 - y) * log(1 - p) that of the negative class, not the other way round.",
      lambda y, p: _bce(1 - _f(y), p, clip=1e-7)),
    M("clip_too_large", "Clipping the probabilities is right, but your epsilon is too large: it visibly changes "
      "the loss of confident, correct predictions. Use a tiny one such as 1e-7.",
      lambda y, p: _bce(y, p, clip=1e-2),
      variants=tuple(f for e in CLIPS for f in (lambda y, p, e=e: _bce(y, p, clip=e),
                                               lambda y, p, e=e: np.mean(-(_f(y) * np.log(_f(p) + e)
                                                                           + (1 - _f(y)) * np.log(1 - _f(p) + e)))))),
    M(*NO_CLAMP, lambda y, p: _bce(y, p),
      variants=(lambda y, p: -np.mean(_f(y) * np.log(_f(p))) - np.mean((1 - _f(y)) * np.log(1 - _f(p))),
                lambda y, p: np.mean(np.where(_f(y) == 1, -np.log(_f(p)), -np.log(1 - _f(p)))))),
    M(*BROADCAST_TRAP, lambda y, p: _bce(y, p, clip=1e-7)),
    M(*BROADCAST_TRAP, lambda y, p: np.mean(_bce_floor(y, p))),
    M(*BROADCAST_TRAP, lambda y, p: _bce(y, p, clip=1e-15)),
]

_Y4, _P4 = A([1.0, 0.0, 1.0]), A([[0.8], [0.3], [0.6]])
BCE_PROBES = [
    {"y_true": A([1.0, 0.0, 1.0, 0.0]), "y_pred": A([0.9, 0.2, 0.6, 0.4])},
    {"y_true": A([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), "y_pred": A([[0.7, 0.1], [0.5, 0.99], [0.3, 0.8]])},
    # confidently right at exactly 0 and 1: the true loss there is 0, an unclamped formula gives NaN
    Probe({"y_true": A([1.0, 0.0, 1.0]), "y_pred": A([1.0, 0.0, 0.7])}, atol=1e-6),
    # confidently wrong: any finite clamp is fine (PyTorch gives 100, a clip at 1e-7 about 16)
    Probe({"y_true": A([1.0, 0.0]), "y_pred": A([0.0, 1.0])}, finite_only=True),
]


def _binary_random(rng):
    return [rp.probe({"y_true": y, "y_pred": p}) for y, p in rp.binary_pairs(rng)]


BCE_CONTRACT = Contract(raises=(
    ({"y_true": _Y4, "y_pred": _P4}, ValueError, "labels of shape (3,), probabilities of shape (3, 1)"),
    ({"y_true": A([1.0, 0.0, 1.0, 1.0]), "y_pred": A([0.6])}, ValueError,
     "labels of shape (4,), probabilities of shape (1,)"),
), random=_binary_random, seed=401)


@register("binary_cross_entropy", title="Implement binary cross-entropy", points=3,
          misconceptions=BCE_MISCONCEPTIONS, contract=BCE_CONTRACT, hints=[
    "Per example: -(y * log(p) + (1 - y) * log(1 - p)), then the mean. Use np.log (natural log).",
    "A prediction of exactly 0 or 1 makes log blow up: clip y_pred to [eps, 1 - eps] first (eps = 1e-7).",
    "Targets come first: binary_cross_entropy(y_true, y_pred). Raise ValueError if the shapes differ.",
])
def check_binary_cross_entropy(submission):
    """binary_cross_entropy(y_true, y_pred) agrees with losses.binary_cross_entropy, clamped at p = 0/1."""
    return diagnose_function(submission, losses.binary_cross_entropy, BCE_PROBES, BCE_MISCONCEPTIONS,
                             what="the binary cross-entropy", contract=BCE_CONTRACT)


def _sigmoid_naive(z):
    return 1.0 / (1.0 + np.exp(-_f(z)))


BCE_LOGITS_MISCONCEPTIONS = [
    M("missing_minus", "Your loss is negative: a minus sign is missing.",
      lambda y, z: -losses.binary_cross_entropy_with_logits(y, z)),
    M("forgot_mean", "You added the per-example losses but forgot to divide by n.",
      lambda y, z: losses.binary_cross_entropy_with_logits(y, z, reduction="sum")),
    M("forgot_sigmoid", "You treated the logits as probabilities. Logits can be any real number; "
      "p = sigmoid(z) turns them into probabilities (or use the formula written directly in z).",
      lambda y, z: _bce(y, z)),
    M("log_base_10", "You used log base 10; use the natural log (np.log, np.log1p).",
      lambda y, z: losses.binary_cross_entropy_with_logits(y, z) / np.log(10)),
    M("forgot_sigmoid", "You treated the logits as probabilities (and clipped them). Logits can be any real "
      "number; p = sigmoid(z) turns them into probabilities (or use the formula written directly in z).",
      lambda y, z: _bce(y, z, clip=1e-7)),
    M("stable_form_without_abs", "In the stable form the last term is log(1 + exp(-|z|)), with the absolute "
      "value: without it, negative logits get the wrong loss (and exp(-z) overflows for z = -1000).",
      lambda y, z: np.mean(np.maximum(_f(z), 0) - _f(z) * _f(y) + np.log1p(np.exp(-_f(z))))),
    M("stable_form_sign", "The term z * y must be *subtracted*: loss = max(z, 0) - z * y + log(1 + exp(-|z|)).",
      lambda y, z: np.mean(np.maximum(_f(z), 0) + _f(z) * _f(y) + np.log1p(np.exp(-np.abs(_f(z)))))),
    M(*SWAPPED, lambda y, z: np.mean(np.maximum(_f(y), 0) - _f(y) * _f(z) + np.log1p(np.exp(-np.abs(_f(y)))))),
    M("overflow", "Your loss overflows for large logits (z = +-1000): np.exp(1000) is inf. Use the stable "
      "form max(z, 0) - z * y + log(1 + exp(-|z|)), where exp only sees numbers <= 0.",
      lambda y, z: _bce(y, _sigmoid_naive(z)),
      variants=(lambda y, z: np.mean(np.log1p(np.exp(_f(z))) - _f(z) * _f(y)),
                lambda y, z: np.mean(np.log(1 + np.exp(_f(z))) - _f(z) * _f(y)),
                lambda y, z: np.mean(_f(z) - _f(z) * _f(y) + np.log(1 + np.exp(-_f(z)))),
                lambda y, z: np.mean(np.maximum(_f(z), 0) - _f(z) * _f(y) + np.log(1 + np.exp(-_f(z)))))),
    M("clipped_probabilities", "For a logit of -1000 on a positive example the true loss is 1000, but you "
      "went through probabilities and clipped them, which caps the loss (about 16 for a clip at 1e-7). "
      "Work with z directly: max(z, 0) - z * y + log(1 + exp(-|z|)).",
      lambda y, z: _bce(y, _stable_sigmoid(z), clip=1e-7),
      variants=tuple(lambda y, z, e=e: _bce(y, f(z), clip=e) for e in (1e-15, 1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5)
                     for f in (_stable_sigmoid, _sigmoid_naive))),
]


def _logit_random(rng):
    out = []
    for y, p in rp.binary_pairs(rng):
        z = (rng.normal(0.0, 4.0, size=p.shape) * (1 + 20 * (rng.random(p.shape) < 0.2))).astype(p.dtype)
        out.append(rp.probe({"y_true": y, "logits": z}))
    return out


BCE_LOGITS_CONTRACT = Contract(random=_logit_random, seed=402)


@register("bce_with_logits", title="Stable binary cross-entropy on logits", points=2,
          misconceptions=BCE_LOGITS_MISCONCEPTIONS, contract=BCE_LOGITS_CONTRACT, hints=[
    "Mathematically it is bce(y, sigmoid(z)), but computing sigmoid first overflows or rounds to 0 and 1.",
    "Per example: max(z, 0) - z * y + log(1 + exp(-|z|)); np.log1p(x) computes log(1 + x) accurately.",
    "Try z = 1000 and z = -1000 with both labels: every loss must be finite, and -1000 with y = 1 costs 1000.",
])
def check_bce_with_logits(submission):
    """bce_with_logits(y_true, logits) agrees with the reference and stays exact at z = +-1000."""
    probes = [
        {"y_true": A([1.0, 0.0, 1.0, 0.0]), "logits": A([2.0, -1.0, -0.5, 3.0])},
        {"y_true": A([1.0, 0.0, 1.0, 0.0]), "logits": A([1000.0, -1000.0, -1000.0, 1000.0])},
        {"y_true": A([1.0, 0.0, 1.0]), "logits": A([30.0, -40.0, 0.0])},
    ]
    return diagnose_function(submission, losses.binary_cross_entropy_with_logits, probes,
                             BCE_LOGITS_MISCONCEPTIONS, what="the loss", contract=BCE_LOGITS_CONTRACT)


BCE_BY_HAND = (-np.log(0.8) - np.log(0.7)) / 2
BCE_BY_HAND_WRONG = [
    M("log_base_10", "That is the answer with log base 10; cross-entropy uses the natural log.",
      (-np.log10(0.8) - np.log10(0.7)) / 2),
    M("log_base_2", "That is the answer with log base 2; here we use the natural log.",
      (-np.log2(0.8) - np.log2(0.7)) / 2),
    M("missing_minus", "The sign is wrong: the minus in front makes the loss positive.", -BCE_BY_HAND),
    M("forgot_mean", "That is the sum of the two losses; take their mean.", 2 * BCE_BY_HAND),
    M("ignored_label", "For the normal e-mail (y = 0) the loss is -ln(1 - p) = -ln(0.7), not -ln(0.3).",
      (-np.log(0.8) - np.log(0.3)) / 2),
]


@register("bce_by_hand", misconceptions=BCE_BY_HAND_WRONG, title="Binary cross-entropy of two e-mails, by hand",
          points=1, hints=[
    "Spam e-mail (y = 1) with p = 0.8 costs -ln(0.8); the normal one (y = 0) with p = 0.3 costs -ln(1 - 0.3).",
    "Average the two costs. Use the natural log (np.log).",
])
def check_bce_by_hand(answer):
    """Mean of -ln(0.8) and -ln(0.7) = 0.2899."""
    want = BCE_BY_HAND
    return compare_value(answer, want, BCE_BY_HAND_WRONG,
                         explanation="The spam filter was fairly right on both e-mails, so both losses are small.")


WHICH_LOSS_BINARY_WRONG = {
    "a": M("mse_for_classification", "MSE works on numbers, not probabilities: its penalty for a "
           "confidently wrong p is at most 1, and with a sigmoid its gradient vanishes exactly when the "
           "model is most wrong.", None),
    "b": M("mae_for_classification", "MAE on 0/1 labels caps the penalty at 1 and gives the same "
           "gradient whether the model is slightly or badly wrong.", None),
    "d": M("huber_for_classification", "Huber is a regression loss for robustness to outliers; it does "
           "not treat the output as a probability.", None),
}


@register("which_loss_binary", misconceptions=WHICH_LOSS_BINARY_WRONG, title="Which loss for binary classification?",
          points=1, hints=[
    "The model outputs one probability: 'how likely is this spam?'. Which loss is built for probabilities of yes/no?",
])
def check_which_loss_binary(answer):
    """Binary cross-entropy on a sigmoid output (option "c")."""
    return compare_choice(answer, "c", {
        "a": "Mean squared error on the 0/1 labels",
        "b": "Mean absolute error on the 0/1 labels",
        "c": "Binary cross-entropy on a sigmoid output",
        "d": "Huber loss",
    }, wrong=WHICH_LOSS_BINARY_WRONG, explanation="Binary cross-entropy is the negative log-likelihood of a yes/no outcome: it grows without "
                   "bound as a confident prediction turns out wrong, and with a sigmoid its gradient is "
                   "simply p - y.")


# --------------------------------------------------------------------------- lesson 05: softmax and CCE

def _e(z):
    return np.exp(_f(z))


SOFTMAX_MISCONCEPTIONS = [
    M("softmax_wrong_axis", "Your columns sum to 1 instead of your rows: you normalised over axis=0. Each "
      "row is one sample, so sum over axis=1 (or axis=-1) with keepdims=True.",
      lambda z: _e(z) / _e(z).sum(axis=0, keepdims=True)),
    M("softmax_no_keepdims", "You divided by row sums of shape (n,) without keepdims=True, so NumPy "
      "divided column j by the sum of row j. Use .sum(axis=1, keepdims=True).",
      lambda z: _e(z) / _e(z).sum(axis=1)),
    M("softmax_global_sum", "You divided by the sum over the whole matrix; each row must be normalised on "
      "its own: .sum(axis=1, keepdims=True).", lambda z: _e(z) / _e(z).sum()),
    M("used_sigmoid", "You applied a sigmoid to each score; softmax couples the scores of a row so that "
      "they sum to 1.", lambda z: _sigmoid_naive(z)),
    M("softmax_global_max_shift", "You subtracted the maximum of the whole matrix; a row whose scores are "
      "all far below it underflows to 0 / 0 = NaN. Subtract each row's own maximum "
      "(z.max(axis=1, keepdims=True)).", lambda z: (lambda e: e / e.sum(axis=1,
                                                                        keepdims=True))(np.exp(_f(z) - _f(z).max()))),
    M("softmax_overflow", "Your softmax overflows for large logits: np.exp(1000) is inf, and inf / inf is "
      "NaN. Subtract each row's maximum first (not the minimum: exp must only see numbers <= 0); the result is "
      "mathematically the same.", lambda z: _e(z) / _e(z).sum(axis=1, keepdims=True),
      variants=(lambda z: (lambda e: e / e.sum(axis=1, keepdims=True))(np.exp(_f(z) - _f(z).min(axis=1,
                                                                                                keepdims=True))),
                lambda z: (lambda e: e / e.sum(axis=-1, keepdims=True))(np.exp(_f(z) - _f(z).mean(axis=1,
                                                                                                  keepdims=True))))),
]


def _softmax_random(rng):
    out = []
    for i, (labels, z) in enumerate(rp.logit_tables(rng)):
        out.append(rp.probe({"z": z.astype(np.float32) if i == 1 else z}))
    return out


SOFTMAX_CONTRACT = Contract(random=_softmax_random, seed=501)


@register("softmax", title="Implement a stable softmax", points=2, misconceptions=SOFTMAX_MISCONCEPTIONS,
          contract=SOFTMAX_CONTRACT, hints=[
    "z has shape (n, k): one row of k scores per sample. Exponentiate, then divide each row by its own sum.",
    "Use .sum(axis=1, keepdims=True) so the (n, 1) sums broadcast across each row.",
    "Subtract z.max(axis=1, keepdims=True) before np.exp: softmax is unchanged, and exp never overflows.",
])
def check_softmax(submission):
    """softmax(z) for z of shape (n, k) agrees with activations.softmax row-wise, also for logits of 1000."""
    probes = [
        {"z": A([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [0.0, -1.0, 5.0]])},
        {"z": A([[0.5, 1.5, -1.0, 2.0], [3.0, 0.0, 0.0, -2.0]])},
        {"z": A([[1000.0, 999.0, 998.0], [-1000.0, -1000.0, -999.0], [-1000.0, 0.0, 1000.0]])},
    ]
    return diagnose_function(submission, _softmax_ref, probes, SOFTMAX_MISCONCEPTIONS,
                             what="the softmax", contract=SOFTMAX_CONTRACT)


def _cce(y, p, reduce=lambda per: per.mean(), axis=1, log=np.log):
    return reduce(-(_f(y) * log(_f(p))).sum(axis=axis))


CCE_COMMON = [
    M("missing_minus", "Your loss is negative: the minus sign in front of the sum is missing.",
      lambda y, p: -_cce(y, p)),
    M("log_base_10", "You used log base 10; cross-entropy uses the natural log, np.log.",
      lambda y, p: _cce(y, p, log=np.log10)),
    M("forgot_mean", "You added the losses of all samples; take the mean over samples (rows).",
      lambda y, p: _cce(y, p, reduce=np.sum)),
    M("cce_wrong_axis", "You divided by the number of classes k instead of the number of samples n (e.g. "
      "summed over axis=0, the samples, then averaged over the classes). Each row is a sample: sum over the "
      "classes (axis=1), then average over the rows.", lambda y, p: _cce(y, p, axis=0)),
    M("cce_mean_over_classes", "You averaged over every entry of the (n, k) table, which divides by n * k. "
      "Sum over the classes (axis=1) first, then average over the n samples.",
      lambda y, p: np.mean(-_f(y) * np.log(_f(p)))),
    M("used_binary_formula", "That is the binary cross-entropy formula applied to every class. With "
      "softmax outputs, categorical cross-entropy keeps only -sum_k y_k log p_k.",
      lambda y, p: np.mean(-(_f(y) * np.log(_f(p)) + (1 - _f(y)) * np.log(1 - _f(p))).sum(axis=1))),
    *[M(*SWAPPED, lambda y, p, e=e: _cce(p, np.clip(_f(y), e, 1.0))) for e in (1e-7, 1e-12, 1e-15, 0.0)],
]

CCE_PROBES = [
    {"y_true": A([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]), "y_pred": A([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])},
    # a zero probability on a class that is not the target: 0 * log(0) must not become NaN
    Probe({"y_true": A([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), "y_pred": A([[0.5, 0.5, 0.0], [0.2, 0.8, 0.0]])},
          atol=1e-6),
    # a zero probability on the target: any finite clamp is accepted
    Probe({"y_true": A([[0.0, 1.0, 0.0]]), "y_pred": A([[0.5, 0.0, 0.5]])}, finite_only=True),
]


CCE_MISCONCEPTIONS = [
    *CCE_COMMON,
    M("ignored_labels", "Your loss does not depend on the targets: it uses the most probable class of each row "
      "instead of the true one. Weight each log-probability by y_true (one-hot), so only the true class counts.",
      lambda y, p: np.mean(-np.log(np.clip(_f(p).max(axis=1), 1e-7, 1.0)))),
    M("clip_too_large", "Clipping is right, but your epsilon is too large: it changes the loss of a true class "
      "predicted with a small probability. Use 1e-7.", lambda y, p: _cce(y, np.clip(_f(p), 1e-2, 1.0)),
      variants=tuple(lambda y, p, e=e: _cce(y, np.clip(_f(p), e, 1.0 - e)) for e in CLIPS[1:])
      + tuple(lambda y, p, e=e: _cce(y, np.clip(_f(p), e, 1.0)) for e in CLIPS[1:])
      + tuple(lambda y, p, e=e: _cce(y, _f(p) + e) for e in CLIPS[1:])),
    M(*NO_CLAMP, lambda y, p: _cce(y, p), variants=(lambda y, p: np.mean(-np.sum(_f(y) * np.log(_f(p)), axis=-1)),)),
]


def _onehot(labels, k):
    return np.eye(k)[labels]


def _cce_random(rng):
    out = []
    for i, (labels, p) in enumerate(rp.class_tables(rng)):
        y = _onehot(labels, p.shape[1])
        if i == 3:
            y, p = y.astype(np.float32), p.astype(np.float32)
        out.append(rp.probe({"y_true": y, "y_pred": p}))
    return out


CCE_CONTRACT = Contract(random=_cce_random, seed=502)


@register("categorical_cross_entropy", title="Categorical cross-entropy with one-hot targets", points=2,
          misconceptions=CCE_MISCONCEPTIONS, contract=CCE_CONTRACT, hints=[
    "y_true and y_pred both have shape (n, k). Per sample: -sum over the k classes of y_true * log(y_pred).",
    "Sum over axis=1 (the classes), then np.mean over the n samples.",
    "Clip y_pred to [1e-7, 1] first so that 0 * log(0) does not produce NaN.",
])
def check_categorical_cross_entropy(submission):
    """categorical_cross_entropy(y_true one-hot (n, k), y_pred (n, k)) agrees with the reference."""
    return diagnose_function(submission, losses.categorical_cross_entropy, CCE_PROBES, CCE_MISCONCEPTIONS,
                             what="the categorical cross-entropy", contract=CCE_CONTRACT)


def _pick(labels, p):
    labels, p = A(labels).astype(int), _f(p)
    return p[np.arange(len(labels)), labels]


SPARSE_MISCONCEPTIONS = [
    M("fancy_index_grid", "You indexed with y_pred[:, labels], which picks every label's column for every "
      "row (an n x n table) instead of one entry per row. Use y_pred[np.arange(n), labels].",
      lambda y, p: np.mean(-np.log(_f(p)[:, A(y).astype(int)]))),
    M("missing_minus", "Your loss is negative: the minus sign is missing.", lambda y, p: np.mean(np.log(_pick(y,
                                                                                                              p)))),
    M("log_base_10", "You used log base 10; use the natural log, np.log.", lambda y, p: np.mean(-np.log10(_pick(y,
                                                                                                                p)))),
    M("forgot_mean", "You added the losses of all samples; take the mean.", lambda y, p: np.sum(-np.log(_pick(y,
                                                                                                              p)))),
    M("cce_mean_over_classes", "You divided by n * k; each sample contributes one number, so divide by n.",
      lambda y, p: np.sum(-np.log(_pick(y, p))) / _f(p).size),
    M("ignored_labels", "Your loss does not depend on the labels: it uses the most probable class of each row "
      "instead of the true one. Pick y_pred[np.arange(n), labels].",
      lambda y, p: np.mean(-np.log(np.clip(_f(p).max(axis=1), 1e-7, 1.0)))),
    M("clip_too_large", "Clipping is right, but your epsilon is too large: it changes the loss of a true class "
      "predicted with a small probability. Use 1e-7.", lambda y, p: np.mean(-np.log(np.clip(_pick(y, p), 1e-2, 1.0))),
      variants=tuple(lambda y, p, e=e: np.mean(-np.log(np.clip(_pick(y, p), e, 1.0))) for e in CLIPS[1:])
      + tuple(lambda y, p, e=e: np.mean(-np.log(_pick(y, p) + e)) for e in CLIPS[1:])),
    M(*NO_CLAMP, lambda y, p: np.mean(-np.log(_pick(y, p)))),
]


def _sparse_random(rng):
    out = []
    for i, (labels, p) in enumerate(rp.class_tables(rng)):
        if i == 3:
            p = p.astype(np.float32)
        out.append(rp.probe({"labels": labels, "y_pred": p}))
    return out


SPARSE_CONTRACT = Contract(random=_sparse_random, seed=503)


@register("sparse_categorical_cross_entropy", title="Categorical cross-entropy with class indices", points=2,
          misconceptions=SPARSE_MISCONCEPTIONS, contract=SPARSE_CONTRACT, hints=[
    "labels has shape (n,) with the index of the true class of each row; y_pred has shape (n, k).",
    "The probability of the true class of every row at once: y_pred[np.arange(n), labels].",
    "Then -np.log of those n numbers (clip them at 1e-7 first) and the mean.",
])
def check_sparse_categorical_cross_entropy(submission):
    """sparse_categorical_cross_entropy(labels (n,), y_pred (n, k)) agrees with the reference."""
    probes = [
        {"labels": A([2, 0]), "y_pred": A([[0.1, 0.2, 0.7], [0.6, 0.3, 0.1]])},
        {"labels": A([0, 1, 1]), "y_pred": A([[0.5, 0.25, 0.25], [0.1, 0.8, 0.1], [0.3, 0.3, 0.4]])},
        Probe({"labels": A([1]), "y_pred": A([[0.5, 0.0, 0.5]])}, finite_only=True),
    ]
    return diagnose_function(submission, lambda labels, y_pred: losses.categorical_cross_entropy(labels, y_pred),
                             probes, SPARSE_MISCONCEPTIONS, what="the categorical cross-entropy",
                             contract=SPARSE_CONTRACT)


def _log_softmax_naive(z, axis=1):
    e = _e(z)
    return np.log(e / e.sum(axis=axis, keepdims=True))


SOFTMAX_CE_MISCONCEPTIONS = [
    M("missing_minus", "Your loss is negative: the minus sign is missing.",
      lambda y, z: -losses.softmax_cross_entropy(A(y).astype(int), z)),
    M("forgot_mean", "You added the losses of all samples; take the mean.",
      lambda y, z: losses.softmax_cross_entropy(A(y).astype(int), z, reduction="sum")),
    M("softmax_wrong_axis", "Your softmax normalised the columns (axis=0); each row is a sample, so "
      "normalise over axis=1.", lambda y, z: np.mean(-_pick(y, _log_softmax_naive(z, axis=0)))),
    M("forgot_softmax", "You took -log of the raw logits; turn them into probabilities first, or better "
      "use log_softmax(z) = z - max - log(sum(exp(z - max))).", lambda y, z: np.mean(-np.log(_pick(y, z)))),
    M("fancy_index_grid", "You indexed with [:, labels], which picks every label's column for every row. "
      "Use [np.arange(n), labels].", lambda y, z: np.mean(-_log_softmax_naive(z)[:, A(y).astype(int)])),
    M("logsumexp_forgot_max", "In log-softmax = z - m - log(sum(exp(z - m))) you left out the '- m' in front: "
      "the maximum you subtracted inside the exp must be taken off outside too.",
      lambda y, z: np.mean(-_pick(y, _f(z) - np.log(np.exp(_f(z) - _f(z).max(axis=1, keepdims=True))
                                                   .sum(axis=1, keepdims=True))))),
    M("log_of_underflowed_probability", "Your loss is inf for logits of 1000: the softmax probability of a "
      "true class rounded to exactly 0, and log(0) = -inf. Never leave log space: use log_softmax(z) = "
      "z - m - log(sum(exp(z - m))) with m the row maximum.",
      lambda y, z: np.mean(-np.log(_pick(y, _softmax_ref(_f(z)))))),
    M("softmax_overflow", "Your loss is NaN or inf for logits of 1000: np.exp overflows. Compute the log-"
      "softmax directly: z - m - log(sum(exp(z - m))) with m the row maximum.",
      lambda y, z: np.mean(-_pick(y, _log_softmax_naive(z))),
      variants=(lambda y, z: np.mean(np.log(_e(z).sum(axis=1)) - _pick(y, z)),
                lambda y, z: np.mean(-np.log(_pick(y, _e(z) / _e(z).sum(axis=1, keepdims=True)))))),
    M("clipped_probabilities", "For logits of 1000 the true loss can be 1000, but you computed probabilities "
      "and clipped them, which caps the loss. Use the log-sum-exp form, which never leaves log space.",
      lambda y, z: np.mean(-np.log(np.clip(_pick(y, _softmax_ref(_f(z))), 1e-7, 1.0))),
      variants=tuple(lambda y, z, e=e: np.mean(-np.log(np.clip(_pick(y, _softmax_ref(_f(z))), e, 1.0)))
                     for e in (1e-15, 1e-12, 1e-10, 1e-8, 1e-6, 1e-5))
      + tuple(lambda y, z, e=e: np.mean(-np.log(_pick(y, _softmax_ref(_f(z))) + e))
              for e in (1e-15, 1e-12, 1e-10, 1e-8, 1e-7, 1e-6))),
    M("ignored_labels", "Your loss does not depend on the labels: it uses the largest logit of each row instead "
      "of the true class. Pick the log-softmax at [np.arange(n), labels].",
      lambda y, z: np.mean(-np.max(_f(z) - _f(z).max(axis=1, keepdims=True)
                                   - np.log(np.exp(_f(z) - _f(z).max(axis=1, keepdims=True)).sum(axis=1,
                                                                                                 keepdims=True)),
                                   axis=1))),
]


def _sce_random(rng):
    out = []
    for i, (labels, z) in enumerate(rp.logit_tables(rng)):
        out.append(rp.probe({"labels": labels, "logits": z.astype(np.float32) if i == 1 else z}))
    return out


SCE_CONTRACT = Contract(random=_sce_random, seed=504)


@register("softmax_cross_entropy", title="Cross-entropy straight from logits", points=2,
          misconceptions=SOFTMAX_CE_MISCONCEPTIONS, contract=SCE_CONTRACT, hints=[
    "log(softmax(z)) = z - logsumexp(z), where logsumexp(z) = m + log(sum(exp(z - m))) and m is the row max.",
    "Keep the row axis: use axis=1 with keepdims=True, then pick the true class with [np.arange(n), labels].",
    "Return the mean of -log_softmax at the true classes. Logits of +-1000 must give finite, exact losses.",
])
def check_softmax_cross_entropy(submission):
    """softmax_cross_entropy(labels (n,), logits (n, k)) agrees with the reference, also at +-1000."""
    probes = [
        {"labels": A([0, 1, 2]), "logits": A([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [1.0, 1.0, 3.0]])},
        {"labels": A([2, 0]), "logits": A([[0.2, -1.0, 1.5], [3.0, 0.0, -2.0]])},
        {"labels": A([0, 2]), "logits": A([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]])},
    ]
    return diagnose_function(submission, lambda labels, logits: losses.softmax_cross_entropy(labels, logits),
                             probes, SOFTMAX_CE_MISCONCEPTIONS, what="the loss", contract=SCE_CONTRACT)


RANKING_PREDICTIONS = {
    "A": (0.4, 0.55, 0.05),
    "B": (0.9, 0.05, 0.05),
    "C": (0.3, 0.7, 0.0),
    "D": (0.6, 0.3, 0.1),
}
"""Four predicted distributions over (cat, dog, fox) for an image of a cat (class 0); lesson 05."""


RANK_BY_LOSS_WRONG = [
    M("reversed_ranking", "That is the order from the *highest* loss to the lowest. Small loss first.",
      ["C", "A", "D", "B"]),
    M("ranked_by_confidence", "You ranked by how confident each prediction is (its largest probability). "
      "Cross-entropy only looks at the probability of the true class, cat.", ["B", "C", "D", "A"]),
]


@register("rank_by_loss", misconceptions=RANK_BY_LOSS_WRONG, title="Rank predictions by their cross-entropy",
          points=1, hints=[
    "Only the probability given to the true class (cat) matters: loss = -ln(p_cat).",
    "-ln is decreasing: the bigger p_cat, the smaller the loss. Order from the smallest loss to the largest.",
])
def check_rank_by_loss(answer):
    """Lowest to highest loss: B (p_cat = 0.9), D (0.6), A (0.4), C (0.3)."""
    return compare_ranking(answer, ["B", "D", "A", "C"], wrong=RANK_BY_LOSS_WRONG, what="predictions",
                           explanation="Losses: B 0.105, D 0.511, A 0.916, C 1.204. A confident prediction "
                                       "for the wrong class (C) is punished most.")
