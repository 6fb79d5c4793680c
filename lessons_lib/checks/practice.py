"""Checks for the lesson 12 exercises: focal loss, label smoothing, hinge, pinball, KL divergence, calibration.

The references are the library's own functions (``practical_losses`` and ``metrics``). Probes include
logits of +-1000 (a loss on logits must stay exact), probabilities of exactly 0 and 1, rows with zero
probabilities (0 log 0 = 0), predictions exactly on a bin edge, and non-square (n, K) tables.
"""
import numpy as np

from .. import metrics, practical_losses as pl
from . import probes as rp
from .classification import CLIPS
from .diagnosis import Contract, Misconception as M, Probe, compare_value, diagnose_function
from .regression import ROWS
from .registry import register

A = np.asarray


def _f(x):
    return A(x, dtype=float)


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


# --------------------------------------------------------------------------- focal loss

def _focal_ref(y_true, logits, gamma=2.0, alpha=0.25):
    return pl.focal_loss_with_logits(y_true, logits, gamma=gamma, alpha=alpha)


def _focal(factor=None, weight=None, reduce=np.mean):
    """A focal loss with its pieces swapped for wrong ones: factor(p_t, p), weight(y, alpha)."""
    factor = factor or (lambda pt, p: 1.0 - pt)
    weight = weight or (lambda y, alpha: np.where(y == 1, alpha, 1.0 - alpha))

    def wrong(y_true, logits, gamma=2.0, alpha=0.25):
        y, z = _f(y_true), _f(logits)
        t = np.where(y == 1, z, -z)
        log_pt = -np.logaddexp(0.0, -t)
        return reduce(-weight(y, alpha) * factor(np.exp(log_pt), _sigmoid(z)) ** gamma * log_pt)
    return wrong


def _focal_from_probabilities(sigmoid, clip=None, split=False):
    """The focal loss through probabilities p = sigmoid(z) (optionally clipped): finite logits only."""
    def wrong(y_true, logits, gamma=2.0, alpha=0.25):
        y, p = _f(y_true), sigmoid(_f(logits))
        if clip is not None:
            p = np.clip(p, clip, 1.0 - clip)
        pt = np.where(y == 1, p, 1.0 - p)
        a_t = np.where(y == 1, alpha, 1.0 - alpha)
        log_pt = y * np.log(p) + (1.0 - y) * np.log(1.0 - p) if split else np.log(pt)
        return np.mean(-a_t * (1.0 - pt) ** gamma * log_pt)
    return wrong


def _naive_sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


FOCAL_MISCONCEPTIONS = [
    M("missing_minus", "Your loss is negative: the minus sign in front of a_t (1 - p_t)**gamma log p_t is "
      "missing (log p_t is never positive).", lambda y, z, gamma=2.0, alpha=0.25: -_focal_ref(y, z, gamma, alpha)),
    M("forgot_mean", "You added the per-sample losses up; the loss of the batch is their mean.",
      _focal(reduce=np.sum)),
    M("focal_factor_upside_down", "Your modulating factor grows with the model's confidence (p**gamma or "
      "p_t**gamma), so easy samples count *more*. The focal factor is (1 - p_t)**gamma: close to 0 when the "
      "true label already gets a high probability.", _focal(factor=lambda pt, p: pt),
      variants=(_focal(factor=lambda pt, p: p),)),
    M("focal_factor_ignores_label", "Your factor is (1 - p)**gamma with p = sigmoid(z), the probability of "
      "class 1, for every sample. For a negative sample the probability of its true label is 1 - p, so its "
      "factor is p**gamma: use p_t, the probability given to the true label.",
      _focal(factor=lambda pt, p: 1.0 - p)),
    M("alpha_on_wrong_class", "Your class weights are the wrong way round: alpha weights the positives "
      "(y = 1) and 1 - alpha the negatives.", _focal(weight=lambda y, alpha: np.where(y == 1, 1.0 - alpha, alpha))),
    M("alpha_ignored", "Your loss does not use alpha: each sample is weighted by a_t = alpha if y = 1, "
      "else 1 - alpha.", _focal(weight=lambda y, alpha: 1.0)),
    M("alpha_on_every_sample", "You multiplied every sample by alpha; the negatives are weighted by "
      "1 - alpha.", _focal(weight=lambda y, alpha: alpha)),
    M("gamma_ignored", "Your loss is the class-weighted cross-entropy without the focal factor: multiply "
      "each sample's loss by (1 - p_t)**gamma.", lambda y, z, gamma=2.0, alpha=0.25: _focal_ref(y, z, 0.0, alpha)),
    M("forgot_sigmoid", "You treated the logits as probabilities. Logits can be any real number; "
      "p = sigmoid(z) is the probability of class 1 (or work with log p_t = -log(1 + exp(-t)) directly).",
      _focal_from_probabilities(lambda z: z),
      variants=tuple(_focal_from_probabilities(lambda z: z, clip=e) for e in (1e-15, 1e-12, 1e-7))),
    M("overflow", "Your loss is NaN or infinite for logits of +-1000: sigmoid(z) rounds to exactly 0 or 1 "
      "and log(0) is -inf. Take the log in a stable way: with t = z for y = 1 and t = -z for y = 0, "
      "log p_t = -log(1 + exp(-t)) = -np.logaddexp(0, -t).", _focal_from_probabilities(_naive_sigmoid),
      variants=(_focal_from_probabilities(_naive_sigmoid, split=True), _focal_from_probabilities(_sigmoid),
                _focal_from_probabilities(_sigmoid, split=True))),
    M("clipped_probabilities", "For a logit of -1000 on a positive sample the true loss is 1000 alpha, but you "
      "went through probabilities and clipped them, which caps each -log p_t (at about 16 for a clip at "
      "1e-7), so such a sample costs about 16 alpha instead of 1000 alpha. "
      "Compute log p_t from the logit: -np.logaddexp(0, -t).", _focal_from_probabilities(_sigmoid, clip=1e-7),
      variants=tuple(_focal_from_probabilities(s, clip=e, split=split)
                     for e in (1e-15, 1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5) for s in (_sigmoid, _naive_sigmoid)
                     for split in (False, True))),
]


