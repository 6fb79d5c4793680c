"""Learner answers for lesson 12: focal loss, label smoothing, hinge, pinball, KL divergence, ECE, the quantile."""
import math

import numpy as np

from .base import bad, in_a_list, mutating, ok, rounded, stateful


def _arr(*xs, dtype=float):
    return [np.asarray(x, dtype=dtype) for x in xs]


# --------------------------------------------------------------------------- focal_loss

@ok("focal_loss")
def focal_logaddexp(y_true, logits, gamma=2.0, alpha=0.25):
    y, z = _arr(y_true, logits)
    t = np.where(y == 1, z, -z)
    log_pt = -np.logaddexp(0, -t)
    a_t = np.where(y == 1, alpha, 1 - alpha)
    return float(np.mean(-a_t * (1 - np.exp(log_pt)) ** gamma * log_pt))


@ok("focal_loss")
def focal_from_stable_bce(y_true, logits, gamma=2.0, alpha=0.25):
    # lesson 04's stable BCE is -log p_t; p_t = exp(-bce)
    y, z = _arr(y_true, logits)
    bce = np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))
    p_t = np.exp(-bce)
    a_t = alpha * y + (1 - alpha) * (1 - y)
    return np.mean(a_t * (1 - p_t) ** gamma * bce)


@ok("focal_loss")
def focal_loop(y_true, logits, gamma=2.0, alpha=0.25):
    y, z = _arr(y_true, logits)
    total = 0.0
    for label, logit in zip(y.ravel(), z.ravel()):
        t = logit if label == 1 else -logit
        log_pt = -(max(-t, 0.0) + math.log1p(math.exp(-abs(t))))
        weight = alpha if label == 1 else 1 - alpha
        total += -weight * (1 - math.exp(log_pt)) ** gamma * log_pt
    return total / y.size


@ok("focal_loss")
def focal_float32(y_true, logits, gamma=2.0, alpha=0.25):
    y, z = _arr(y_true, logits, dtype=np.float32)
    sign = 2 * y - 1
    log_pt = -np.logaddexp(np.float32(0), -sign * z)
    one_minus = 1 / (1 + np.exp(sign * z))          # sigmoid(-t): 1 - p_t without cancellation
    a_t = np.where(y > 0.5, np.float32(alpha), np.float32(1 - alpha))
    return np.float32(np.mean(-a_t * one_minus ** gamma * log_pt))


@ok("focal_loss")
def focal_sigmoid_for_factor_only(y_true, logits, gamma=2.0, alpha=0.25):
    # the factor through a plain sigmoid (exp may overflow to inf, 1 / inf = 0 is harmless), the log stable
    y, z = _arr(y_true, logits)
    with np.errstate(over="ignore"):
        p = 1 / (1 + np.exp(-z))
    p_t = y * p + (1 - y) * (1 - p)
    log_pt = -np.logaddexp(0, np.where(y == 1, -z, z))
    return np.mean(-np.where(y == 1, alpha, 1 - alpha) * (1 - p_t) ** gamma * log_pt)


def _focal_naive(y, z, gamma, alpha, eps=None):
    p = 1 / (1 + np.exp(-z))
    if eps is not None:
        p = np.clip(p, eps, 1 - eps)
    p_t = np.where(y == 1, p, 1 - p)
    return -np.where(y == 1, alpha, 1 - alpha) * (1 - p_t) ** gamma * np.log(p_t)


def _fl(y_true, logits, gamma, alpha, *, factor=None, weight=None):
    y, z = _arr(y_true, logits)
    t = np.where(y == 1, z, -z)
    log_pt = -np.logaddexp(0, -t)
    p_t = np.exp(log_pt)
    f = (1 - p_t) if factor is None else factor(p_t, 1 / (1 + np.exp(-np.clip(z, -500, 500))))
    w = np.where(y == 1, alpha, 1 - alpha) if weight is None else weight(y, alpha)
    return -w * f ** gamma * log_pt


bad("focal_loss", "missing_minus", label="no minus",
    answer=lambda y, z, gamma=2.0, alpha=0.25: float(np.mean(-_fl(y, z, gamma, alpha))))
bad("focal_loss", "forgot_mean", label="sum",
    answer=lambda y, z, gamma=2.0, alpha=0.25: float(np.sum(_fl(y, z, gamma, alpha))))
