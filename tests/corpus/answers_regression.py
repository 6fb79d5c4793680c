"""Learner answers for lessons 02-03: mse, mse_grad, rmse, mae, mae_grad, huber and the value questions."""
import math

import numpy as np

from .base import (bad, checked, in_a_list, mutating, no_shape_check, ok, one_element_array, rounded, stateful,
                   with_assert, as_list)


def _arrays(y_true, y_pred):
    return np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)


# --------------------------------------------------------------------------- mse

def mse_formula(y, p):
    return np.mean((y - p) ** 2)


mse = checked(mse_formula)
ok("mse", mse, "mean of squares")


@ok("mse")
def mse_loop(y_true, y_pred):
    y, p = _arrays(y_true, y_pred)
    if y.shape != p.shape:
        raise ValueError("shapes must match")
    total = 0.0
    for a, b in zip(y.ravel(), p.ravel()):
        total += (a - b) ** 2
    return total / y.size


@ok("mse")
def mse_float32(y_true, y_pred):
    y, p = np.asarray(y_true, dtype=np.float32), np.asarray(y_pred, dtype=np.float32)
    if y.shape != p.shape:
        raise ValueError("shape mismatch")
    return np.float32(np.mean((p - y) ** 2))


@ok("mse")
def mse_dot(y_true, y_pred):
    y, p = _arrays(y_true, y_pred)
    if np.shape(y) != np.shape(p):
        raise ValueError(f"{y.shape} != {p.shape}")
    d = (y - p).ravel()
    return float(d @ d / d.size)


@ok("mse")
def mse_python_float(y_true, y_pred):
    y, p = _arrays(y_true, y_pred)
    if y.shape != p.shape:
        raise ValueError("y_true and y_pred need the same shape")
    return math.fsum(((y - p) ** 2).ravel().tolist()) / y.size


bad("mse", "forgot_mean", answer=checked(lambda y, p: np.sum((y - p) ** 2)), label="sum")
bad("mse", "divided_by_rows", answer=checked(lambda y, p: np.sum((y - p) ** 2) / len(y)), label="len rows")
bad("mse", "divided_by_n_minus_1", answer=checked(lambda y, p: np.sum((y - p) ** 2) / (y.size - 1)), label="n-1")
bad("mse", answer=checked(lambda y, p: np.median((y - p) ** 2)), label="median of squares")
bad("mse", answer=checked(lambda y, p: np.mean(np.abs(y - p) ** 3)), label="cubed")
bad("mse", answer=checked(lambda y, p: np.max((y - p) ** 2)), label="max of squares")
bad("mse", answer=checked(lambda y, p: np.mean((y - p)[..., 0] ** 2) if y.ndim > 1 else np.mean((y - p) ** 2)),
    label="first column only")
bad("mse", "wrong_return_type", answer=in_a_list(mse))
bad("mse", "wrong_return_type", answer=one_element_array(mse))
bad("mse", answer=rounded(mse, 2))
bad("mse", answer=rounded(mse, 4))
bad("mse", "wrong_exception", answer=with_assert(mse_formula))
bad("mse", "broadcast_trap", "missing_shape_check", answer=no_shape_check(mse_formula))
bad("mse", "changed_input", answer=mutating(mse))
bad("mse", "state_between_calls", answer=stateful(mse))
bad("mse", "half_mse", answer=checked(lambda y, p: np.mean((y - p) ** 2) / 2), label="half")
bad("mse", answer=checked(lambda y, p: np.mean(np.square(y - p), axis=0)), label="mean over axis 0")
bad("mse", answer=checked(lambda y, p: np.sum((y - p) ** 2) / (y.size + 1)), label="n+1")
bad("mse", "wrong_exception", answer=checked(mse_formula, TypeError))


# --------------------------------------------------------------------------- mse_grad

def mse_grad(y_true, y_pred):
    y, p = _arrays(y_true, y_pred)
    return 2 * (p - y) / p.size


ok("mse_grad", mse_grad)
ok("mse_grad", lambda y, p: -2.0 / np.size(p) * (np.asarray(y) - np.asarray(p)), "minus form")
ok("mse_grad", lambda y, p: np.asarray(2 * (np.asarray(p, np.float32) - np.asarray(y, np.float32)) / np.size(p)),
   "float32")


@ok("mse_grad")
def mse_grad_loop(y_true, y_pred):
    y, p = _arrays(y_true, y_pred)
    g = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        g[i] = 2 * (p[i] - y[i]) / p.size
    return g