def _focal_random(rng):
    out = []
    for i, (y, p) in enumerate(rp.binary_pairs(rng)):
        z = (rng.normal(0.0, 3.0, size=p.shape) * (1 + 30 * (rng.random(p.shape) < 0.15))).astype(p.dtype)
        inputs = {"y_true": y, "logits": z}
        if i % 3 == 1:
            out.append(rp.probe(inputs, omitted=("gamma", "alpha")))
            continue
        inputs["gamma"] = float(np.round(rng.uniform(0.5, 3.0), 2))
        if i % 3 == 2:
            out.append(rp.probe(inputs, omitted=("alpha",)))
            continue
        inputs["alpha"] = float(np.round(rng.uniform(0.1, 0.9), 2))
        out.append(rp.probe(inputs))
    return out


FOCAL_CONTRACT = Contract(defaults={"gamma": 2.0, "alpha": 0.25}, random=_focal_random, seed=1201)

FOCAL_PROBES = [  # logits first in (0, 1), where taking them for probabilities gives a finite, wrong loss
    {"y_true": A([1.0, 0.0, 1.0, 0.0, 1.0]), "logits": A([0.8, 0.3, 0.1, 0.6, 0.45]), "gamma": 2.0, "alpha": 0.25},
    {"y_true": A([1.0, 0.0, 1.0, 0.0]), "logits": A([2.0, -1.0, -0.5, 3.0]), "gamma": 2.0, "alpha": 0.25},
    Probe({"y_true": A([1.0, 1.0, 0.0, 0.0, 1.0]), "logits": A([0.3, -2.0, 1.2, -0.7, 4.0])},
          omitted=("gamma", "alpha")),
    {"y_true": A([1.0, 0.0, 1.0, 0.0]), "logits": A([1000.0, -1000.0, -1000.0, 1000.0]), "gamma": 2.0,
     "alpha": 0.25},
    {"y_true": A([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), "logits": A([[30.0, -40.0], [0.0, 0.5], [-3.0, 2.0]]),
     "gamma": 0.5, "alpha": 0.9},
]


@register("focal_loss", title="The focal loss on logits, with gamma and alpha", points=3,
          misconceptions=FOCAL_MISCONCEPTIONS, contract=FOCAL_CONTRACT, hints=[
    "p_t is the probability the model gives the *true* label: sigmoid(z) for y = 1, 1 - sigmoid(z) = "
    "sigmoid(-z) for y = 0. So with t = z for positives and t = -z for negatives, p_t = sigmoid(t).",
    "log sigmoid(t) = -log(1 + exp(-t)); np.logaddexp(0, -t) computes log(1 + exp(-t)) without overflow.",
    "Per sample: -a_t * (1 - p_t)**gamma * log p_t with a_t = alpha for positives and 1 - alpha for "
    "negatives (np.where). Then the mean over every element.",
])
def check_focal_loss(submission):
    """focal_loss(y_true, logits, gamma=2.0, alpha=0.25) agrees with focal_loss_with_logits, also at +-1000."""
    return diagnose_function(submission, _focal_ref, FOCAL_PROBES, FOCAL_MISCONCEPTIONS, what="the focal loss",
                             contract=FOCAL_CONTRACT)


# --------------------------------------------------------------------------- label smoothing

def _smoothing_ref(labels, logits, smoothing=0.1):
    return pl.label_smoothing_cross_entropy(labels, logits, smoothing=smoothing)


def _log_softmax(z, axis=1):
    z = _f(z)
    s = z - z.max(axis=axis, keepdims=True)
    return s - np.log(np.exp(s).sum(axis=axis, keepdims=True))


def _onehot(labels, z):
    n, k = z.shape
    out = np.zeros((n, k))
    out[np.arange(n), A(labels).astype(int)] = 1.0
    return out


def _smoothed(target=None, log_probs=_log_softmax, reduce="rows"):
    """Label-smoothing cross-entropy with its pieces swapped for wrong ones: target(onehot, labels, eps, k)."""
    target = target or (lambda o, lab, eps, k: (1.0 - eps) * o + eps / k)

    def wrong(labels, logits, smoothing=0.1):
        z = _f(logits)
        k = z.shape[1]
        per_entry = -target(_onehot(labels, z), _f(labels), smoothing, k) * log_probs(z)
        if reduce == "entries":
            return per_entry.mean()
        per_row = per_entry.sum(axis=1)
        return per_row.sum() if reduce == "sum" else per_row.mean()
    return wrong


def _naive_log_softmax(z):
    e = np.exp(_f(z))
    return np.log(e / e.sum(axis=1, keepdims=True))


def _clipped_log_softmax(eps):
    def log_probs(z):
        e = np.exp(_log_softmax(z))
        return np.log(np.clip(e, eps, 1.0))
    return log_probs


SMOOTHING_MISCONCEPTIONS = [
    M("missing_minus", "Your loss is negative: the minus sign in front of the sum of target * log-probability "
      "is missing.", lambda lab, z, smoothing=0.1: -_smoothing_ref(lab, z, smoothing)),
    M("forgot_mean", "You added the losses of all rows; take the mean over the n samples.", _smoothed(reduce="sum")),
    M("cce_mean_over_classes", "You averaged over every entry of the (n, K) table, which divides by n * K. "
      "Sum over the classes of each row first, then average over the rows.", _smoothed(reduce="entries")),
    M("smoothing_over_k_minus_1", "You gave the true class 1 - eps and spread eps over the K - 1 other classes. "
      "The convention of this course (and of PyTorch and Keras) mixes the one-hot row with the uniform "
      "distribution: (1 - eps) one_hot + eps / K, so the true class gets 1 - eps + eps / K and every other "
      "class eps / K.", _smoothed(lambda o, lab, eps, k: (1.0 - eps) * o + (1.0 - o) * eps / (k - 1))),
    M("smoothing_reversed", "Your weights are the wrong way round: (1 - eps) goes with the one-hot row and "
      "eps with the uniform part, target = (1 - eps) one_hot + eps / K.",
      _smoothed(lambda o, lab, eps, k: eps * o + (1.0 - eps) / k)),
    M("smoothing_not_spread", "You scaled the one-hot row by 1 - eps but did not spread the eps over the "
      "classes: add eps / K to every entry, so the target row still sums to 1.",
      _smoothed(lambda o, lab, eps, k: (1.0 - eps) * o)),
    M("smoothing_not_divided_by_k", "You added eps to every class instead of eps / K, so the target row sums "
      "to 1 + (K - 1) eps instead of 1.", _smoothed(lambda o, lab, eps, k: (1.0 - eps) * o + eps)),
    M("smoothing_ignored", "Your loss is the plain cross-entropy: the smoothing argument is not used. Train "
      "against (1 - eps) one_hot + eps / K instead of the one-hot row.", _smoothed(lambda o, lab, eps, k: o)),
    M("forgot_one_hot", "You used the class indices themselves in the target, e.g. (1 - eps) * labels[:, None] "
      "+ eps / K, instead of turning each index into a one-hot row first (np.eye(K)[labels]).",
      _smoothed(lambda o, lab, eps, k: (1.0 - eps) * lab[:, None] + eps / k)),
    M("softmax_wrong_axis", "Your log-softmax normalised the columns (axis=0); each row is a sample, so "
      "normalise over axis=1.", _smoothed(log_probs=lambda z: _log_softmax(z, axis=0))),
    M("softmax_overflow", "Your loss is NaN or infinite for logits of 1000: np.exp overflows (or a probability "
      "rounds to 0 and its log is -inf). Use the stable log-softmax z - m - log(sum(exp(z - m))), with m the "
      "row maximum.", _smoothed(log_probs=_naive_log_softmax),
      variants=(_smoothed(log_probs=lambda z: np.log(np.exp(_log_softmax(z)))),)),
    M("clipped_probabilities", "For logits of +-1000 the smoothed loss is large (every class carries eps / K "
      "of the target, and a class 2000 below the top has log-probability -2000), but you went through "
      "probabilities and clipped them, which caps it. Stay in log space with the stable log-softmax.",
      _smoothed(log_probs=_clipped_log_softmax(1e-7)),
      variants=tuple(_smoothed(log_probs=_clipped_log_softmax(e)) for e in (1e-15, 1e-12, 1e-10, 1e-8, 1e-6, 1e-5))),
]


def _smoothing_random(rng):
    out = []
    for i, (labels, z) in enumerate(rp.logit_tables(rng, sizes=((3, 3), (5, 4), (2, 6), (4, 2), (6, 5)))):
        inputs = {"labels": labels, "logits": z.astype(np.float32) if i == 1 else z}
        if i % 2:
            out.append(rp.probe(inputs, omitted=("smoothing",)))
        else:
            inputs["smoothing"] = float(np.round(rng.uniform(0.05, 0.4), 2))
            out.append(rp.probe(inputs))
    return out


SMOOTHING_CONTRACT = Contract(defaults={"smoothing": 0.1}, random=_smoothing_random, seed=1202)

SMOOTHING_PROBES = [
    {"labels": A([0, 2, 1]), "logits": A([[2.0, 1.0, 0.1], [0.5, -1.0, 2.5], [1.0, 1.0, 3.0]]), "smoothing": 0.2},
    Probe({"labels": A([1, 0]), "logits": A([[0.2, 1.5, -1.0, 0.3], [3.0, 0.0, -2.0, 0.5]])}, omitted=("smoothing",)),
    {"labels": A([0, 2]), "logits": A([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 0.0]]), "smoothing": 0.1},
]


