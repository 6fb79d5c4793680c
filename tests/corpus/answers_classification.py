"""Learner answers for lessons 04-05: binary and categorical cross-entropy, softmax, and the value questions."""
import numpy as np

from .base import bad, checked, in_a_list, mutating, no_shape_check, ok, rounded, stateful, with_assert, as_list

EPS = 1e-7


# --------------------------------------------------------------------------- binary_cross_entropy

def bce_formula(y, p, eps=EPS):
    p = np.clip(p, eps, 1 - eps)
    return np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))


bce = checked(bce_formula)
ok("binary_cross_entropy", bce, "clip 1e-7")
ok("binary_cross_entropy", checked(lambda y, p: bce_formula(y, p, 1e-12)), "clip 1e-12")
ok("binary_cross_entropy", checked(lambda y, p: bce_formula(y, p, 1e-15)), "clip 1e-15")
ok("binary_cross_entropy", checked(lambda y, p: np.mean(-np.where(y == 1, np.log(np.clip(p, EPS, 1)),
                                                                  np.log(np.clip(1 - p, EPS, 1))))), "np.where")
ok("binary_cross_entropy", checked(lambda y, p: -np.mean(y * np.maximum(np.log(p), -100)
                                                         + (1 - y) * np.maximum(np.log(1 - p), -100))), "log floor")


@ok("binary_cross_entropy")
def bce_float32(y_true, y_pred):
    y, p = np.asarray(y_true, np.float32), np.asarray(y_pred, np.float32)
    if y.shape != p.shape:
        raise ValueError("shapes differ")
    p = np.clip(p, np.float32(1e-7), np.float32(1 - 1e-7))
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log1p(-p))))


bad("binary_cross_entropy", "missing_minus", answer=checked(lambda y, p: -bce_formula(y, p)), label="no minus")
bad("binary_cross_entropy", "log_base_10", answer=checked(lambda y, p: np.mean(-(y * np.log10(np.clip(p, EPS,
                                                                                                      1 - EPS))
    + (1 - y) * np.log10(1 - np.clip(p, EPS, 1 - EPS))))), label="log10")
bad("binary_cross_entropy", "forgot_mean", answer=checked(lambda y, p: np.sum(-(y * np.log(np.clip(p, EPS, 1 - EPS))
    + (1 - y) * np.log(1 - np.clip(p, EPS, 1 - EPS))))), label="sum")
bad("binary_cross_entropy", "missing_negative_class_term",
    answer=checked(lambda y, p: np.mean(-y * np.log(np.clip(p, EPS, 1)))), label="only positive term")
bad("binary_cross_entropy", "swapped_args", answer=checked(lambda y, p: bce_formula(p, y)), label="swapped")
bad("binary_cross_entropy", "flipped_terms", answer=checked(lambda y, p: bce_formula(1 - y, p)), label="flipped")
bad("binary_cross_entropy", "clip_too_large", answer=checked(lambda y, p: bce_formula(y, p, 0.1)), label="clip 0.1")
bad("binary_cross_entropy", "clip_too_large", answer=checked(lambda y, p: bce_formula(y, p, 1e-3)), label="clip 1e-3")
bad("binary_cross_entropy", "no_clamp", answer=checked(lambda y,
                                                       p: np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p)))),
    label="no clip")
bad("binary_cross_entropy", "wrong_exception", answer=with_assert(bce_formula))
bad("binary_cross_entropy", "broadcast_trap", "missing_shape_check", answer=no_shape_check(bce_formula))
bad("binary_cross_entropy", "wrong_return_type", answer=in_a_list(bce))
bad("binary_cross_entropy", answer=rounded(bce, 2))
bad("binary_cross_entropy", "changed_input", answer=checked(lambda y, p: bce_formula(y, np.clip(p, EPS, 1 - EPS,
                                                                                                out=p))),
    label="clip out=p")