bad("focal_loss", "focal_factor_upside_down", label="p_t ** gamma",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(_fl(y, z, gamma, alpha, factor=lambda pt, p: pt)))
bad("focal_loss", "focal_factor_upside_down", label="p ** gamma",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(_fl(y, z, gamma, alpha, factor=lambda pt, p: p)))
bad("focal_loss", "focal_factor_ignores_label", label="(1 - sigmoid) ** gamma for all",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(_fl(y, z, gamma, alpha, factor=lambda pt, p: 1 - p)))
bad("focal_loss", "alpha_on_wrong_class", label="alpha on negatives",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(_fl(y, z, gamma, 1 - alpha)))
bad("focal_loss", "alpha_ignored", label="no alpha",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(_fl(y, z, gamma, alpha, weight=lambda y, a: 1.0)))
bad("focal_loss", "alpha_on_every_sample", label="alpha times everything",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(_fl(y, z, gamma, alpha, weight=lambda y, a: a)))
bad("focal_loss", "gamma_ignored", label="weighted bce only",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(_fl(y, z, 0.0, alpha)))
bad("focal_loss", "overflow", label="naive sigmoid and log",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(_focal_naive(*_arr(y, z), gamma, alpha)))
bad("focal_loss", "clipped_probabilities", label="clip 1e-7",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(_focal_naive(*_arr(y, z), gamma, alpha, 1e-7)))
bad("focal_loss", "clipped_probabilities", label="clip 1e-12",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(_focal_naive(*_arr(y, z), gamma, alpha, 1e-12)))
bad("focal_loss", "forgot_sigmoid", label="logits as probabilities, clipped",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(
        -np.where(_arr(y)[0] == 1, alpha, 1 - alpha)
        * (1 - np.where(_arr(y)[0] == 1, np.clip(z, 1e-7, 1 - 1e-7), 1 - np.clip(z, 1e-7, 1 - 1e-7))) ** gamma
        * np.log(np.where(_arr(y)[0] == 1, np.clip(z, 1e-7, 1 - 1e-7), 1 - np.clip(z, 1e-7, 1 - 1e-7)))))
bad("focal_loss", "wrong_default", label="gamma default 1",
    answer=lambda y, z, gamma=1.0, alpha=0.25: np.mean(_fl(y, z, gamma, alpha)))
bad("focal_loss", "wrong_default", label="alpha default None (no weight)",
    answer=lambda y, z, gamma=2.0, alpha=None: np.mean(_fl(y, z, gamma, alpha, weight=(lambda y, a: 1.0)
                                                           if alpha is None else None)))
bad("focal_loss", "wrong_return_type", answer=in_a_list(focal_logaddexp))
bad("focal_loss", "changed_input", answer=mutating(focal_logaddexp, 1))
bad("focal_loss", "state_between_calls", answer=stateful(focal_logaddexp))
bad("focal_loss", answer=rounded(focal_logaddexp, 3))
bad("focal_loss", label="gamma as a plain multiplier",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(gamma * _fl(y, z, 0.0, alpha)))
bad("focal_loss", label="factor not raised to gamma",
    answer=lambda y, z, gamma=2.0, alpha=0.25: np.mean(_fl(y, z, 1.0, alpha)))


# --------------------------------------------------------------------------- label_smoothing_loss

def _log_softmax(z):
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


@ok("label_smoothing_loss")
def smoothing_eye(labels, logits, smoothing=0.1):
    z = np.asarray(logits, dtype=float)
    k = z.shape[1]
    target = (1 - smoothing) * np.eye(k)[np.asarray(labels)] + smoothing / k
    return float(-(target * _log_softmax(z)).sum(axis=1).mean())


@ok("label_smoothing_loss")
def smoothing_two_terms(labels, logits, smoothing=0.1):
    # (1 - eps) * (cross-entropy at the label) + eps * (mean over classes of -log p)
    labels = np.asarray(labels, dtype=int)
    z = np.asarray(logits, dtype=float)
    logp = _log_softmax(z)
    nll = -logp[np.arange(len(labels)), labels]
    uniform = -logp.mean(axis=1)
    return float(np.mean((1 - smoothing) * nll + smoothing * uniform))


@ok("label_smoothing_loss")
def smoothing_loop(labels, logits, smoothing=0.1):
    z = np.asarray(logits, dtype=float)
    n, k = z.shape
    total = 0.0
    for i in range(n):
        row = z[i] - z[i].max()
        logp = row - math.log(sum(math.exp(v) for v in row))
        for j in range(k):
            target = smoothing / k + (1 - smoothing if j == int(labels[i]) else 0.0)
            total -= target * logp[j]
    return total / n