@register("label_smoothing_loss", title="Cross-entropy against smoothed targets", points=2,
          misconceptions=SMOOTHING_MISCONCEPTIONS, contract=SMOOTHING_CONTRACT, hints=[
    "Build the target table first: one-hot rows from the labels (np.eye(K)[labels]), then mix them with "
    "the uniform distribution 1 / K using the weights 1 - eps and eps.",
    "Check one row of your target: the true class holds 1 - eps + eps / K, every other class eps / K, and the "
    "row sums to 1.",
    "Then the stable log-softmax of lesson 05 (subtract the row maximum, log-sum-exp over axis=1), the sum "
    "over classes of -target * log-probability, and the mean over rows.",
])
def check_label_smoothing_loss(submission):
    """label_smoothing_loss(labels, logits, smoothing=0.1) agrees with label_smoothing_cross_entropy."""
    return diagnose_function(submission, _smoothing_ref, SMOOTHING_PROBES, SMOOTHING_MISCONCEPTIONS,
                             what="the smoothed cross-entropy", contract=SMOOTHING_CONTRACT)


# --------------------------------------------------------------------------- hinge

def _hinge_ref(y_true, scores):
    return pl.hinge(y_true, scores)


def _margins(y, s):
    return _f(y) * _f(s)


HINGE_MISCONCEPTIONS = [
    M("labels_treated_as_0_1", "You converted the labels with 2 * y - 1 as if they were 0/1; they are already "
      "-1 and +1, so every -1 became -3. Use y_true as it is.",
      lambda y, s: np.mean(np.maximum(0.0, 1.0 - (2.0 * _f(y) - 1.0) * _f(s)))),
    M("hinge_missing_max", "Your loss goes negative for samples beyond the margin: max(0, 1 - y s) is never "
      "below 0. Use np.maximum(0, ...) per sample, before the mean.", lambda y, s: np.mean(1.0 - _margins(y, s)),
      variants=(lambda y, s: max(0.0, float(np.mean(1.0 - _margins(y, s)))),)),
    M("hinge_margin_zero", "You left out the margin: the loss is max(0, 1 - y s), not max(0, -y s). Without "
      "the 1, a sample that is barely on the right side costs nothing.",
      lambda y, s: np.mean(np.maximum(0.0, -_margins(y, s)))),
    M("hinge_wrong_sign", "Your loss is max(0, 1 + y s): it punishes the samples the model gets right. The "
      "margin y s must be *subtracted* from 1.", lambda y, s: np.mean(np.maximum(0.0, 1.0 + _margins(y, s)))),
    M("hinge_squared", "You squared the hinge: max(0, 1 - y s)**2 is a different loss (the squared hinge). "
      "Use the hinge itself.", lambda y, s: np.mean(np.maximum(0.0, 1.0 - _margins(y, s)) ** 2)),
    M("forgot_mean", "You added the per-sample losses up; take their mean.",
      lambda y, s: np.sum(np.maximum(0.0, 1.0 - _margins(y, s)))),
    M(*ROWS, lambda y, s: np.sum(np.maximum(0.0, 1.0 - _margins(y, s))) / len(y)),
]