bad("binary_cross_entropy", "state_between_calls", answer=stateful(bce))
bad("binary_cross_entropy", answer=checked(lambda y, p: np.mean((y - p) ** 2)), label="mse instead")
bad("binary_cross_entropy", answer=checked(lambda y, p: np.mean(-(y * np.log(np.clip(p, EPS, 1 - EPS))
    + (1 - y) * np.log(np.clip(p, EPS, 1 - EPS))))), label="log p in both terms")
bad("binary_cross_entropy", answer=checked(lambda y, p: np.mean(-(y * np.log(np.clip(p, EPS, 1 - EPS)))
    - np.mean((1 - y) * np.log(1 - np.clip(p, EPS, 1 - EPS))) / 2)), label="half negative term")


# --------------------------------------------------------------------------- bce_with_logits

def bce_logits(y_true, logits):
    y, z = np.asarray(y_true, float), np.asarray(logits, float)
    return np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))


ok("bce_with_logits", bce_logits)
ok("bce_with_logits", lambda y, z: np.mean(np.logaddexp(0, np.asarray(z, float)) - np.asarray(z, float) * y),
   "logaddexp")
ok("bce_with_logits", lambda y, z: np.mean(np.where(y == 1, np.logaddexp(0, -np.asarray(z, float)),
                                                    np.logaddexp(0, np.asarray(z, float)))), "where logaddexp")


@ok("bce_with_logits")
def bce_logits_loop(y_true, logits):
    total = 0.0
    for y, z in zip(np.ravel(y_true), np.ravel(logits)):
        total += max(z, 0) - z * y + np.log1p(np.exp(-abs(z)))
    return total / np.size(logits)


bad("bce_with_logits", "missing_minus", answer=lambda y, z: -bce_logits(y, z), label="negated")
bad("bce_with_logits", "forgot_mean", answer=lambda y, z: bce_logits(y, z) * np.size(z), label="sum")
bad("bce_with_logits", "forgot_sigmoid", answer=lambda y, z: np.mean(-(y * np.log(np.clip(z, EPS, 1 - EPS))
    + (1 - np.asarray(y)) * np.log(1 - np.clip(z, EPS, 1 - EPS)))), label="logits as probabilities")
bad("bce_with_logits", "stable_form_without_abs", answer=lambda y, z: np.mean(np.maximum(z, 0) - np.asarray(z) * y
    + np.log1p(np.exp(-np.asarray(z, float)))), label="no abs")
bad("bce_with_logits", "stable_form_sign", answer=lambda y, z: np.mean(np.maximum(z, 0) + np.asarray(z) * y
    + np.log1p(np.exp(-np.abs(z)))), label="plus zy")
bad("bce_with_logits", "overflow", answer=lambda y, z: np.mean(np.log(1 + np.exp(np.asarray(z, float)))
    - np.asarray(z) * y), label="naive softplus")
bad("bce_with_logits", "clipped_probabilities", "overflow", answer=lambda y, z: bce_formula(np.asarray(y, float),
    1 / (1 + np.exp(-np.asarray(z, float)))), label="sigmoid then clip")
bad("bce_with_logits", answer=lambda y, z: np.mean(np.maximum(z, 0) - np.asarray(z) * y + np.log(np.exp(-np.abs(z)))),
    label="log instead of log1p")
bad("bce_with_logits", answer=lambda y, z: np.mean(np.maximum(z, 0) - np.asarray(z) * y), label="dropped log term")
bad("bce_with_logits", "stable_form_without_abs", answer=lambda y,
    z: np.mean(np.abs(z) - np.asarray(z) * y + np.log1p(np.exp(-np.abs(z)))),
    label="abs instead of max")
bad("bce_with_logits", "wrong_return_type", answer=in_a_list(bce_logits))
bad("bce_with_logits", answer=rounded(bce_logits, 3))
bad("bce_with_logits", "changed_input", answer=mutating(bce_logits))
bad("bce_with_logits", "state_between_calls", answer=stateful(bce_logits))