bad("mse_grad", "grad_sign_error", answer=lambda y, p: 2 * (np.asarray(y) - np.asarray(p)) / np.size(p), label="sign")
bad("mse_grad", "grad_missing_2", answer=lambda y, p: (np.asarray(p) - np.asarray(y)) / np.size(p), label="no 2")
bad("mse_grad", "grad_missing_1_over_n", answer=lambda y, p: 2 * (np.asarray(p) - np.asarray(y)), label="no 1/n")
bad("mse_grad", "divided_by_rows", answer=lambda y, p: 2 * (np.asarray(p) - np.asarray(y)) / len(p), label="len")
bad("mse_grad", answer=lambda y, p: np.full(np.shape(p), 2 * np.mean(np.asarray(p) - np.asarray(y))),
    label="mean error broadcast")
bad("mse_grad", answer=lambda y, p: 2 * (np.asarray(p) - np.asarray(y)) / (np.size(p) - 1), label="n-1")
bad("mse_grad", "wrong_return_type", answer=as_list(mse_grad))
bad("mse_grad", answer=lambda y, p: (2 * (np.asarray(p) - np.asarray(y)) / np.size(p)).ravel(), label="flattened")
bad("mse_grad", answer=rounded(mse_grad, 3))
bad("mse_grad", "changed_input", answer=mutating(mse_grad))
bad("mse_grad", "state_between_calls", answer=stateful(mse_grad))
bad("mse_grad", answer=lambda y, p: 2 * (np.asarray(p) - np.asarray(y)) ** 2 / np.size(p), label="squared")
bad("mse_grad", answer=lambda y, p: 2 * np.abs(np.asarray(p) - np.asarray(y)) / np.size(p), label="abs")


# --------------------------------------------------------------------------- rmse

def rmse(y_true, y_pred):
    return float(np.sqrt(mse(y_true, y_pred)))


ok("rmse", rmse)
ok("rmse", lambda y, p: np.sqrt(np.mean((np.asarray(y) - np.asarray(p)) ** 2)), "numpy sqrt")
ok("rmse", lambda y, p: math.sqrt(np.mean(np.square(np.subtract(y, p)))), "math.sqrt")
ok("rmse", lambda y, p: np.mean((np.asarray(y, float) - np.asarray(p, float)) ** 2) ** 0.5, "power half")
ok("rmse", lambda y, p: np.linalg.norm(np.asarray(y, float) - np.asarray(p, float)) / np.sqrt(np.size(y)), "norm")
bad("rmse", "forgot_sqrt", answer=lambda y, p: np.mean((np.asarray(y) - np.asarray(p)) ** 2), label="mse")
bad("rmse", "sqrt_before_mean", answer=lambda y, p: np.mean(np.sqrt((np.asarray(y) - np.asarray(p)) ** 2)),
    label="mean of roots")
bad("rmse", "forgot_mean", answer=lambda y, p: np.sqrt(np.sum((np.asarray(y) - np.asarray(p)) ** 2)), label="sum")
bad("rmse", "divided_by_rows", answer=lambda y, p: np.sqrt(np.sum((np.asarray(y) - np.asarray(p)) ** 2) / len(y)),
    label="len")
bad("rmse", "forgot_mean", answer=lambda y, p: np.linalg.norm(np.asarray(y, float) - np.asarray(p, float)),
    label="plain norm")
bad("rmse", answer=lambda y, p: np.sqrt(np.mean(np.abs(np.asarray(y) - np.asarray(p)))), label="sqrt of mae")
bad("rmse", answer=lambda y, p: np.sqrt(np.mean((np.asarray(y) - np.asarray(p)) ** 2)) / 2, label="halved")
bad("rmse", "wrong_return_type", answer=in_a_list(rmse))
bad("rmse", answer=rounded(rmse, 2))
bad("rmse", "state_between_calls", answer=stateful(rmse))
bad("rmse", "changed_input", answer=mutating(rmse, 0))


# --------------------------------------------------------------------------- mae

def mae_formula(y, p):
    return np.mean(np.abs(y - p))


mae = checked(mae_formula)
ok("mae", mae, "mean abs")
ok("mae", checked(lambda y, p: np.mean(np.where(p > y, p - y, y - p))), "np.where")
ok("mae", checked(lambda y, p: float(np.sum(np.abs(p - y)) / p.size)), "sum over size")
ok("mae", checked(lambda y, p: np.mean(np.sqrt((y - p) ** 2))), "sqrt of square")


@ok("mae")
def mae_loop(y_true, y_pred):
    y, p = _arrays(y_true, y_pred)
    if y.shape != p.shape:
        raise ValueError("different shapes")
    return sum(abs(a - b) for a, b in zip(y.flat, p.flat)) / y.size


