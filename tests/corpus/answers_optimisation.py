"""Learner answers for lesson 10: a momentum step, an Adam step, the valley race and the best epoch."""
import numpy as np

from .base import bad, ok


def _fresh(*arrays):
    return tuple(np.array(a, dtype=float, copy=True) for a in arrays)


# --------------------------------------------------------------------------- momentum_step

def momentum_step(w, v, grad, lr, momentum=0.9):
    v_new = momentum * v + grad
    return w - lr * v_new, v_new


ok("momentum_step", momentum_step)


@ok("momentum_step")
def momentum_step_copies(w, v, grad, lr, momentum=0.9):
    w_new, v_new = _fresh(w, v)
    v_new *= momentum
    v_new += grad
    w_new -= lr * v_new
    return w_new, v_new


@ok("momentum_step")
def momentum_step_numpy_calls(w, v, grad, lr, momentum=0.9):
    v_new = np.add(np.multiply(momentum, v), grad)
    return np.subtract(w, np.multiply(lr, v_new)), v_new


@ok("momentum_step")
def momentum_step_list_out(w, v, grad, lr, momentum=0.9):
    velocity = np.asarray(v, dtype=np.float64) * momentum + np.asarray(grad, dtype=np.float64)
    return [np.asarray(w, dtype=np.float64) - lr * velocity, velocity]  # a list of two arrays is fine too


ok("momentum_step", lambda w, v, g, lr, momentum=0.9: (w - lr * (momentum * v + g), momentum * v + g), "one line")

bad("momentum_step", "velocity_after_step", answer=lambda w, v, g, lr, momentum=0.9: (w - lr * v, momentum * v + g),
    label="old velocity")
bad("momentum_step", "momentum_sign_error", answer=lambda w, v, g, lr, momentum=0.9: (w + lr * (momentum * v + g),
                                                                                        momentum * v + g),
    label="plus lr v")
bad("momentum_step", "lr_applied_twice", answer=lambda w, v, g, lr, momentum=0.9: (
    w - lr * (momentum * v + lr * g), momentum * v + lr * g), label="lr in velocity and step")


@bad("momentum_step", "keras_velocity")
def momentum_step_keras(w, v, grad, lr, momentum=0.9):
    v = momentum * v - lr * grad
    return w + v, v


bad("momentum_step", "dampened_velocity", answer=lambda w, v, g, lr, momentum=0.9: (
    w - lr * (momentum * v + (1 - momentum) * g), momentum * v + (1 - momentum) * g), label="ema velocity")
bad("momentum_step", "velocity_ignored", answer=lambda w, v, g, lr, momentum=0.9: (w - lr * g, g.copy()),
    label="plain sgd")
bad("momentum_step", "wrong_default", answer=lambda w, v, g, lr, momentum=0.99: momentum_step(w, v, g, lr, momentum),
    label="default 0.99")


@bad("momentum_step", "changed_input")
def momentum_step_in_place(w, v, grad, lr, momentum=0.9):
    v *= momentum  # updates the caller's velocity
    v += grad
    return w - lr * v, v


@bad("momentum_step", "state_between_calls")
def momentum_step_global(w, v, grad, lr, momentum=0.9, _memory={}):
    old = _memory.get(np.shape(w), v)  # keeps its own velocity instead of the one passed in
    new = momentum * old + grad
    _memory[np.shape(w)] = new
    return w - lr * new, new


bad("momentum_step", answer=lambda w, v, g, lr, momentum=0.9: (w - lr * (momentum * v + g), v), label="v not returned new")
bad("momentum_step", answer=lambda w, v, g, lr, momentum=0.9: w - lr * (momentum * v + g), label="only w")
bad("momentum_step", answer=lambda w, v, g, lr, momentum=0.9: (w - momentum * v - lr * g, momentum * v - lr * g),
    label="nesterov-ish mix")
bad("momentum_step", answer=lambda w, v, g, lr, momentum=0.9: (momentum * v + g, w - lr * (momentum * v + g)),
    label="swapped outputs")


# --------------------------------------------------------------------------- adam_step