# --------------------------------------------------------------------------- softmax

def softmax(z):
    z = np.asarray(z, float)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


ok("softmax", softmax)
ok("softmax", lambda z: np.exp(np.asarray(z) - np.max(z, axis=-1, keepdims=True))
   / np.exp(np.asarray(z) - np.max(z, axis=-1, keepdims=True)).sum(-1, keepdims=True), "axis -1")


@ok("softmax")
def softmax_rows(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    for i, row in enumerate(z):
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


@ok("softmax")
def softmax_logsumexp(z):
    z = np.asarray(z, float)
    m = z.max(axis=1, keepdims=True)
    return np.exp(z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True)))


bad("softmax", "softmax_wrong_axis", answer=lambda z: np.exp(z - np.max(z, axis=0)) / np.exp(z - np.max(z,
                                                                                                        axis=0)).sum(0),
    label="axis 0")
bad("softmax", "softmax_overflow", answer=lambda z: np.exp(z) / np.exp(z).sum(axis=1, keepdims=True),
    label="no shift")
bad("softmax", "softmax_global_sum", answer=lambda z: np.exp(z - np.max(z)) / np.exp(z - np.max(z)).sum(),
    label="global")
bad("softmax", "softmax_global_max_shift", answer=lambda z: np.exp(z - np.max(z)) / np.exp(z - np.max(z)).sum(1,
                                                                                                              keepdims=True),
    label="global max")
bad("softmax", "used_sigmoid", answer=lambda z: 1 / (1 + np.exp(-np.asarray(z, float))), label="sigmoid")
bad("softmax", "softmax_overflow", answer=lambda z: np.exp(z - np.min(z, axis=1, keepdims=True))
    / np.exp(z - np.min(z, axis=1, keepdims=True)).sum(1, keepdims=True), label="min shift")
bad("softmax", answer=lambda z: (np.asarray(z) - np.min(z, 1, keepdims=True))
    / (np.asarray(z) - np.min(z, 1, keepdims=True)).sum(1, keepdims=True), label="no exp")
bad("softmax", answer=lambda z: np.exp(z - np.max(z, 1, keepdims=True)), label="not normalised")
bad("softmax", answer=lambda z: np.exp(2 * (z - np.max(z, 1, keepdims=True)))
    / np.exp(2 * (z - np.max(z, 1, keepdims=True))).sum(1, keepdims=True), label="temperature 0.5")
bad("softmax", "wrong_return_type", answer=as_list(softmax))
bad("softmax", answer=rounded(softmax, 2))
bad("softmax", "changed_input", answer=lambda z: (z.__isub__(z.max(axis=1, keepdims=True)), softmax(z))[1],
    label="z -= max")
bad("softmax", "state_between_calls", answer=stateful(softmax))
bad("softmax", answer=lambda z: softmax(z)[:, ::-1], label="columns reversed")


# --------------------------------------------------------------------------- categorical_cross_entropy

def cce(y_true, y_pred):
    y, p = np.asarray(y_true, float), np.clip(np.asarray(y_pred, float), EPS, 1.0)
    return np.mean(-np.sum(y * np.log(p), axis=1))


ok("categorical_cross_entropy", cce)
ok("categorical_cross_entropy", lambda y, p: -np.sum(np.asarray(y) * np.log(np.clip(p, 1e-12, 1))) / np.shape(y)[0],
   "sum over n")
ok("categorical_cross_entropy", lambda y, p: np.mean(-np.log(np.clip(np.asarray(p, float)[np.arange(len(y)),
                                                                                        np.argmax(y,
                                                                                                  axis=1)], EPS, 1))),
   "argmax of one-hot")
ok("categorical_cross_entropy", lambda y, p: float(np.mean(-np.sum(np.where(np.asarray(y) > 0,
                                                                            np.asarray(y) * np.log(np.clip(p, EPS,
                                                                                                           1)),
                                                                            0.0), axis=1))), "where")