def _hinge_random(rng):
    out = []
    for shape, dtype in rp.shapes():
        y = rng.choice([-1.0, 1.0], size=shape)
        s = rng.normal(0.0, 1.5, size=shape)
        out.append(rp.probe({"y_true": y.astype(dtype), "scores": s.astype(dtype)}))
    return out


HINGE_CONTRACT = Contract(random=_hinge_random, seed=1203)

HINGE_PROBES = [
    {"y_true": A([1.0, -1.0, 1.0, -1.0, 1.0]), "scores": A([2.0, -0.5, 0.3, 1.5, -1.2])},
    {"y_true": A([[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]]), "scores": A([[0.5, 0.2], [-2.0, 3.0], [1.0, -0.4]])},
]


@register("hinge", title="The hinge loss with labels -1 and +1", points=2, misconceptions=HINGE_MISCONCEPTIONS,
          contract=HINGE_CONTRACT, hints=[
    "The margin of a sample is y * s: positive when the score has the right sign, at least 1 when it is "
    "comfortably right.",
    "Per sample the loss is 1 - margin, but never below 0: np.maximum(0, ...) works element by element.",
    "Average over every element (np.mean), for 1-D and 2-D arrays alike.",
])
def check_hinge(submission):
    """hinge(y_true, scores) agrees with practical_losses.hinge (labels +-1, margin 1, mean)."""
    return diagnose_function(submission, _hinge_ref, HINGE_PROBES, HINGE_MISCONCEPTIONS, what="the hinge loss",
                             contract=HINGE_CONTRACT)


# --------------------------------------------------------------------------- pinball

def _pinball_ref(y_true, y_pred, quantile=0.5):
    return pl.pinball(y_true, y_pred, quantile=quantile)


def _e(y, p):
    """The error y_hat - y (the course's sign)."""
    return _f(p) - _f(y)