def adam_step(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    m_hat, v_hat = m / (1 - beta1 ** t), v / (1 - beta2 ** t)
    return w - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


ok("adam_step", adam_step)


@ok("adam_step")
def adam_step_torch_form(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * np.square(grad)
    step_size = lr / (1 - beta1 ** t)
    denom = np.sqrt(v_new) / np.sqrt(1 - beta2 ** t) + eps
    return w - step_size * m_new / denom, m_new, v_new


@ok("adam_step")
def adam_step_interpolated(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    w, m, v, g = (np.asarray(a, dtype=np.float64) for a in (w, m, v, grad))
    m_new = m + (1 - beta1) * (g - m)          # the same average, written as a move towards g
    v_new = v + (1 - beta2) * (g * g - v)
    return w - lr * (m_new / (1 - beta1 ** t)) / (np.sqrt(v_new / (1 - beta2 ** t)) + eps), m_new, v_new


@ok("adam_step")
def adam_step_copies(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    w_new, m_new, v_new = _fresh(w, m, v)
    m_new *= beta1
    m_new += (1 - beta1) * grad
    v_new *= beta2
    v_new += (1 - beta2) * grad * grad
    w_new -= lr * (m_new / (1 - beta1 ** t)) / (np.sqrt(v_new / (1 - beta2 ** t)) + eps)
    return w_new, m_new, v_new


def _adam(**bug):
    def step(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        b1, b2 = (beta2, beta1) if bug.get("swap") else (beta1, beta2)
        sq = grad if bug.get("no_square") else grad ** 2
        m = b1 * m + (1 - b1) * grad
        v = b2 * v + (1 - b2) * sq
        k = t + bug.get("shift", 0)
        m_hat, v_hat = (m, v) if bug.get("no_correction") else (m / (1 - b1 ** k), v / (1 - b2 ** k))
        denom = np.sqrt(v_hat + eps) if bug.get("eps_inside") else np.sqrt(v_hat) + eps
        return w - lr * m_hat / denom, m, v
    return step


bad("adam_step", "no_bias_correction", answer=_adam(no_correction=True), label="no correction")
bad("adam_step", "step_count_off_by_one", answer=_adam(shift=-1), label="t from 0")
bad("adam_step", "step_count_off_by_one", answer=_adam(shift=+1), label="t incremented again")
bad("adam_step", "eps_inside_sqrt", answer=_adam(eps_inside=True), label="eps inside")
bad("adam_step", "betas_swapped", answer=_adam(swap=True), label="swapped betas")
bad("adam_step", "squared_gradient_missing", answer=_adam(no_square=True), label="no square")


@bad("adam_step", "forgot_sqrt")
def adam_step_no_root(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    return w - lr * (m / (1 - beta1 ** t)) / (v / (1 - beta2 ** t) + eps), m, v


@bad("adam_step", "returned_corrected_moments")
def adam_step_keeps_hats(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m = (beta1 * m + (1 - beta1) * grad) / (1 - beta1 ** t)
    v = (beta2 * v + (1 - beta2) * grad ** 2) / (1 - beta2 ** t)
    return w - lr * m / (np.sqrt(v) + eps), m, v


@bad("adam_step", "ema_without_one_minus_beta")
def adam_step_sums(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + grad
    v = beta2 * v + grad ** 2
    return w - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v


@bad("adam_step", "changed_input")
def adam_step_in_place(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m *= beta1
    m += (1 - beta1) * grad
    v *= beta2
    v += (1 - beta2) * grad ** 2
    return w - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v


bad("adam_step", "wrong_default", answer=lambda w, m, v, g, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-7:
    adam_step(w, m, v, g, t, lr, beta1, beta2, eps), label="keras epsilon 1e-7")
bad("adam_step", answer=lambda w, m, v, g, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8: adam_step(
    w, m, v, g, t, lr, beta1, beta2, eps)[0], label="only w")
bad("adam_step", answer=lambda w, m, v, g, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8: (
    w - lr * np.sign(g), m, v), label="sign descent")
bad("adam_step", answer=lambda w, m, v, g, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8: (
    adam_step(w, m, v, g, t, lr, beta1, beta2, eps)[0], m, v), label="state not updated")


@bad("adam_step", "state_between_calls", "step_count_off_by_one")
def adam_step_own_counter(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8, _calls=[0]):
    _calls[0] += 1  # counts its own steps instead of using t
    return adam_step(w, m, v, grad, _calls[0], lr, beta1, beta2, eps)


# --------------------------------------------------------------------------- valley_race

ok("valley_race", (58, 34, 74), "the three counts")
ok("valley_race", [58, 34, 74], "as a list")
ok("valley_race", np.array([58.0, 34.0, 74.0]), "as an array")
ok("valley_race", lambda: (58, 34, 74), "a function returning them")
bad("valley_race", "counted_one_extra_step", answer=(59, 35, 75), label="counted after the step")
bad("valley_race", "counted_one_step_short", answer=(57, 33, 73), label="one short")
bad("valley_race", "distance_not_loss", answer=(94, 56, 113), label="distance to minimum")
bad("valley_race", answer=(34, 58, 74), label="sgd and momentum swapped")
bad("valley_race", answer=(40, 40, 40), label="the lesson's 40 steps")
bad("valley_race", answer="momentum", label="the winner's name")


# --------------------------------------------------------------------------- best_epoch

def best_epoch(train_loss, val_loss):
    return int(np.argmin(val_loss)) + 1


ok("best_epoch", best_epoch)


@ok("best_epoch")
def best_epoch_loop(train_loss, val_loss):
    best, best_value = 1, float("inf")
    for epoch, value in enumerate(val_loss, start=1):
        if value < best_value:
            best, best_value = epoch, value
    return best


ok("best_epoch", lambda train_loss, val_loss: list(val_loss).index(min(val_loss)) + 1, "list index")
ok("best_epoch", lambda train_loss, val_loss: int(np.flatnonzero(val_loss == np.min(val_loss))[0] + 1), "flatnonzero")
ok("best_epoch", lambda train_loss, val_loss: np.argmin(np.asarray(val_loss)) + 1, "numpy integer")

bad("best_epoch", "used_training_loss", answer=lambda tr, va: int(np.argmin(tr)) + 1, label="train loss")
bad("best_epoch", "zero_based_epoch", answer=lambda tr, va: int(np.argmin(va)), label="index")
bad("best_epoch", "returned_lowest_loss", answer=lambda tr, va: float(np.min(va)), label="the value")
bad("best_epoch", "highest_validation_loss", answer=lambda tr, va: int(np.argmax(va)) + 1, label="argmax")
bad("best_epoch", "returned_last_epoch", answer=lambda tr, va: len(va), label="last")


@bad("best_epoch", "stopped_at_first_rise")
def best_epoch_patience_zero(train_loss, val_loss):
    for epoch in range(1, len(val_loss)):
        if val_loss[epoch] > val_loss[epoch - 1]:
            return epoch
    return len(val_loss)


@bad("best_epoch")
def best_epoch_last_tie(train_loss, val_loss):
    values = np.asarray(val_loss)
    return int(np.flatnonzero(values == values.min())[-1]) + 1  # the latest of equal epochs


@bad("best_epoch", "changed_input")
def best_epoch_sorts(train_loss, val_loss):
    order = np.argsort(val_loss)
    val_loss.sort()  # sorts the caller's history
    return int(order[0]) + 1


bad("best_epoch", "wrong_return_type", answer=lambda tr, va: [int(np.argmin(va)) + 1], label="in a list")
bad("best_epoch", "smallest_gap", answer=lambda tr, va: int(np.argmin(np.asarray(va) - np.asarray(tr))) + 1,
    label="min of difference")


# --------------------------------------------------------------------------- more learner answers (hostile round)

@ok("momentum_step")
def momentum_step_float32(w, v, grad, lr, momentum=0.9):
    v_new = (momentum * v + grad).astype(np.float32)  # float32 results on float64 inputs are accurate enough
    return (w - lr * v_new).astype(np.float32), v_new


@ok("momentum_step")
def momentum_step_element_loop(w, v, grad, lr, momentum=0.9):
    v_new = momentum * np.asarray(v, dtype=float) + grad
    w_new = np.array([a - lr * b for a, b in zip(np.ravel(w), np.ravel(v_new))]).reshape(np.shape(w))
    return w_new, v_new


ok("momentum_step", lambda w, v, grad, lr, momentum=0.9, nesterov=False, **kwargs: (
    w - lr * (momentum * v + grad), momentum * v + grad), "extra keyword arguments")


@bad("momentum_step", "wrong_return_type")
def momentum_step_squeezed(w, v, grad, lr, momentum=0.9):
    v_new = momentum * v + grad
    return np.squeeze(w - lr * v_new), np.squeeze(v_new)  # shape (1,) becomes a 0-d array


@bad("momentum_step")
def momentum_step_nesterov(w, v, grad, lr, momentum=0.9):
    v_new = momentum * v + grad
    return w - lr * (grad + momentum * v_new), v_new


@ok("adam_step")
def adam_step_float32(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    w, m, v, grad = (np.asarray(a, dtype=np.float32) for a in (w, m, v, grad))
    return adam_step(w, m, v, grad, t, lr, beta1, beta2, eps)


@ok("adam_step")
def adam_step_element_loop(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    w2, m2, v2 = (np.array(a, dtype=float) for a in (w, m, v))
    for i in np.ndindex(np.shape(w)):
        g = float(grad[i])
        m2[i] = beta1 * m2[i] + (1 - beta1) * g
        v2[i] = beta2 * v2[i] + (1 - beta2) * g * g
        w2[i] -= lr * (m2[i] / (1 - beta1 ** t)) / ((v2[i] / (1 - beta2 ** t)) ** 0.5 + eps)
    return w2, m2, v2


@ok("adam_step")
def adam_step_numpy_power(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m = np.multiply(beta1, m) + np.multiply(1 - beta1, grad)
    v = np.multiply(beta2, v) + np.multiply(1 - beta2, np.power(grad, 2))
    m_hat, v_hat = m / (1 - np.power(beta1, float(t))), v / (1 - np.power(beta2, float(t)))
    return w - lr * np.divide(m_hat, np.sqrt(v_hat) + eps), m, v


@bad("adam_step", "eps_before_bias_correction")
def adam_step_paper_efficient_form(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    lr_t = lr * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return w - lr_t * m / (np.sqrt(v) + eps), m, v


@bad("adam_step", "eps_missing")
def adam_step_no_eps(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad ** 2
    return w - lr * (m / (1 - beta1 ** t)) / np.sqrt(v / (1 - beta2 ** t)), m, v


@bad("adam_step")
def adam_step_amsgrad(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = np.maximum(v, beta2 * v + (1 - beta2) * grad ** 2)  # AMSGrad keeps the running maximum
    return w - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m, v


@bad("adam_step")
def adam_step_old_moments(w, m, v, grad, t, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * grad ** 2
    return w - lr * (m / (1 - beta1 ** t)) / (np.sqrt(v / (1 - beta2 ** t)) + eps), m_new, v_new


bad("valley_race", answer=(58, 34, None), label="a run whose helper returned None")
bad("valley_race", answer=(58, 34, 200), label="adam stopped at the cap")
ok("valley_race", (np.int64(58), np.int64(34), np.int64(74)), "numpy integers")

bad("best_epoch", "wrong_return_type", answer=lambda tr, va: float(np.argmin(va) + 1), label="a float epoch")
bad("best_epoch", "wrong_return_type", answer=lambda tr, va: np.array(np.argmin(va) + 1), label="a 0-d array")
ok("best_epoch", lambda tr, va: min(range(len(va)), key=lambda i: va[i]) + 1, "min over range with key")
ok("best_epoch", lambda tr, va: sorted(enumerate(va, 1), key=lambda e: e[1])[0][0], "stable sort of (epoch, loss)")


@bad("best_epoch")
def best_epoch_patience(train_loss, val_loss, patience=2):
    best, best_i, wait = np.inf, 0, 0
    for i, value in enumerate(val_loss):
        if value < best:
            best, best_i, wait = value, i, 0
        else:
            wait += 1
            if wait >= patience:  # stops the scan early, as a training loop with patience would
                break
    return best_i + 1