@ok("label_smoothing_loss")
def smoothing_float32(labels, logits, smoothing=0.1):
    z = np.asarray(logits, dtype=np.float32)
    n, k = z.shape
    target = np.full((n, k), smoothing / k, dtype=np.float32)
    target[np.arange(n), np.asarray(labels, dtype=int)] += np.float32(1 - smoothing)
    shifted = z - z.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return np.float32(np.mean(np.sum(-target * logp, axis=1)))


@ok("label_smoothing_loss")
def smoothing_where(labels, logits, smoothing=0.1):
    z = np.asarray(logits, dtype=float)
    n, k = z.shape
    is_true = np.arange(k)[None, :] == np.asarray(labels)[:, None]
    target = np.where(is_true, 1 - smoothing + smoothing / k, smoothing / k)
    lse = np.logaddexp.reduce(z, axis=1, keepdims=True)
    return float(np.mean(np.sum(target * (lse - z), axis=1)))


def _ls(labels, logits, smoothing, target=None, logp=None, reduce="mean"):
    z = np.asarray(logits, dtype=float)
    n, k = z.shape
    onehot = np.eye(k)[np.asarray(labels)]
    t = (1 - smoothing) * onehot + smoothing / k if target is None else target(onehot, smoothing, k)
    lp = _log_softmax(z) if logp is None else logp(z)
    per = -(t * lp)
    if reduce == "entries":
        return float(per.mean())
    return float(per.sum(axis=1).sum() if reduce == "sum" else per.sum(axis=1).mean())


bad("label_smoothing_loss", "missing_minus", label="no minus",
    answer=lambda lab, z, smoothing=0.1: -_ls(lab, z, smoothing))
bad("label_smoothing_loss", "forgot_mean", label="sum over rows",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, smoothing, reduce="sum"))
bad("label_smoothing_loss", "cce_mean_over_classes", label="mean over all entries",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, smoothing, reduce="entries"))
bad("label_smoothing_loss", "smoothing_over_k_minus_1", label="eps / (K - 1)",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, smoothing, target=lambda o, e, k: np.where(o == 1, 1 - e,
                                                                                               e / (k - 1))))
bad("label_smoothing_loss", "smoothing_reversed", label="eps on the one-hot",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, smoothing, target=lambda o, e, k: e * o + (1 - e) / k))
bad("label_smoothing_loss", "smoothing_not_spread", label="only scaled",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, smoothing, target=lambda o, e, k: (1 - e) * o))
bad("label_smoothing_loss", "smoothing_not_divided_by_k", label="plus eps",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, smoothing, target=lambda o, e, k: (1 - e) * o + e))
bad("label_smoothing_loss", "smoothing_ignored", label="plain cross-entropy",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, 0.0))
bad("label_smoothing_loss", "forgot_one_hot", label="labels as targets",
    answer=lambda lab, z, smoothing=0.1: float(np.mean(np.sum(
        -((1 - smoothing) * np.asarray(lab, dtype=float)[:, None] + smoothing / np.shape(z)[1])
        * _log_softmax(np.asarray(z, dtype=float)), axis=1))))
bad("label_smoothing_loss", "softmax_overflow", label="log of softmax, no max shift",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, smoothing, logp=lambda v: np.log(
        np.exp(v) / np.exp(v).sum(axis=1, keepdims=True))))
bad("label_smoothing_loss", "softmax_overflow", label="stable softmax, then log",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, smoothing, logp=lambda v: np.log(
        np.exp(v - v.max(axis=1, keepdims=True)) / np.exp(v - v.max(axis=1, keepdims=True)).sum(axis=1,
                                                                                                 keepdims=True))))
bad("label_smoothing_loss", "clipped_probabilities", label="softmax clipped at 1e-7",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, smoothing, logp=lambda v: np.log(np.clip(
        np.exp(_log_softmax(v)), 1e-7, 1.0))))
bad("label_smoothing_loss", "softmax_wrong_axis", label="softmax over axis 0",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, smoothing, logp=lambda v: v - np.log(np.exp(v).sum(
        axis=0, keepdims=True))))
bad("label_smoothing_loss", "wrong_default", label="smoothing default 0",
    answer=lambda lab, z, smoothing=0.0: _ls(lab, z, smoothing))