PINBALL_MISCONCEPTIONS = [
    M("pinball_sides_swapped", "Your loss charges under-predictions 1 - q per unit and over-predictions q: "
      "either q and 1 - q are swapped, or the sign of the error is reversed. With the error e = y_hat - y, "
      "the loss is (1 - q) e when e >= 0 (too high) and -q e when e < 0 (too low).",
      lambda y, p, quantile=0.5: _pinball_ref(y, p, 1.0 - quantile)),
    M("quantile_ignored", "Your loss is the same for every quantile: half the absolute error, the pinball "
      "loss for q = 0.5. Use the quantile argument as the weight of under-predictions.",
      lambda y, p, quantile=0.5: _pinball_ref(y, p, 0.5)),
    M("used_mae", "That is the mean absolute error: it weighs both sides equally with weight 1. The pinball "
      "loss weighs under-predictions by q and over-predictions by 1 - q.",
      lambda y, p, quantile=0.5: np.mean(np.abs(_e(y, p)))),
    M("pinball_same_weight_both_sides", "You weighted both kinds of error by q (q |e|); over-predictions "
      "cost 1 - q per unit.", lambda y, p, quantile=0.5: np.mean(quantile * np.abs(_e(y, p)))),
    M("pinball_missing_branch", "Your loss only has one of its two pieces: with e = y_hat - y it is "
      "(1 - q) e where e >= 0 and -q e where e < 0, i.e. max((1 - q) e, -q e).",
      lambda y, p, quantile=0.5: np.mean(-quantile * _e(y, p)),
      variants=(lambda y, p, quantile=0.5: np.mean(np.where(_e(y, p) < 0, -quantile * _e(y, p), 0.0)),
                lambda y, p, quantile=0.5: np.mean(np.where(_e(y, p) > 0, (1.0 - quantile) * _e(y, p), 0.0)))),
    M("pinball_negative_branch", "Over-predictions make your loss go down: for e > 0 (too high) the cost is "
      "(1 - q) e, which is positive; yours is negative there, so that branch has the error's sign flipped.",
      lambda y, p, quantile=0.5: np.mean(np.where(_e(y, p) <= 0, quantile, 1.0 - quantile) * -_e(y, p))),
    M("pinball_min_instead_of_max", "You took the smaller of (1 - q) e and -q e; the pinball loss is the "
      "larger one, max((1 - q) e, -q e), which is never negative.",
      lambda y, p, quantile=0.5: np.mean(np.minimum((1.0 - quantile) * _e(y, p), -quantile * _e(y, p)))),
    M("forgot_mean", "You added the per-item losses up; take their mean.",
      lambda y, p, quantile=0.5: pl.pinball(y, p, quantile=quantile, reduction="sum")),
    M(*ROWS, lambda y, p, quantile=0.5: pl.pinball(y, p, quantile=quantile, reduction="sum") / len(y)),
]


def _pinball_random(rng):
    out = []
    for i, (y, p) in enumerate(rp.regression_pairs(rng)):
        inputs = {"y_true": y, "y_pred": p}
        if i % 2:
            out.append(rp.probe(inputs, omitted=("quantile",)))
        else:
            inputs["quantile"] = float(np.round(rng.uniform(0.05, 0.95), 2))
            out.append(rp.probe(inputs))
    return out


PINBALL_CONTRACT = Contract(defaults={"quantile": 0.5}, random=_pinball_random, seed=1204)

PINBALL_PROBES = [
    {"y_true": A([10.0, 12.0, 9.0, 15.0, 11.0]), "y_pred": A([11.0, 10.0, 9.0, 12.0, 14.0]), "quantile": 0.9},
    Probe({"y_true": A([1.0, 2.0, 3.0, 4.0]), "y_pred": A([1.5, 0.0, 3.5, 7.0])}, omitted=("quantile",)),
    {"y_true": A([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]]), "y_pred": A([[0.5, 1.0], [4.0, 2.0], [1.0, 5.5]]),
     "quantile": 0.2},
]


@register("pinball", title="The pinball loss of a quantile", points=2, misconceptions=PINBALL_MISCONCEPTIONS,
          contract=PINBALL_CONTRACT, hints=[
    "Work with the error e = y_pred - y_true (the course's sign): positive when the prediction was too high.",
    "Too high (e > 0) costs 1 - q per unit, too low (e < 0) costs q per unit; np.maximum of two arrays "
    "picks the right one of (1 - q) * e and -q * e element by element.",
    "quantile defaults to 0.5 (write it into the signature); the loss is the mean over every element.",
])
def check_pinball(submission):
    """pinball(y_true, y_pred, quantile=0.5) agrees with practical_losses.pinball."""
    return diagnose_function(submission, _pinball_ref, PINBALL_PROBES, PINBALL_MISCONCEPTIONS,
                             what="the pinball loss", contract=PINBALL_CONTRACT)


# --------------------------------------------------------------------------- KL divergence

def _kl_ref(p_true, q_pred):
    return pl.kl_divergence(p_true, q_pred)


def _kl(log=np.log, reduce="rows", swap=False):
    """KL(p || q) with 0 log 0 = 0, in another log base or reduction, or with p and q swapped."""
    def wrong(p_true, q_pred):
        p, q = (_f(q_pred), _f(p_true)) if swap else (_f(p_true), _f(q_pred))
        with np.errstate(all="ignore"):
            per_entry = np.where(p > 0, p * (log(np.where(p > 0, p, 1.0)) - log(q)), 0.0)
        if reduce == "entries":
            return per_entry.mean()
        per_row = per_entry.sum(axis=1)
        return per_row.sum() if reduce == "sum" else per_row.mean()
    return wrong


def _kl_clipped(eps):
    def wrong(p_true, q_pred):
        p = np.clip(_f(p_true), eps, 1.0)
        q = np.clip(_f(q_pred), eps, 1.0)
        return np.mean(np.sum(p * np.log(p / q), axis=1))
    return wrong