@ok("categorical_cross_entropy")
def cce_loop(y_true, y_pred):
    total = 0.0
    for yr, pr in zip(np.asarray(y_true, float), np.asarray(y_pred, float)):
        total -= float(np.dot(yr, np.log(np.clip(pr, 1e-7, 1 - 1e-7))))
    return total / len(y_true)


bad("categorical_cross_entropy", "ignored_labels", answer=lambda y, p: np.mean(-np.log(np.clip(np.max(p, axis=1),
                                                                                               EPS, 1))),
    label="max probability")
bad("categorical_cross_entropy", "clip_too_large", answer=lambda y,
    p: np.mean(-np.sum(np.asarray(y) * np.log(np.clip(p, 0.1, 1)),
                                                                                       axis=1)), label="clip 0.1")
bad("categorical_cross_entropy", "clip_too_large", answer=lambda y,
    p: np.mean(-np.sum(np.asarray(y) * np.log(np.asarray(p) + 1e-3),
                                                                                       axis=1)), label="add 1e-3")
bad("categorical_cross_entropy", "missing_minus", answer=lambda y, p: -cce(y, p), label="no minus")
bad("categorical_cross_entropy", "forgot_mean", answer=lambda y, p: cce(y, p) * len(y), label="sum")
bad("categorical_cross_entropy", "cce_mean_over_classes", answer=lambda y,
    p: np.mean(-np.asarray(y) * np.log(np.clip(p, EPS, 1))),
    label="mean of table")
bad("categorical_cross_entropy", "used_binary_formula", answer=lambda y,
    p: np.mean(-(np.asarray(y) * np.log(np.clip(p, EPS, 1 - EPS))
    + (1 - np.asarray(y)) * np.log(1 - np.clip(p, EPS, 1 - EPS))).sum(axis=1)), label="binary formula")
bad("categorical_cross_entropy", "no_clamp", answer=lambda y, p: np.mean(-np.sum(np.asarray(y) * np.log(p), axis=1)),
    label="no clip")
bad("categorical_cross_entropy", "log_base_10", answer=lambda y,
    p: np.mean(-np.sum(np.asarray(y) * np.log10(np.clip(p, EPS, 1)),
                                                                                    axis=1)), label="log10")
bad("categorical_cross_entropy", "swapped_args", answer=lambda y, p: cce(p, y), label="swapped")
bad("categorical_cross_entropy", answer=lambda y, p: np.mean(-np.log(np.clip(np.asarray(p)[:, 0], EPS, 1))),
    label="always class 0")
bad("categorical_cross_entropy", answer=lambda y, p: np.mean(np.sum((np.asarray(y) - p) ** 2, axis=1)),
    label="squared error")
bad("categorical_cross_entropy", "wrong_return_type", answer=in_a_list(cce))
bad("categorical_cross_entropy", answer=rounded(cce, 2))
bad("categorical_cross_entropy", "changed_input", answer=lambda y, p: cce(y, np.clip(p, EPS, 1, out=p)),
    label="clip out=p")
bad("categorical_cross_entropy", "state_between_calls", answer=stateful(cce))


# --------------------------------------------------------------------------- sparse_categorical_cross_entropy

def sparse(labels, y_pred):
    p = np.asarray(y_pred, float)
    return np.mean(-np.log(np.clip(p[np.arange(len(labels)), labels], EPS, 1.0)))


ok("sparse_categorical_cross_entropy", sparse)
ok("sparse_categorical_cross_entropy", lambda l, p: cce(np.eye(np.shape(p)[1])[l], p), "via one-hot")
ok("sparse_categorical_cross_entropy", lambda l, p: -np.mean(np.log(np.maximum(np.take_along_axis(np.asarray(p),
                                                                                                  np.asarray(l)[:,
                                                                                                                None],
                                                                                                   axis=1), 1e-12))),
   "take_along_axis")