bad("label_smoothing_loss", "wrong_return_type", answer=in_a_list(smoothing_eye))
bad("label_smoothing_loss", "state_between_calls", answer=stateful(smoothing_eye))
bad("label_smoothing_loss", "changed_input", answer=mutating(smoothing_eye, 1))
bad("label_smoothing_loss", answer=rounded(smoothing_eye, 2))
bad("label_smoothing_loss", label="smoothed probabilities instead of targets",
    answer=lambda lab, z, smoothing=0.1: _ls(lab, z, 0.0, logp=lambda v: np.log(
        (1 - smoothing) * np.exp(_log_softmax(v)) + smoothing / v.shape[1])))


# --------------------------------------------------------------------------- hinge

@ok("hinge")
def hinge_maximum(y_true, scores):
    y, s = _arr(y_true, scores)
    return float(np.mean(np.maximum(0, 1 - y * s)))


@ok("hinge")
def hinge_clip(y_true, scores):
    y, s = _arr(y_true, scores)
    return np.clip(1 - y * s, 0, None).mean()


@ok("hinge")
def hinge_where(y_true, scores):
    y, s = _arr(y_true, scores)
    m = y * s
    return float(np.where(m < 1, 1 - m, 0.0).sum() / m.size)


@ok("hinge")
def hinge_loop(y_true, scores):
    y, s = _arr(y_true, scores)
    losses = [max(0.0, 1.0 - a * b) for a, b in zip(y.ravel(), s.ravel())]
    return sum(losses) / len(losses)


@ok("hinge")
def hinge_float32(y_true, scores):
    y, s = _arr(y_true, scores, dtype=np.float32)
    return np.float32(np.maximum(np.float32(0), np.float32(1) - y * s).mean())


bad("hinge", "labels_treated_as_0_1", label="2y - 1 on +-1 labels",
    answer=lambda y, s: hinge_maximum(2 * np.asarray(y, dtype=float) - 1, s))
bad("hinge", "hinge_missing_max", label="no max",
    answer=lambda y, s: float(np.mean(1 - np.asarray(y, dtype=float) * np.asarray(s, dtype=float))))
bad("hinge", "hinge_missing_max", label="max after the mean",
    answer=lambda y, s: max(0.0, float(np.mean(1 - np.asarray(y, dtype=float) * np.asarray(s, dtype=float)))))
bad("hinge", "hinge_margin_zero", label="margin 0",
    answer=lambda y, s: float(np.mean(np.maximum(0, -np.asarray(y, dtype=float) * np.asarray(s, dtype=float)))))
bad("hinge", "hinge_wrong_sign", label="1 + ys",
    answer=lambda y, s: float(np.mean(np.maximum(0, 1 + np.asarray(y, dtype=float) * np.asarray(s, dtype=float)))))
bad("hinge", "hinge_squared", label="squared hinge",
    answer=lambda y, s: float(np.mean(np.maximum(0, 1 - np.multiply(*_arr(y, s))) ** 2)))
bad("hinge", "forgot_mean", label="sum",
    answer=lambda y, s: float(np.sum(np.maximum(0, 1 - np.multiply(*_arr(y, s))))))
bad("hinge", "divided_by_rows", label="len",
    answer=lambda y, s: float(np.sum(np.maximum(0, 1 - np.multiply(*_arr(y, s)))) / len(y)))
bad("hinge", label="margin 0.5",
    answer=lambda y, s: float(np.mean(np.maximum(0, 0.5 - np.multiply(*_arr(y, s))))))
bad("hinge", label="logistic loss instead",
    answer=lambda y, s: float(np.mean(np.logaddexp(0, -np.multiply(*_arr(y, s))))))
bad("hinge", label="abs instead of max",
    answer=lambda y, s: float(np.mean(np.abs(1 - np.multiply(*_arr(y, s))))))
bad("hinge", "wrong_return_type", answer=in_a_list(hinge_maximum))
bad("hinge", "changed_input", answer=mutating(hinge_maximum, 1))
bad("hinge", "state_between_calls", answer=stateful(hinge_maximum))
bad("hinge", answer=rounded(hinge_maximum, 2))


# --------------------------------------------------------------------------- pinball

@ok("pinball")
def pinball_maximum(y_true, y_pred, quantile=0.5):
    r = np.subtract(*_arr(y_true, y_pred))
    return float(np.mean(np.maximum(quantile * r, (quantile - 1) * r)))