bad("mae", "forgot_abs", answer=checked(lambda y, p: np.mean(y - p)), label="no abs")
bad("mae", "used_square", answer=checked(lambda y, p: np.mean((y - p) ** 2)), label="squared")
bad("mae", "forgot_mean", answer=checked(lambda y, p: np.sum(np.abs(y - p))), label="sum")
bad("mae", "divided_by_rows", answer=checked(lambda y, p: np.sum(np.abs(y - p)) / len(y)), label="len")
bad("mae", "forgot_abs", answer=checked(lambda y, p: np.abs(np.mean(y - p))), label="abs of mean")
bad("mae", answer=checked(lambda y, p: np.median(np.abs(y - p))), label="median")
bad("mae", answer=checked(lambda y, p: np.mean(np.abs(y - p)) * 2), label="doubled")
bad("mae", "wrong_exception", answer=with_assert(mae_formula))
bad("mae", "broadcast_trap", "missing_shape_check", answer=no_shape_check(mae_formula))
bad("mae", "wrong_return_type", answer=one_element_array(mae))
bad("mae", answer=rounded(mae, 1))
bad("mae", "changed_input", answer=mutating(mae))
bad("mae", "state_between_calls", answer=stateful(mae))
bad("mae", answer=checked(lambda y, p: np.mean(np.abs(y - p), axis=-1)), label="per row")


# --------------------------------------------------------------------------- mae_grad

def mae_grad(y_true, y_pred):
    y, p = _arrays(y_true, y_pred)
    return np.sign(p - y) / p.size


ok("mae_grad", mae_grad)
ok("mae_grad", lambda y, p: np.where(np.asarray(p) > y, 1.0, np.where(np.asarray(p) < y, -1.0, 0.0)) / np.size(p),
   "nested where")
ok("mae_grad", lambda y, p: -np.sign(np.asarray(y, float) - np.asarray(p, float)) / np.size(y), "minus sign of y-p")


@ok("mae_grad")
def mae_grad_loop(y_true, y_pred):
    y, p = _arrays(y_true, y_pred)
    g = np.empty_like(p)
    for i in np.ndindex(p.shape):
        d = p[i] - y[i]
        g[i] = int(d > 0) - int(d < 0)
    return g / p.size


bad("mae_grad", "grad_sign_error", answer=lambda y, p: np.sign(np.asarray(y) - np.asarray(p)) / np.size(p),
    label="sign")
bad("mae_grad", "grad_missing_1_over_n", answer=lambda y, p: np.sign(np.asarray(p) - np.asarray(y)), label="no 1/n")
bad("mae_grad", "grad_used_square", answer=lambda y, p: 2 * (np.asarray(p) - np.asarray(y)) / np.size(p),
    label="mse grad")
bad("mae_grad", "kink_not_zero", answer=lambda y, p: np.where(np.asarray(p) >= y, 1.0, -1.0) / np.size(p), label=">=")
bad("mae_grad", "divided_by_rows", answer=lambda y, p: np.sign(np.asarray(p) - np.asarray(y)) / len(p), label="len")
bad("mae_grad", answer=lambda y, p: np.sign(np.asarray(p) - np.asarray(y)) / (2 * np.size(p)), label="halved")
bad("mae_grad", answer=lambda y, p: np.abs(np.sign(np.asarray(p) - np.asarray(y))) / np.size(p), label="abs sign")
bad("mae_grad", "wrong_return_type", answer=as_list(mae_grad))
bad("mae_grad", "changed_input", answer=mutating(mae_grad))
bad("mae_grad", "state_between_calls", answer=stateful(mae_grad))
bad("mae_grad", answer=lambda y, p: np.tanh(10 * (np.asarray(p) - np.asarray(y))) / np.size(p), label="smooth sign")


# --------------------------------------------------------------------------- huber

def huber(y_true, y_pred, delta=1.0):
    d = np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)
    a = np.abs(d)
    return np.mean(np.where(a <= delta, 0.5 * d ** 2, delta * (a - 0.5 * delta)))


ok("huber", huber)


@ok("huber")
def huber_loop(y_true, y_pred, delta=1.0):
    total = 0.0
    for t, p in zip(np.ravel(y_true), np.ravel(y_pred)):
        e = abs(p - t)
        total += 0.5 * e * e if e <= delta else delta * e - 0.5 * delta * delta
    return total / np.size(y_true)


@ok("huber")
def huber_minimum(y_true, y_pred, delta=1.0):
    a = np.abs(np.asarray(y_true, float) - np.asarray(y_pred, float))
    q = np.minimum(a, delta)
    return float(np.mean(0.5 * q ** 2 + delta * (a - q)))


@ok("huber")
def huber_mask(y_true, y_pred, delta=1.0):
    d = np.asarray(y_true, float) - np.asarray(y_pred, float)
    small = np.abs(d) < delta
    out = delta * (np.abs(d) - delta / 2)
    out[small] = 0.5 * d[small] ** 2
    return out.mean()