@ok("sparse_categorical_cross_entropy")
def sparse_loop(labels, y_pred):
    losses = [-np.log(max(float(y_pred[i][int(k)]), 1e-7)) for i, k in enumerate(labels)]
    return sum(losses) / len(losses)


bad("sparse_categorical_cross_entropy", "fancy_index_grid",
    answer=lambda l, p: np.mean(-np.log(np.clip(np.asarray(p)[:, l], EPS, 1))), label="[:, labels]")
bad("sparse_categorical_cross_entropy", "ignored_labels", answer=lambda l, p: np.mean(-np.log(np.clip(np.max(p,
                                                                                                             axis=1), EPS, 1))),
    label="max")
bad("sparse_categorical_cross_entropy", "clip_too_large", answer=lambda l,
    p: np.mean(-np.log(np.clip(np.asarray(p)[np.arange(len(l)), l],
                                                                                               0.05, 1))), label="clip 0.05")
bad("sparse_categorical_cross_entropy", "missing_minus", answer=lambda l, p: -sparse(l, p), label="no minus")
bad("sparse_categorical_cross_entropy", "forgot_mean", answer=lambda l, p: sparse(l, p) * len(l), label="sum")
bad("sparse_categorical_cross_entropy", "log_base_10", answer=lambda l,
    p: np.mean(-np.log10(np.clip(np.asarray(p)[np.arange(len(l)), l],
                                                                                              EPS, 1))), label="log10")
bad("sparse_categorical_cross_entropy", "cce_mean_over_classes", answer=lambda l, p: sparse(l,
                                                                                            p) * len(l) / np.size(p),
    label="divide by n k")
bad("sparse_categorical_cross_entropy", "no_clamp", answer=lambda l,
    p: np.mean(-np.log(np.asarray(p)[np.arange(len(l)), l])),
    label="no clip")
bad("sparse_categorical_cross_entropy", answer=lambda l, p: np.mean(-np.log(np.clip(np.asarray(p)[np.arange(len(l)),
                                                                                            np.asarray(l) - 1], EPS, 1))),
    label="labels off by one")
bad("sparse_categorical_cross_entropy", answer=lambda l, p: np.mean(1 - np.asarray(p)[np.arange(len(l)), l]),
    label="1 - p")
bad("sparse_categorical_cross_entropy", "wrong_return_type", answer=in_a_list(sparse))
bad("sparse_categorical_cross_entropy", answer=rounded(sparse, 2))
bad("sparse_categorical_cross_entropy", "state_between_calls", answer=stateful(sparse))
bad("sparse_categorical_cross_entropy", "changed_input", answer=mutating(sparse, 1))


# --------------------------------------------------------------------------- softmax_cross_entropy

def log_softmax(z):
    z = np.asarray(z, float)
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


def sce(labels, logits):
    return np.mean(-log_softmax(logits)[np.arange(len(labels)), labels])


ok("softmax_cross_entropy", sce)
ok("softmax_cross_entropy", lambda l, z: np.mean(np.logaddexp.reduce(np.asarray(z, float), axis=1)
                                                 - np.asarray(z, float)[np.arange(len(l)), l]), "logaddexp.reduce")


@ok("softmax_cross_entropy")
def sce_loop(labels, logits):
    total = 0.0
    for k, row in zip(labels, np.asarray(logits, float)):
        m = row.max()
        total += m + np.log(np.sum(np.exp(row - m))) - row[k]
    return total / len(labels)


@ok("softmax_cross_entropy")
def sce_onehot(labels, logits):
    y = np.eye(np.shape(logits)[1])[labels]
    return float(-np.sum(y * log_softmax(logits)) / len(labels))


bad("softmax_cross_entropy", "missing_minus", answer=lambda l, z: -sce(l, z), label="no minus")
bad("softmax_cross_entropy", "forgot_mean", answer=lambda l, z: sce(l, z) * len(l), label="sum")
bad("softmax_cross_entropy", "logsumexp_forgot_max", answer=lambda l,
    z: np.mean(-(np.asarray(z) - np.log(np.exp(np.asarray(z)
    - np.max(z, 1, keepdims=True)).sum(1, keepdims=True)))[np.arange(len(l)), l]), label="forgot m")