@ok("pinball")
def pinball_where(y_true, y_pred, quantile=0.5):
    y, p = _arr(y_true, y_pred)
    r = y - p
    return float(np.where(r >= 0, quantile * r, (quantile - 1) * r).mean())


@ok("pinball")
def pinball_indicator(y_true, y_pred, quantile=0.5):
    # the textbook form r (q - 1[r < 0])
    y, p = _arr(y_true, y_pred)
    r = y - p
    return np.mean(r * (quantile - (r < 0)))


@ok("pinball")
def pinball_loop(y_true, y_pred, quantile=0.5):
    y, p = _arr(y_true, y_pred)
    total = 0.0
    for a, b in zip(y.ravel(), p.ravel()):
        total += quantile * (a - b) if a >= b else (1 - quantile) * (b - a)
    return total / y.size


@ok("pinball")
def pinball_float32(y_true, y_pred, quantile=0.5):
    y, p = _arr(y_true, y_pred, dtype=np.float32)
    r = y - p
    q = np.float32(quantile)
    return np.float32(np.mean(np.maximum(q * r, (q - 1) * r)))


def _pin(y, p, q, *, sides=None, reduce=np.mean):
    r = np.subtract(*_arr(y, p))
    per = np.maximum(q * r, (q - 1) * r) if sides is None else sides(r, q)
    return float(reduce(per))


bad("pinball", "pinball_sides_swapped", label="q and 1 - q swapped",
    answer=lambda y, p, quantile=0.5: _pin(y, p, quantile, sides=lambda r, q: np.where(r >= 0, (1 - q) * r, -q * r)))
bad("pinball", "pinball_sides_swapped", label="residual y_pred - y_true",
    answer=lambda y, p, quantile=0.5: _pin(p, y, quantile))
bad("pinball", "quantile_ignored", label="always the median",
    answer=lambda y, p, quantile=0.5: _pin(y, p, 0.5))
bad("pinball", "used_mae", label="mae",
    answer=lambda y, p, quantile=0.5: float(np.mean(np.abs(np.subtract(*_arr(y, p))))))
bad("pinball", "pinball_same_weight_both_sides", label="q |r|",
    answer=lambda y, p, quantile=0.5: _pin(y, p, quantile, sides=lambda r, q: q * np.abs(r)))
bad("pinball", "pinball_missing_branch", label="q r only",
    answer=lambda y, p, quantile=0.5: _pin(y, p, quantile, sides=lambda r, q: q * r))
bad("pinball", "pinball_negative_branch", label="(1 - q) r for r < 0",
    answer=lambda y, p, quantile=0.5: _pin(y, p, quantile, sides=lambda r, q: np.where(r >= 0, q * r, (1 - q) * r)))
bad("pinball", "pinball_min_instead_of_max", label="min",
    answer=lambda y, p, quantile=0.5: _pin(y, p, quantile, sides=lambda r, q: np.minimum(q * r, (q - 1) * r)))
bad("pinball", "forgot_mean", label="sum",
    answer=lambda y, p, quantile=0.5: _pin(y, p, quantile, reduce=np.sum))
bad("pinball", "wrong_default", label="default 0.9",
    answer=lambda y, p, quantile=0.9: _pin(y, p, quantile))
bad("pinball", "wrong_return_type", answer=in_a_list(pinball_maximum))
bad("pinball", "changed_input", answer=mutating(pinball_maximum, 1))
bad("pinball", "state_between_calls", answer=stateful(pinball_maximum))
bad("pinball", answer=rounded(pinball_maximum, 2))
bad("pinball", label="squared pinball",
    answer=lambda y, p, quantile=0.5: _pin(y, p, quantile, sides=lambda r, q: np.maximum(q * r, (q - 1) * r) ** 2))


# --------------------------------------------------------------------------- kl_divergence

@ok("kl_divergence")
def kl_where(p_true, q_pred):
    p, q = _arr(p_true, q_pred)
    terms = np.where(p > 0, p * np.log(np.where(p > 0, p, 1) / np.where(p > 0, q, 1)), 0.0)
    return float(terms.sum(axis=1).mean())


@ok("kl_divergence")
def kl_masked(p_true, q_pred):
    p, q = _arr(p_true, q_pred)
    mask = p > 0
    terms = np.zeros_like(p)
    terms[mask] = p[mask] * (np.log(p[mask]) - np.log(q[mask]))
    return float(np.sum(terms) / p.shape[0])