KL_MISCONCEPTIONS = [
    M("kl_swapped_args", "You computed KL(q || p): the divergence is not symmetric. KL(p || q) weights "
      "log(p / q) by the *target* probabilities p.", _kl(swap=True),
      variants=(lambda p, q: np.mean(np.sum(_f(q) * np.log(_f(q) / _f(p)), axis=1)),)),
    M("zero_log_zero_nan", "Your result is NaN when p has a zero: 0 * log(0 / q) evaluates to 0 * (-inf) = NaN "
      "in floating point, but by convention (and as the limit) 0 log 0 = 0. Give those entries 0 explicitly, "
      "e.g. with np.where(p > 0, ..., 0.0).", lambda p, q: np.mean(np.sum(_f(p) * np.log(_f(p) / _f(q)), axis=1)),
      variants=(lambda p, q: np.mean(np.sum(_f(p) * (np.log(_f(p)) - np.log(_f(q))), axis=1)),)),
    M("log_base_2", "You used log base 2 (bits); the KL divergence here is in nats, with the natural log np.log.",
      _kl(log=np.log2)),
    M("log_base_10", "You used log base 10; use the natural log, np.log.", _kl(log=np.log10)),
    M("forgot_mean", "You added the divergences of all rows; take the mean over the rows.", _kl(reduce="sum")),
    M("kl_mean_over_classes", "You averaged over every entry of the (n, K) table, which divides by n * K. "
      "Sum over the K classes of each row (that is the divergence of one pair of distributions), then "
      "average over the rows.", _kl(reduce="entries")),
    M("kl_ratio_inverted", "Your divergence is negative: the ratio inside the log is p / q, not q / p "
      "(equivalently, a minus sign is missing in front of sum p log(q / p)).",
      lambda p, q: -_kl()(p, q)),
    M("returned_cross_entropy", "You returned the cross-entropy -sum p log q. KL subtracts the entropy of p "
      "from it: sum p log(p / q) = -sum p log q + sum p log p.",
      lambda p, q: np.mean(np.sum(-_f(p) * np.log(_f(q)), axis=1)),
      variants=(lambda p, q: np.mean(np.sum(np.where(_f(p) > 0, -_f(p) * np.log(np.where(_f(q) > 0, _f(q), 1.0)),
                                                     0.0), axis=1)),)),
    M("clip_too_large", "Clipping p is one way to avoid 0 log 0, but your epsilon is too large: it gives the "
      "impossible outcomes a visible share. Use np.where(p > 0, ..., 0.0), or clip only inside the log.",
      _kl_clipped(1e-2), variants=tuple(_kl_clipped(e) for e in CLIPS[:-1])),
]


def _kl_random(rng):
    out = []
    for i, (n, k) in enumerate(((1, 3), (4, 3), (3, 5), (6, 4), (2, 7), (5, 2))):
        p = rng.dirichlet(np.full(k, 0.9), size=n)
        if k > 2:  # a zero in some rows of p: 0 log 0 = 0
            rows = rng.random(n) < 0.5
            p[rows, rng.integers(0, k)] = 0.0
            p = p / p.sum(axis=1, keepdims=True)
        q = 0.9 * rng.dirichlet(np.full(k, 1.5), size=n) + 0.1 / k
        if i == 3:
            p, q = p.astype(np.float32), q.astype(np.float32)
            p, q = p / p.sum(axis=1, keepdims=True), q / q.sum(axis=1, keepdims=True)
        out.append(rp.probe({"p_true": p, "q_pred": q}))
    return out


KL_CONTRACT = Contract(random=_kl_random, seed=1205)

KL_PROBES = [
    {"p_true": A([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]]), "q_pred": A([[0.5, 0.3, 0.2], [0.3, 0.3, 0.4]])},
    {"p_true": A([[0.5, 0.5, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0]]),
     "q_pred": A([[0.4, 0.4, 0.2, 0.0], [0.1, 0.2, 0.6, 0.1]])},
    {"p_true": A([[0.25, 0.25, 0.5]]), "q_pred": A([[0.25, 0.25, 0.5]])},
]


@register("kl_divergence", title="KL divergence between rows of distributions", points=2,
          misconceptions=KL_MISCONCEPTIONS, contract=KL_CONTRACT, hints=[
    "Each row of p_true and of q_pred is one distribution over K outcomes; the divergence of one pair of "
    "rows is a sum over the K entries.",
    "An entry where p is 0 contributes 0 (0 log 0 = 0); floating point gives NaN for 0 * log(0) unless you "
    "pick those entries out with np.where(p > 0, ..., 0.0).",
    "Natural log, sum over axis=1, then the mean over the rows.",
])
def check_kl_divergence(submission):
    """kl_divergence(p_true, q_pred), (n, K) rows, agrees with practical_losses.kl_divergence (0 log 0 = 0)."""
    return diagnose_function(submission, _kl_ref, KL_PROBES, KL_MISCONCEPTIONS, what="the KL divergence",
                             contract=KL_CONTRACT)


# --------------------------------------------------------------------------- expected calibration error

def _ece_ref(y_true, p_pred, n_bins=10):
    return metrics.expected_calibration_error(y_true, p_pred, n_bins)


def _bins(index, n_bins, y, p, keep=None):
    """Per-bin counts, mean predicted probability and observed frequency (NaN in empty bins)."""
    if keep is not None:
        index, y, p = index[keep], y[keep], p[keep]
    counts = np.bincount(index, minlength=n_bins).astype(float)
    with np.errstate(all="ignore"):
        conf = np.bincount(index, weights=p, minlength=n_bins) / counts
        obs = np.bincount(index, weights=y, minlength=n_bins) / counts
    return counts, conf, obs