def _huber_bad(small, large, signed=False):
    def h(y_true, y_pred, delta=1.0):
        d = np.asarray(y_pred, float) - np.asarray(y_true, float)
        a = np.abs(d)
        return np.mean(np.where((d if signed else a) <= delta, small(d, delta), large(a, delta)))
    return h


bad("huber", "huber_missing_half", answer=_huber_bad(lambda d, t: d * d, lambda a, t: t * (a - 0.5 * t)),
    label="no half")
bad("huber", "huber_no_offset", answer=_huber_bad(lambda d, t: 0.5 * d * d, lambda a, t: t * a), label="no offset")
bad("huber", "huber_linear_is_mae", answer=_huber_bad(lambda d, t: 0.5 * d * d, lambda a, t: a), label="mae part")
bad("huber", "huber_signed_threshold", answer=_huber_bad(lambda d, t: 0.5 * d * d, lambda a, t: t * (a - 0.5 * t),
                                                         signed=True), label="signed threshold")
bad("huber", "huber_ignored_delta", answer=lambda y, p, delta=1.0: huber(y, p), label="ignores delta")
bad("huber", "wrong_default", answer=lambda y, p, delta=2.0: huber(y, p, delta), label="default 2")
bad("huber", "wrong_default", answer=lambda y, p, delta: huber(y, p, delta), label="no default")
bad("huber", answer=_huber_bad(lambda d, t: 0.5 * d * d, lambda a, t: t * (a - t)), label="offset delta")
bad("huber", answer=lambda y, p, delta=1.0: np.sum(np.where(np.abs(np.subtract(p, y)) <= delta,
                                                             0.5 * np.subtract(p, y) ** 2,
                                                             delta * (np.abs(np.subtract(p,
                                                                                         y)) - delta / 2))) / len(y),
    label="len rows")
bad("huber", "smooth_l1", answer=_huber_bad(lambda d, t: 0.5 * d * d / t, lambda a, t: a - 0.5 * t),
    label="scaled by delta")
bad("huber", answer=rounded(huber, 3))
bad("huber", "wrong_return_type", answer=in_a_list(huber))
bad("huber", "state_between_calls", answer=stateful(huber))
bad("huber", "changed_input", answer=mutating(huber, 1))
bad("huber", answer=lambda y, p, delta=1.0: float(np.median(np.where(np.abs(np.subtract(p, y)) <= delta,
                                                                     0.5 * np.subtract(p, y) ** 2,
                                                                     delta * (np.abs(np.subtract(p,
                                                                                                 y)) - delta / 2)))),
    label="median")

# --------------------------------------------------------------------------- value questions (lessons 02-03)

for good in (400, 400.0, np.float64(400.0), "400", (lambda: 20 ** 2)):
    ok("mse_by_hand", good, f"mse_by_hand {good!r}")
for wrong, names in ((20, ("forgot_square",)), (-20, ("forgot_square",)), (200, ("half_mse",)), (40, ()),
                     (4000, ()), (8100, ()), (100, ())):
    bad("mse_by_hand", *names, answer=wrong, label=f"mse_by_hand {wrong}")

for good in ((100, 10), (100.0, 10.0), [100, 10], np.array([100.0, 10.0])):
    ok("mse_penalty_ratio", good, f"ratio {good!r}")
for wrong, names in (((10, 100), ("swapped_pair",)), ((10, 10), ("forgot_square",)), ((100, 100), ("used_square",)),
                     ((1000, 10), ()), ((100, 1), ()), ((50, 10), ())):
    bad("mse_penalty_ratio", *names, answer=wrong, label=f"ratio {wrong}")

for good in ((27, 16), (27.0, 16.0), [27, 16]):
    ok("best_constant", good, f"best {good!r}")
for wrong, names in (((16, 27), ("swapped_pair",)), ((27, 27), ("mean_for_both",)), ((16, 16), ("median_for_both",)),
                     ((15, 15), ("dropped_outlier",)), ((27, 17), ()), ((26, 16), ())):
    bad("best_constant", *names, answer=wrong, label=f"best {wrong}")

for good in ((4, 2, 10, 1), (4.0, 2.0, 10.0, 1.0)):
    ok("medical_numbers", good, f"medical {good!r}")
for wrong, names in (((40, 20, 100, 10), ("forgot_mean",)), ((2, 4, 1, 10), ("swapped_pair",)), ((4, 2, 100, 10), ()),
                     ((4, 2, 10, 10), ())):
    bad("medical_numbers", *names, answer=wrong, label=f"medical {wrong}")

for good in ("a", "A", "(a)", " a "):
    ok("medical_choice", good, f"medical choice {good!r}")
for wrong, names in (("d", ("swapped_pair",)), ("b", ("mae_prefers_a",)), ("c", ("mse_prefers_b",)), ("e", ())):
    bad("medical_choice", *names, answer=wrong, label=f"medical choice {wrong}")