@ok("kl_divergence")
def kl_clip_inside_log(p_true, q_pred):
    p, q = _arr(p_true, q_pred)
    return float(np.mean(np.sum(p * np.log(np.clip(p, 1e-12, None) / np.clip(q, 1e-12, None)), axis=1)))


@ok("kl_divergence")
def kl_rows_loop(p_true, q_pred):
    p, q = _arr(p_true, q_pred)
    total = 0.0
    for row_p, row_q in zip(p, q):
        total += sum(a * math.log(a / b) for a, b in zip(row_p, row_q) if a > 0)
    return total / len(p)


@ok("kl_divergence")
def kl_xlogy(p_true, q_pred):
    # x log y with the 0 log 0 = 0 convention, written out: cross-entropy minus entropy
    p, q = _arr(p_true, q_pred, dtype=np.float32)
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = -np.where(p > 0, p * np.log(q), 0).sum(axis=1)
        entropy = -np.where(p > 0, p * np.log(p), 0).sum(axis=1)
    return np.float32(np.mean(cross - entropy))


def _klx(p, q, *, log=np.log, reduce="rows", swap=False):
    p, q = _arr(p, q)
    if swap:
        p, q = q, p
    with np.errstate(all="ignore"):
        terms = np.where(p > 0, p * (log(np.where(p > 0, p, 1)) - log(q)), 0.0)
    if reduce == "entries":
        return float(terms.mean())
    return float(terms.sum(axis=1).sum() if reduce == "sum" else terms.sum(axis=1).mean())


bad("kl_divergence", "kl_swapped_args", label="KL(q || p)", answer=lambda p, q: _klx(p, q, swap=True))
bad("kl_divergence", "zero_log_zero_nan", label="no 0 log 0 care",
    answer=lambda p, q: float(np.mean(np.sum(np.asarray(p) * np.log(np.asarray(p) / np.asarray(q)), axis=1))))
bad("kl_divergence", "log_base_2", label="bits", answer=lambda p, q: _klx(p, q, log=np.log2))
bad("kl_divergence", "log_base_10", label="log10", answer=lambda p, q: _klx(p, q, log=np.log10))
bad("kl_divergence", "forgot_mean", label="sum over rows", answer=lambda p, q: _klx(p, q, reduce="sum"))
bad("kl_divergence", "kl_mean_over_classes", label="mean over entries", answer=lambda p, q: _klx(p, q,
                                                                                                 reduce="entries"))
bad("kl_divergence", "kl_ratio_inverted", label="log(q / p)", answer=lambda p, q: -_klx(p, q))
bad("kl_divergence", "returned_cross_entropy", label="cross-entropy only",
    answer=lambda p, q: float(np.mean(-np.sum(np.multiply(_arr(p)[0], np.log(_arr(q)[0] + 1e-300)), axis=1))))
bad("kl_divergence", "clip_too_large", label="clip p and q at 1e-3",
    answer=lambda p, q: float(np.mean(np.sum(np.clip(p, 1e-3, 1) * np.log(np.clip(p, 1e-3, 1) / np.clip(q, 1e-3, 1)),
                                             axis=1))))
bad("kl_divergence", label="symmetrised KL",
    answer=lambda p, q: 0.5 * (_klx(p, q) + _klx(p, q, swap=True)))
@bad("kl_divergence", label="sum over axis 0")
def kl_axis0(p_true, q_pred):
    p, q = _arr(p_true, q_pred)
    with np.errstate(all="ignore"):
        terms = np.where(p > 0, p * np.log(p / q), 0.0)
    return float(terms.sum(axis=0).mean())


bad("kl_divergence", "wrong_return_type", answer=in_a_list(kl_where))
bad("kl_divergence", "changed_input", answer=mutating(kl_where, 1))
bad("kl_divergence", "state_between_calls", answer=stateful(kl_where))
bad("kl_divergence", answer=rounded(kl_where, 3))


# --------------------------------------------------------------------------- expected_calibration_error

@ok("expected_calibration_error")
def ece_bincount(y_true, p_pred, n_bins=10):
    y, p = _arr(y_true, p_pred)
    idx = np.minimum((p * n_bins).astype(int), n_bins - 1)
    n = np.bincount(idx, minlength=n_bins)
    conf = np.bincount(idx, weights=p, minlength=n_bins)
    acc = np.bincount(idx, weights=y, minlength=n_bins)
    used = n > 0
    return float(np.sum(np.abs(acc[used] - conf[used])) / len(y))   # n_b |mean y - mean p| = |sum y - sum p|