def _left_closed(p, n_bins):
    return np.minimum((p * n_bins).astype(np.intp), n_bins - 1)


def _ece(index=_left_closed, combine=None, keep=None, confidence=None):
    """ECE with one piece swapped: the bin index, how the gaps are combined, or which samples count."""
    def default(counts, gap, n, n_bins):
        return np.sum(np.where(counts > 0, counts * np.abs(gap), 0.0)) / n
    combine = combine or default

    def wrong(y_true, p_pred, n_bins=10):
        y, p = _f(y_true), _f(p_pred)
        idx = index(p, n_bins)
        mask = None if keep is None else keep(p, idx, n_bins)
        counts, conf, obs = _bins(idx, n_bins, y, p, mask)
        if confidence is not None:
            conf = confidence(n_bins)
        return combine(counts, obs - conf, y.size, n_bins)
    return wrong


def _ece_top_label(y_true, p_pred, n_bins=10):
    y, p = _f(y_true), _f(p_pred)
    conf = np.maximum(p, 1.0 - p)
    correct = ((p > 0.5) == (y == 1)).astype(float)
    counts, c, acc = _bins(_left_closed(conf, n_bins), n_bins, correct, conf)
    return np.sum(np.where(counts > 0, counts * np.abs(acc - c), 0.0)) / y.size


def _right_closed(p, n_bins):
    return np.clip(np.ceil(p * n_bins).astype(np.intp) - 1, 0, n_bins - 1)


def _right_closed_dropping_zero(p, n_bins):
    return np.ceil(p * n_bins).astype(np.intp) - 1


def _drop_negative(p, idx, n_bins):
    return idx >= 0


def _unweighted(counts, gap, n, n_bins):
    return np.mean(np.abs(gap[counts > 0]))


ECE_MISCONCEPTIONS = [
    M("ece_unweighted", "You averaged the bins' gaps with equal weights. The ECE weights each bin by its share "
      "of the samples (count / n), so a bin holding one sample counts little.", _ece(combine=_unweighted),
      variants=(_ece(combine=lambda c, g, n, b: np.sum(np.where(c > 0, np.abs(g), 0.0)) / b),
                _ece(combine=lambda c, g, n, b: np.sum(np.where(c > 0, np.abs(g), 0.0))))),
    M("ece_empty_bin_nan", "Your result is NaN: a bin with no predictions has no mean (0 / 0, or np.mean of an "
      "empty array). Skip empty bins; with the weights count / n they contribute nothing anyway.",
      _ece(combine=lambda c, g, n, b: np.sum(c * np.abs(g)) / n),
      variants=(_ece(combine=lambda c, g, n, b: np.mean(np.abs(g))),)),
    M("ece_signed_gap", "You summed the signed gaps observed - predicted, so over- and under-confident bins "
      "cancel. Take the absolute gap of each bin before the weighted sum.",
      _ece(combine=lambda c, g, n, b: np.sum(np.where(c > 0, c * g, 0.0)) / n),
      variants=(_ece(combine=lambda c, g, n, b: -np.sum(np.where(c > 0, c * g, 0.0)) / n),
                _ece(combine=lambda c, g, n, b: abs(np.sum(np.where(c > 0, c * g, 0.0))) / n))),
    M("ece_squared_gap", "You squared the gaps; the ECE uses their absolute values.",
      _ece(combine=lambda c, g, n, b: np.sum(np.where(c > 0, c * g ** 2, 0.0)) / n),
      variants=(_ece(combine=lambda c, g, n, b: np.sqrt(np.sum(np.where(c > 0, c * g ** 2, 0.0)) / n)),)),
    M("ece_weights_not_normalised", "You weighted each gap by the bin's count but did not divide by the number "
      "of samples n: the weights must be count / n, which sum to 1.",
      _ece(combine=lambda c, g, n, b: np.sum(np.where(c > 0, c * np.abs(g), 0.0)))),
    M("ece_one_left_out", "Predictions of exactly 1.0 fell out of your bins: the bins are edges[i] <= p < "
      "edges[i + 1], but the last one also includes 1.0.",
      _ece(index=lambda p, b: (p * b).astype(np.intp), keep=lambda p, i, b: i < b),
      variants=(_ece(index=lambda p, b: (p * b).astype(np.intp), keep=lambda p, i, b: i < b,
                     combine=lambda c, g, n, b: np.sum(np.where(c > 0, c * np.abs(g), 0.0)) / c.sum()),)),
    M("ece_right_closed_bins", "Your bins include their upper edge instead of their lower one (edges[i] < p <= "
      "edges[i + 1]): a prediction exactly on an edge, such as 0.5, lands one bin too low. Bin i holds "
      "edges[i] <= p < edges[i + 1]; only the last bin also includes 1.0.", _ece(index=_right_closed),
      variants=(_ece(index=_right_closed_dropping_zero, keep=_drop_negative),
                _ece(index=_right_closed_dropping_zero, keep=_drop_negative,
                     combine=lambda c, g, n, b: np.sum(np.where(c > 0, c * np.abs(g), 0.0)) / c.sum()))),
    M("ece_bin_midpoint", "You compared each bin's observed frequency with the middle of the bin; compare it "
      "with the *mean predicted probability* of the samples in that bin.",
      _ece(confidence=lambda b: (np.arange(b) + 0.5) / b)),
    M("ece_top_label", "You computed the multi-class ('top-label') version: confidence max(p, 1 - p) against "
      "the accuracy of the thresholded prediction. The exercise asks for the binary version: bin the predicted "
      "probability p of label 1 and compare it with the fraction of labels equal to 1.", _ece_top_label),
]