bad("softmax_cross_entropy", "softmax_overflow", answer=lambda l, z: np.mean(-np.log((np.exp(z) / np.exp(z).sum(1,
                                                                                                                keepdims=True))
                                                                                    [np.arange(len(l)),
                                                                                     l])), label="naive")
bad("softmax_cross_entropy", "clipped_probabilities", "log_of_underflowed_probability",
    answer=lambda l, z: np.mean(-np.log(np.clip(np.exp(log_softmax(z))[np.arange(len(l)), l], EPS, 1))), label="clip")
bad("softmax_cross_entropy", "fancy_index_grid", answer=lambda l, z: np.mean(-log_softmax(z)[:, l]), label="grid")
bad("softmax_cross_entropy", "ignored_labels", answer=lambda l, z: np.mean(-np.max(log_softmax(z), axis=1)),
    label="max")
bad("softmax_cross_entropy", "softmax_wrong_axis", answer=lambda l,
    z: np.mean(-(np.asarray(z) - np.log(np.exp(z).sum(0, keepdims=True)))
                                                                               [np.arange(len(l)),
                                                                                l]), label="axis 0")
bad("softmax_cross_entropy", answer=lambda l, z: np.mean(np.max(z, axis=1) - np.asarray(z)[np.arange(len(l)), l]),
    label="max minus logit")
bad("softmax_cross_entropy", answer=lambda l, z: np.mean(-log_softmax(z)[np.arange(len(l)), np.asarray(l)[::-1]]),
    label="labels reversed")
bad("softmax_cross_entropy", "wrong_return_type", answer=in_a_list(sce))
bad("softmax_cross_entropy", answer=rounded(sce, 2))
bad("softmax_cross_entropy", "changed_input", answer=lambda l, z: (z.__isub__(z.max(axis=1, keepdims=True)), sce(l,
                                                                                                                 z))[1],
    label="z -= max")
bad("softmax_cross_entropy", "state_between_calls", answer=stateful(sce))


# --------------------------------------------------------------------------- value questions (lessons 04-05)

_B = (-np.log(0.8) - np.log(0.7)) / 2
for good in (_B, round(_B, 4), float(np.mean([-np.log(0.8), -np.log(0.7)])), "0.2899"):
    ok("bce_by_hand", good, f"bce by hand {good!r}")
for wrong, names in ((-_B, ("missing_minus",)), (2 * _B, ("forgot_mean",)), ((-np.log10(0.8) - np.log10(0.7)) / 2,
                                                                             ("log_base_10",)),
                     ((-np.log(0.8) - np.log(0.3)) / 2, ("ignored_label",)), (0.25, ()), (0.5, ())):
    bad("bce_by_hand", *names, answer=wrong, label=f"bce by hand {wrong!r}")
for good in ("c", "C", "(c)"):
    ok("which_loss_binary", good, f"which loss {good}")
for wrong, names in (("a", ("mse_for_classification",)), ("b", ("mae_for_classification",)), ("d",
                                                                                              ("huber_for_classification",))):
    bad("which_loss_binary", *names, answer=wrong, label=f"which loss {wrong}")
for good in (["B", "D", "A", "C"], "BDAC", ("b", "d", "a", "c"), "B, D, A, C"):
    ok("rank_by_loss", good, f"rank {good!r}")
for wrong, names in ((["C", "A", "D", "B"], ("reversed_ranking",)), (["B", "C", "D", "A"], ("ranked_by_confidence",)),
                     (["A", "B", "C", "D"], ()), (["B", "D", "C", "A"], ()), (["D", "B", "A", "C"], ())):
    bad("rank_by_loss", *names, answer=wrong, label=f"rank {wrong!r}")