@ok("expected_calibration_error")
def ece_loop(y_true, p_pred, n_bins=10):
    y, p = _arr(y_true, p_pred)
    edges = np.linspace(0, 1, n_bins + 1)
    total = 0.0
    for i in range(n_bins):
        if i == n_bins - 1:
            in_bin = (p >= edges[i]) & (p <= edges[i + 1])
        else:
            in_bin = (p >= edges[i]) & (p < edges[i + 1])
        if in_bin.any():
            total += in_bin.sum() / len(p) * abs(y[in_bin].mean() - p[in_bin].mean())
    return total


@ok("expected_calibration_error")
def ece_digitize(y_true, p_pred, n_bins=10):
    y, p = _arr(y_true, p_pred)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    idx = np.digitize(p, edges[1:-1])          # inner edges only: 1.0 lands in the last bin
    ece = 0.0
    for b in np.unique(idx):
        sel = idx == b
        ece += np.mean(sel) * np.abs(np.mean(y[sel]) - np.mean(p[sel]))
    return float(ece)


@ok("expected_calibration_error")
def ece_histogram(y_true, p_pred, n_bins=10):
    y, p = _arr(y_true, p_pred)
    counts, edges = np.histogram(p, bins=n_bins, range=(0, 1))   # numpy's last bin is closed too
    sum_p, _ = np.histogram(p, bins=edges, weights=p)
    sum_y, _ = np.histogram(p, bins=edges, weights=y)
    nonzero = counts > 0
    return float(np.sum(counts[nonzero] / counts.sum() * np.abs(sum_y[nonzero] / counts[nonzero]
                                                                - sum_p[nonzero] / counts[nonzero])))


@ok("expected_calibration_error")
def ece_float32(y_true, p_pred, n_bins=10):
    y, p = _arr(y_true, p_pred, dtype=np.float32)
    idx = np.clip(np.floor(p * n_bins).astype(int), 0, n_bins - 1)
    out = np.float32(0)
    for b in range(n_bins):
        sel = idx == b
        k = int(sel.sum())
        if k:
            out += np.float32(k / y.size) * np.abs(y[sel].mean() - p[sel].mean())
    return np.float32(out)


def _ecex(y, p, n_bins, *, index=None, gap=np.abs, weights="share", conf=None, skip_empty=True, drop_ones=False):
    y, p = _arr(y, p)
    n = len(y)
    idx = np.minimum((p * n_bins).astype(int), n_bins - 1) if index is None else index(p, n_bins)
    total, used = 0.0, 0
    with np.errstate(all="ignore"):
        for b in range(n_bins):
            sel = idx == b
            if drop_ones:
                sel = sel & (p < 1.0)
            if skip_empty and not sel.any():
                continue
            c = np.mean(p[sel]) if conf is None else (b + 0.5) / n_bins
            g = gap(np.mean(y[sel]) - c)
            total += g * (sel.sum() / n if weights == "share" else sel.sum() if weights == "count" else 1.0)
            used += 1
    return float(total / used if weights == "equal" else total)


bad("expected_calibration_error", "ece_unweighted", label="plain mean of gaps",
    answer=lambda y, p, n_bins=10: _ecex(y, p, n_bins, weights="equal"))
bad("expected_calibration_error", "ece_empty_bin_nan", label="empty bins give nan",
    answer=lambda y, p, n_bins=10: _ecex(y, p, n_bins, skip_empty=False))
bad("expected_calibration_error", "ece_signed_gap", label="no abs",
    answer=lambda y, p, n_bins=10: _ecex(y, p, n_bins, gap=lambda g: g))
bad("expected_calibration_error", "ece_squared_gap", label="squared gaps",
    answer=lambda y, p, n_bins=10: _ecex(y, p, n_bins, gap=np.square))
bad("expected_calibration_error", "ece_weights_not_normalised", label="count weights",
    answer=lambda y, p, n_bins=10: _ecex(y, p, n_bins, weights="count"))
bad("expected_calibration_error", "ece_one_left_out", label="last bin open",
    answer=lambda y, p, n_bins=10: _ecex(y, p, n_bins, drop_ones=True))
bad("expected_calibration_error", "ece_right_closed_bins", label="digitize right=True",
    answer=lambda y, p, n_bins=10: _ecex(y, p, n_bins, index=lambda v, b: np.clip(
        np.digitize(v, np.linspace(0, 1, b + 1), right=True) - 1, 0, b - 1)))