def _far_from_edges(rng, size, n_bins):
    """Probabilities at least 1e-4 / n_bins away from every bin edge (so every binning style agrees)."""
    p = rng.uniform(0.0, 1.0, size=size)
    while True:
        near = np.abs(p * n_bins - np.round(p * n_bins)) < 1e-4
        if not near.any():
            return p
        p[near] = rng.uniform(0.0, 1.0, size=int(near.sum()))


def _ece_random(rng):
    out = []
    for i, (n, n_bins, dtype) in enumerate(((5, 3, np.float64), (13, None, np.float64), (40, 5, np.float64),
                                             (100, None, np.float32), (60, 15, np.float64), (25, 4, np.float32),
                                             (200, 10, np.float64))):
        p = _far_from_edges(rng, n, n_bins or 10)
        if i >= 2:  # exact 0.0 and 1.0 on the outer edges
            p[:2] = 0.0, 1.0
        y = (rng.random(n) < np.clip(p + rng.normal(0.0, 0.15, n), 0.0, 1.0)).astype(float)
        inputs = {"y_true": y.astype(dtype), "p_pred": p.astype(dtype)}  # float32 rounding stays far from edges
        if n_bins is None:
            out.append(rp.probe(inputs, omitted=("n_bins",)))
        else:
            inputs["n_bins"] = n_bins
            out.append(rp.probe(inputs))
    return out


ECE_CONTRACT = Contract(defaults={"n_bins": 10}, random=_ece_random, seed=1206)

ECE_PROBES = [  # the first has no empty bin, so an answer that is NaN everywhere is not taken for the empty-bin slip
    {"y_true": A([0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0]),
     "p_pred": A([0.08, 0.21, 0.3, 0.45, 0.52, 0.61, 0.74, 0.86, 0.97, 0.35]), "n_bins": 3},
    {"y_true": A([0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0, 1.0]),
     "p_pred": A([0.04, 0.11, 0.17, 0.33, 0.63, 0.71, 0.78, 0.93]), "n_bins": 5},
    {"y_true": A([0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 1.0]),
     "p_pred": A([0.0, 0.25, 0.5, 0.75, 1.0, 1.0, 0.5, 0.1, 0.6]), "n_bins": 4},
    Probe({"y_true": A([0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0]),
           "p_pred": A([0.12, 0.83, 0.67, 0.33, 0.95, 0.58, 0.18, 0.41, 0.77, 0.62, 0.27, 0.36])},
          omitted=("n_bins",)),
]


@register("expected_calibration_error", title="Expected calibration error of binary predictions", points=2,
          misconceptions=ECE_MISCONCEPTIONS, contract=ECE_CONTRACT, hints=[
    "Bin index of each prediction: int(p * n_bins), except that p = 1.0 belongs to the last bin "
    "(np.minimum(..., n_bins - 1)).",
    "For every bin that holds at least one prediction: its count, the mean of its p_pred and the mean of its "
    "y_true (np.bincount with weights= does all bins at once; a loop over the bins is fine too).",
    "ECE = sum over non-empty bins of (count / n) * |mean of y_true - mean of p_pred|. Empty bins are "
    "skipped, never turned into NaN.",
])
def check_expected_calibration_error(submission):
    """expected_calibration_error(y_true, p_pred, n_bins=10) agrees with metrics.expected_calibration_error."""
    return diagnose_function(submission, _ece_ref, ECE_PROBES, ECE_MISCONCEPTIONS,
                             what="the expected calibration error", contract=ECE_CONTRACT)


# --------------------------------------------------------------------------- a quantile from costs

STOCK_QUANTILE_WRONG = [
    M("pinball_sides_swapped", "That level would protect against running out, not against waste: a high "
      "quantile over-forecasts on purpose. Here an unsold loaf costs more than a missed sale, so the forecast "
      "should sit *low*.", 0.75),
    M("cost_ratio_not_fraction", "That is the ratio of the two costs, not a quantile level. The level q makes "
      "the two prices proportional to the costs, q : (1 - q) = 1 : 3, so q = under-cost / (under-cost + "
      "over-cost).", 1.0 / 3.0),
    M("cost_ratio_not_fraction", "That is the ratio of the two costs, the wrong way up as well. The level is "
      "q = under-cost / (under-cost + over-cost).", 3.0),
    M("median_by_default", "The median (q = 0.5) treats both mistakes as equally expensive; here they are not.",
      0.5),
]


@register("stock_quantile", misconceptions=STOCK_QUANTILE_WRONG, title="Which quantile should the bakery forecast?",
          points=1, hints=[
    "The pinball loss charges q per unit of under-prediction and 1 - q per unit of over-prediction.",
    "Make those two prices proportional to the bakery's real costs: q : (1 - q) = 1 : 3.",
])
def check_stock_quantile(answer):
    """Unsold loaf 3, missed sale 1: the pinball level is q = 1 / (1 + 3) = 0.25."""
    return compare_value(answer, 0.25, STOCK_QUANTILE_WRONG, what="the quantile level q",
                         explanation="With q = 0.25 demand falls below the forecast on about a quarter of the days "
                                     "(bread left over) and above it on about three quarters: the bakery sells out "
                                     "on most days, because a missed sale costs a third of a binned loaf.")