bad("expected_calibration_error", "ece_bin_midpoint", label="bin centres",
    answer=lambda y, p, n_bins=10: _ecex(y, p, n_bins, conf="mid"))
bad("expected_calibration_error", "ece_top_label", label="top-label confidence vs accuracy",
    answer=lambda y, p, n_bins=10: _ecex((np.asarray(p) > 0.5) == (np.asarray(y) == 1),
                                         np.maximum(p, 1 - np.asarray(p, dtype=float)), n_bins))
bad("expected_calibration_error", "wrong_default", label="default 5 bins",
    answer=lambda y, p, n_bins=5: _ecex(y, p, n_bins))
@bad("expected_calibration_error", label="maximum calibration error")
def mce(y_true, p_pred, n_bins=10):
    y, p = _arr(y_true, p_pred)
    idx = np.minimum((p * n_bins).astype(int), n_bins - 1)
    return float(max(abs(y[idx == b].mean() - p[idx == b].mean()) for b in range(n_bins) if np.any(idx == b)))


bad("expected_calibration_error", "ece_signed_gap", label="one bin for everything (the gaps cancel)",
    answer=lambda y, p, n_bins=10: float(abs(np.mean(np.asarray(y, dtype=float)) - np.mean(np.asarray(p, dtype=float)))))
bad("expected_calibration_error", "wrong_return_type", answer=in_a_list(ece_bincount))
bad("expected_calibration_error", "changed_input", answer=mutating(ece_bincount, 1))
bad("expected_calibration_error", "state_between_calls", answer=stateful(ece_bincount))
bad("expected_calibration_error", answer=rounded(ece_bincount, 2))


# --------------------------------------------------------------------------- stock_quantile

for good in (0.25, 1 / 4, "0.25", np.float64(0.25)):
    ok("stock_quantile", good, f"stock quantile {good!r}")
for wrong, names in ((0.75, ("pinball_sides_swapped",)), (1 / 3, ("cost_ratio_not_fraction",)),
                     (3.0, ("cost_ratio_not_fraction",)), (0.5, ("median_by_default",)), (0.2, ()), (25, ())):
    bad("stock_quantile", *names, answer=wrong, label=f"stock quantile {wrong!r}")


# --------------------------------------------------------------------------- more learner answers (hostile round)

@ok("focal_loss")
def focal_log_expit(y_true, logits, gamma=2.0, alpha=0.25):
    from scipy.special import expit, log_expit
    t = np.where(np.asarray(y_true) == 1, logits, -np.asarray(logits))
    a_t = np.where(np.asarray(y_true) == 1, alpha, 1 - alpha)
    return float(np.mean(-a_t * expit(-t) ** gamma * log_expit(t)))


@ok("label_smoothing_loss")
def smoothing_logsumexp_terms(labels, logits, smoothing=0.1):
    z = np.asarray(logits, dtype=float)
    m = z.max(axis=1)
    lse = m + np.log(np.exp(z - m[:, None]).sum(axis=1))
    true = z[np.arange(len(labels)), labels]
    return float(np.mean(lse - (1 - smoothing) * true - smoothing * z.mean(axis=1)))


@bad("hinge")
def hinge_labels_as_indicator(y_true, scores):
    # turns -1/+1 into 0/1, so negatives never get a margin; on one probe this equals the mean of 1 - y s
    return float(np.mean(np.maximum(0.0, 1.0 - np.where(np.asarray(y_true) > 0, 1.0, 0.0) * scores)))


ok("pinball", lambda y, p, quantile=0.5: float(np.mean(0.5 * np.abs(p - y) + (0.5 - quantile) * (p - y))),
   "half the absolute error plus a tilt")
ok("kl_divergence", lambda p, q: float(np.mean(np.nansum(p * np.log(p / q), axis=1))), "nansum")
ok("kl_divergence", lambda p, q: float(np.sum(p * np.log(p / q), where=p > 0) / len(p)), "sum with where=")


@ok("expected_calibration_error")
def ece_floor_of_width(y_true, p_pred, n_bins=10):
    y, p = _arr(y_true, p_pred)
    idx = np.minimum(np.floor(p / (1 / n_bins)).astype(int), n_bins - 1)
    return float(sum(np.mean(idx == b) * abs(y[idx == b].mean() - p[idx == b].mean()) for b in np.unique(idx)))


bad("stock_quantile", answer=25, label="as a percentage")
