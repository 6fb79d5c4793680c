"""Checks for lesson 10's exercises: one momentum step, one Adam step, a race on the valley, the best epoch.

Exercise ids (solution notebook: 10_optimisers):

    momentum_step   momentum_step(w, v, grad, lr, momentum=0.9) -> (w_new, v_new)         PyTorch's form
    adam_step       adam_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8)
                    -> (w_new, m_new, v_new), t = number of this step (1 on the first)   torch.optim.Adam
    valley_race     steps each optimiser needs on the lesson's valley to reach a loss below 0.01
    best_epoch      best_epoch(train_loss, val_loss) -> epoch (from 1) of the lowest validation loss

The step functions return *new* state (the caller's arrays are never updated in place), so the check
passes them read-only arrays: ``m *= beta1`` is reported as a changed input. The references below are small
NumPy formulas written here, independent of ``lessons_lib.optimizers`` (a test holds the two equal).
"""
import numpy as np

from . import probes as rp
from .diagnosis import Contract, Misconception, Probe, compare_value, diagnose_function
from .parts import diagnose_parts, split_by_part
from .registry import register

# --------------------------------------------------------------------------- momentum


def _momentum(w, v, grad, lr, momentum=0.9, *, how="right"):
    """One momentum step; ``how`` builds the wrong versions learners write."""
    w, v, g = (np.asarray(a, dtype=np.float64) for a in (w, v, grad))
    mu = momentum
    if how == "after":          # steps with the old velocity, then updates it
        return w - lr * v, mu * v + g
    if how == "ascent":
        v_new = mu * v + g
        return w + lr * v_new, v_new
    if how == "minus_g":        # the velocity collects -g, and the step still subtracts it
        v_new = mu * v - g
        return w - lr * v_new, v_new
    if how == "lr_twice":
        v_new = mu * v + lr * g
        return w - lr * v_new, v_new
    if how == "keras":
        v_new = mu * v - lr * g
        return w + v_new, v_new
    if how == "dampened":
        v_new = mu * v + (1.0 - mu) * g
        return w - lr * v_new, v_new
    if how == "scaled_g":
        v_new = v + mu * g
        return w - lr * v_new, v_new
    if how == "no_memory":
        return w - lr * g, g.copy()
    v_new = mu * v + g
    return w - lr * v_new, v_new


def ref_momentum_step(w, v, grad, lr, momentum=0.9):
    """One SGD-with-momentum step in PyTorch's form (lesson 10): v_new = momentum v + grad, w_new = w - lr v_new.

    w, v, grad: arrays of one shape; returns (w_new, v_new), new arrays of that shape.
    """
    return _momentum(w, v, grad, lr, momentum)


def _wrong_momentum(how):
    return lambda w, v, grad, lr, momentum=0.9: _momentum(w, v, grad, lr, momentum, how=how)


MOMENTUM_MISCONCEPTIONS = [
    Misconception("velocity_after_step",
                  "You moved w with the old velocity and updated v afterwards. The new gradient joins the velocity "
                  "first (v_new = momentum * v + grad), and the step uses that new velocity.",
                  _wrong_momentum("after")),
    Misconception("momentum_sign_error",
                  "A sign is wrong: with v_new = momentum * v + grad, the weights move against the velocity, "
                  "w_new = w - lr * v_new; otherwise the run climbs the loss.",
                  _wrong_momentum("ascent"), variants=(_wrong_momentum("minus_g"),)),
    Misconception("lr_applied_twice",
                  "The learning rate is applied twice: once when the gradient joins the velocity and again in "
                  "the step. In this form the velocity collects plain gradients; lr appears only in the step.",
                  _wrong_momentum("lr_twice")),
    Misconception("keras_velocity",
                  "You used the Keras convention, where the velocity already contains lr (v = momentum v - lr g, "
                  "w = w + v). The exercise uses the lesson's form (PyTorch's): the velocity collects plain "
                  "gradients and the step is w - lr * v_new, so the v you are given means something else.",
                  _wrong_momentum("keras")),
    Misconception("dampened_velocity",
                  "You averaged the gradient into the velocity with weight (1 - momentum), as Adam does for m. "
                  "Momentum adds the whole gradient: v_new = momentum * v + grad.",
                  _wrong_momentum("dampened")),
    Misconception("momentum_scales_gradient",
                  "You multiplied the new gradient by the momentum and kept all of the old velocity. It is the other "
                  "way round: the old velocity fades by the momentum factor and the gradient is added in full.",
                  _wrong_momentum("scaled_g")),
    Misconception("velocity_ignored",
                  "Your step ignores the velocity: that is plain gradient descent. Add the gradient to the faded "
                  "velocity first and step with the result.",
                  _wrong_momentum("no_memory")),
]

MOMENTUM_PARTS = split_by_part(("w_new", "v_new"), MOMENTUM_MISCONCEPTIONS)

_A = np.array
MOMENTUM_PROBES = [  # nonzero v and momentum not 0.9 in the first: every mistake gives other numbers
    Probe({"w": _A([1.0, -2.0, 0.5]), "v": _A([0.4, -0.2, 1.5]), "grad": _A([0.3, 1.0, -0.6]), "lr": 0.1,
           "momentum": 0.8}),
    Probe({"w": _A([[0.2, -0.7], [1.1, 3.0]]), "v": _A([[0.0, 0.0], [0.0, 0.0]]), "grad": _A([[1.5, -2.0],
                                                                                               [0.25, 0.0]]),
           "lr": 0.05, "momentum": 0.9}),
    Probe({"w": _A([-4.0]), "v": _A([2.5]), "grad": _A([-1.0]), "lr": 0.3}, omitted=("momentum",)),
]


def _momentum_random(rng):
    out = []
    for i, (shape, dtype) in enumerate(rp.shapes()):
        inputs = {"w": rng.normal(0.0, 2.0, size=shape).astype(dtype),
                  "v": rng.normal(0.0, 1.0, size=shape).astype(dtype),
                  "grad": rng.normal(0.0, 3.0, size=shape).astype(dtype),
                  "lr": float(np.round(rng.uniform(0.005, 0.3), 4))}
        if i % 2:
            out.append(rp.probe(inputs, omitted=("momentum",)))
        else:
            out.append(rp.probe({**inputs, "momentum": float(np.round(rng.uniform(0.3, 0.99), 3))}))
    return out


MOMENTUM_CONTRACT = Contract(defaults={"momentum": 0.9}, random=_momentum_random, seed=1001)


@register("momentum_step", title="One step of gradient descent with momentum", points=2,
          misconceptions=MOMENTUM_MISCONCEPTIONS, contract=MOMENTUM_CONTRACT, hints=[
    "Two lines: first the new velocity from the old one and the gradient, then the new weights from the new "
    "velocity. Return both, as new arrays.",
    "The old velocity fades by the factor momentum and the whole gradient is added to it; the weights then "
    "move lr times that velocity, downhill.",
    "Test by hand: w = [1], v = [2], grad = [1], lr = 0.1, momentum = 0.5 gives v_new = [2] and w_new = [0.8].",
])
def check_momentum_step(submission):
    """momentum_step(w, v, grad, lr, momentum=0.9) returns PyTorch's (w_new, v_new) without touching its inputs."""
    return diagnose_parts(submission, ref_momentum_step, MOMENTUM_PROBES, MOMENTUM_PARTS, "momentum_step",
                           contract=MOMENTUM_CONTRACT)


# --------------------------------------------------------------------------- Adam

def _adam(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, *, how="right"):
    """One Adam step; ``how`` builds the wrong versions learners write."""
    w, m, v, g = (np.asarray(a, dtype=np.float64) for a in (w, m, v, grad))
    b1, b2 = (beta2, beta1) if how == "swapped" else (beta1, beta2)
    g2 = {"not_squared": g, "abs": np.abs(g)}.get(how, g * g)
    if how == "no_one_minus":
        m_new, v_new = b1 * m + g, b2 * v + g2
    else:
        m_new, v_new = b1 * m + (1.0 - b1) * g, b2 * v + (1.0 - b2) * g2
    k = {"t_minus_1": t - 1, "t_plus_1": t + 1}.get(how, t)
    if how == "no_correction":
        m_hat, v_hat = m_new, v_new
    else:
        m_hat, v_hat = m_new / (1.0 - b1 ** k), v_new / (1.0 - b2 ** k)
    if how == "eps_before_correction":  # the Adam paper's "efficient" form: eps joins sqrt(v) before the correction
        return (w - lr * np.sqrt(1.0 - b2 ** k) / (1.0 - b1 ** k) * m_new / (np.sqrt(v_new) + eps)), m_new, v_new
    if how == "eps_inside":
        denom = np.sqrt(v_hat + eps)
    elif how == "no_eps":
        denom = np.sqrt(v_hat)
    elif how == "no_sqrt":
        denom = v_hat + eps
    else:
        denom = np.sqrt(v_hat) + eps
    w_new = w - lr * m_hat / denom
    if how == "kept_hats":
        return w_new, m_hat, v_hat
    return w_new, m_new, v_new


def ref_adam_step(w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step with bias correction, as torch.optim.Adam (lesson 10). t: number of this step, from 1.

    m_new = beta1 m + (1 - beta1) g;  v_new = beta2 v + (1 - beta2) g**2;
    w_new = w - lr m_hat / (sqrt(v_hat) + eps),  m_hat = m_new / (1 - beta1**t),  v_hat = v_new / (1 - beta2**t).
    Returns (w_new, m_new, v_new): the *uncorrected* averages are the state carried to the next step.
    """
    return _adam(w, m, v, grad, t, lr, beta1, beta2, eps)


def _wrong_adam(how):
    return lambda w, m, v, grad, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8: _adam(
        w, m, v, grad, t, lr, beta1, beta2, eps, how=how)


ADAM_MISCONCEPTIONS = [
    Misconception("no_bias_correction",
                  "You stepped with m and v themselves. Both averages start at 0 and are too small early on: "
                  "divide them by (1 - beta1**t) and (1 - beta2**t) before the step.",
                  _wrong_adam("no_correction")),
    Misconception("step_count_off_by_one",
                  "Your bias correction uses another step number than t. t is the number of the step being taken "
                  "(1 on the very first step, when 1 - beta1**t = 1 - beta1); a counter that starts at 0 "
                  "divides by zero on the first step.",
                  _wrong_adam("t_minus_1"), variants=(_wrong_adam("t_plus_1"),)),
    Misconception("eps_inside_sqrt",
                  "You put eps inside the square root, sqrt(v_hat + eps). Adam adds it after the root: "
                  "sqrt(v_hat) + eps; with small gradients the two differ a lot.",
                  _wrong_adam("eps_inside")),
    Misconception("eps_before_bias_correction",
                  "You added eps to sqrt(v) before the bias correction, as in the Adam paper's 'efficient' form "
                  "lr * sqrt(1 - beta2**t) / (1 - beta1**t) * m / (sqrt(v) + eps). That scales eps by "
                  "1 / sqrt(1 - beta2**t), a large factor in the first steps; the exercise's formula (and "
                  "torch.optim.Adam) adds eps to sqrt(v_hat), after the correction.",
                  _wrong_adam("eps_before_correction")),
    Misconception("eps_missing",
                  "Your step has no eps: it divides by sqrt(v_hat) alone (or your eps is too small to matter, e.g. eps**2 "
                  "inside the root). The formula adds eps to the root, "
                  "m_hat / (sqrt(v_hat) + eps); that changes the step when gradients are tiny (and avoids 0 / 0 "
                  "for a weight whose gradients are all zero).",
                  _wrong_adam("no_eps")),
    Misconception("betas_swapped",
                  "beta1 and beta2 are swapped: beta1 (0.9) belongs to the average of gradients m, beta2 (0.999) "
                  "to the average of squared gradients v.",
                  _wrong_adam("swapped")),
    Misconception("squared_gradient_missing",
                  "v must average the *squared* gradient, grad**2; you averaged the gradient itself (or its "
                  "absolute value).",
                  _wrong_adam("not_squared"), variants=(_wrong_adam("abs"),)),
    Misconception("forgot_sqrt",
                  "You divided by v_hat instead of its square root. v averages squared gradients, so sqrt(v_hat) "
                  "is on the scale of the gradient and m_hat / sqrt(v_hat) is about +-1.",
                  _wrong_adam("no_sqrt")),
    Misconception("ema_without_one_minus_beta",
                  "Your running averages add the whole new term (m = beta1 m + g). An exponential average weighs "
                  "it by (1 - beta): m = beta1 m + (1 - beta1) g, and likewise for v.",
                  _wrong_adam("no_one_minus")),
    Misconception("returned_corrected_moments",
                  "You returned the bias-corrected m_hat and v_hat as the new state. The state carried to the "
                  "next step is the plain running averages m and v; the correction is recomputed at each step "
                  "from t.",
                  _wrong_adam("kept_hats")),
]

ADAM_PARTS = split_by_part(("w_new", "m_new", "v_new"), ADAM_MISCONCEPTIONS)

ADAM_PROBES = [
    # a later step with non-default settings: every catalogued mistake gives other numbers here
    Probe({"w": _A([0.5, -1.2, 2.0]), "m": _A([0.1, -0.3, 0.05]), "v": _A([0.04, 0.2, 0.01]),
           "grad": _A([0.3, -0.8, 1.5]), "t": 3, "lr": 0.01, "beta1": 0.8, "beta2": 0.99, "eps": 1e-3}),
    # the first step from a zero state: each weight moves by lr against the sign of its gradient
    Probe({"w": _A([[1.0, -2.0], [0.5, 0.0]]), "m": np.zeros((2, 2)), "v": np.zeros((2, 2)),
           "grad": _A([[4.0, -20.0], [0.01, -0.5]]), "t": 1, "lr": 0.1}, omitted=("beta1", "beta2", "eps")),
    # tiny gradients: where eps placement matters
    Probe({"w": _A([0.3, -0.3]), "m": _A([2e-6, -1e-6]), "v": _A([1e-11, 4e-12]), "grad": _A([1e-5, -3e-5]),
           "t": 12, "lr": 0.001}, omitted=("beta1", "beta2", "eps")),
]


def _adam_random(rng):
    out = []
    for i, (shape, dtype) in enumerate(rp.shapes()):
        inputs = {"w": rng.normal(0.0, 1.5, size=shape).astype(dtype),
                  "m": rng.normal(0.0, 0.3, size=shape).astype(dtype),
                  "v": rng.uniform(0.01, 0.6, size=shape).astype(dtype),
                  "grad": rng.normal(0.0, 1.0, size=shape).astype(dtype),
                  "t": int(rng.integers(1, 60))}
        if i % 3 == 0:
            out.append(rp.probe(inputs, omitted=("lr", "beta1", "beta2", "eps")))
        elif i % 3 == 1:
            out.append(rp.probe({**inputs, "lr": float(np.round(rng.uniform(1e-3, 0.2), 4))},
                                omitted=("beta1", "beta2", "eps")))
        else:
            out.append(rp.probe({**inputs, "lr": float(np.round(rng.uniform(1e-3, 0.2), 4)),
                                 "beta1": float(np.round(rng.uniform(0.5, 0.95), 3)),
                                 "beta2": float(np.round(rng.uniform(0.9, 0.9999), 4)),
                                 "eps": float(10.0 ** rng.integers(-8, -2))}))
    return out


ADAM_CONTRACT = Contract(defaults={"lr": 1e-3, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, random=_adam_random,
                         seed=1002)


@register("adam_step", title="One Adam step with bias correction", points=3, misconceptions=ADAM_MISCONCEPTIONS,
          contract=ADAM_CONTRACT, hints=[
    "Four stages: update the two running averages, correct them for their zero start, combine them into the "
    "step, move w. Return the new w and the *uncorrected* new averages.",
    "The average of gradients uses beta1 and the average of squared gradients beta2; the correction divides by "
    "1 - beta**t, with t the number of this step (1 on the first call).",
    "Check the first step from m = v = 0: whatever the gradient, each weight moves by almost exactly lr, "
    "against the sign of its gradient. eps is added after the square root.",
])
def check_adam_step(submission):
    """adam_step(w, m, v, grad, t, ...) returns torch.optim.Adam's (w_new, m_new, v_new) without touching its inputs."""
    return diagnose_parts(submission, ref_adam_step, ADAM_PROBES, ADAM_PARTS, "adam_step", contract=ADAM_CONTRACT)


# --------------------------------------------------------------------------- the race on the valley

VALLEY_STEEPNESS = 25.0
VALLEY_START = (-9.0, 1.2)
VALLEY_TOL = 1e-2
VALLEY_MAX_STEPS = 200
VALLEY_SETTINGS = {"sgd": {"lr": 0.07, "momentum": 0.0}, "momentum": {"lr": 0.03, "momentum": 0.8},
                   "adam": {"lr": 0.3}}
"""The lesson's race (section 4): one start, one tolerance on the loss, each optimiser with its own settings."""


def _valley_loss(w):
    return 0.5 * (w[0] ** 2 + VALLEY_STEEPNESS * w[1] ** 2)


def _valley_grad(w):
    return np.array([w[0], VALLEY_STEEPNESS * w[1]])


def _steps_to_tol(name, *, momentum_how="right", adam_how="right", measure=_valley_loss):
    """The number of steps after which ``measure`` is first below the tolerance (None: not within the cap)."""
    w = np.array(VALLEY_START)
    state = (np.zeros(2), np.zeros(2))
    for k in range(VALLEY_MAX_STEPS + 1):  # each step needs the previous one: the loop is inherent
        if measure(w) < VALLEY_TOL:  # a run that never gets there (or diverges) is None
            return k
        s = VALLEY_SETTINGS[name]
        if name == "adam":
            w, *state = _adam(w, state[0], state[1], _valley_grad(w), k + 1, s["lr"], how=adam_how)
        else:
            w, v = _momentum(w, state[0], _valley_grad(w), s["lr"], s["momentum"], how=momentum_how)
            state = (v, state[1])
    return None


def valley_race(**how):
    """(steps for SGD, momentum, Adam) to bring the valley loss below ``VALLEY_TOL``; see ``_steps_to_tol``."""
    return tuple(_steps_to_tol(name, **how) for name in ("sgd", "momentum", "adam"))


VALLEY_RACE = valley_race()
_RACE = np.array(VALLEY_RACE, dtype=float)
VALLEY_RACE_WRONG = [
    Misconception("counted_one_extra_step",
                  "Each count is one too high: count the steps taken, so a start already below the tolerance "
                  "would count 0 (check the loss before each step, not after it).", tuple(_RACE + 1)),
    Misconception("counted_one_step_short",
                  "Each count is one too low: count every update made before the first reading of the loss that is "
                  "below the tolerance.", tuple(_RACE - 1)),
    Misconception("distance_not_loss",
                  "You stopped when the *distance* to the minimum fell below 0.01; the tolerance is on the loss "
                  "L(w1, w2).", valley_race(measure=lambda w: float(np.hypot(w[0], w[1])))),
    Misconception("dampened_momentum_run",
                  "Your momentum count comes from a velocity that averages the gradient with weight (1 - momentum); "
                  "the lesson's velocity adds the whole gradient (check momentum_step first).",
                  (VALLEY_RACE[0], _steps_to_tol("momentum", momentum_how="dampened"), VALLEY_RACE[2])),
    Misconception("adam_step_number_ahead",
                  "Your Adam run passes a step number one too high: t must be 1 on the first step, 2 on the "
                  "second, and so on.",
                  (VALLEY_RACE[0], VALLEY_RACE[1], _steps_to_tol("adam", adam_how="t_plus_1"))),
]


@register("valley_race", title="Which optimiser reaches the bottom of the valley first?", points=2,
          misconceptions=VALLEY_RACE_WRONG, hints=[
    "Start each run from the same point with a zero velocity (and zero averages for Adam); plain SGD is your "
    "momentum step with momentum = 0.",
    "Before each step, compute the loss at the current point; stop and record the number of steps taken as "
    "soon as it is below 0.01.",
    "Adam's step number t is 1 on the first step. A run that starts below the tolerance needs 0 steps.",
])
def check_valley_race(submission):
    """The three step counts (SGD, momentum, Adam) on the lesson's valley."""
    return compare_value(submission, VALLEY_RACE, VALLEY_RACE_WRONG, rtol=0, atol=0.01,
                         what="(steps for SGD, momentum, Adam)", explanation=(
        f"Momentum gets there first ({VALLEY_RACE[1]} steps): it builds up speed along the gentle floor. "
        f"Plain SGD crawls along it ({VALLEY_RACE[0]} steps), and Adam ({VALLEY_RACE[2]}) keeps moving by about "
        "lr per step, so it hovers around the minimum before settling below the tolerance."))


# --------------------------------------------------------------------------- the best epoch

def ref_best_epoch(train_loss, val_loss):
    """The epoch, counted from 1, with the lowest validation loss (the first one on a tie). Lesson 10."""
    return int(np.argmin(np.asarray(val_loss, dtype=np.float64))) + 1


def _first_rise(train_loss, val_loss):
    val = np.asarray(val_loss, dtype=np.float64)
    up = np.flatnonzero(np.diff(val) > 0)
    return int(up[0]) + 1 if up.size else len(val)


BEST_EPOCH_MISCONCEPTIONS = [
    Misconception("used_training_loss",
                  "You picked the epoch with the lowest *training* loss. Training loss keeps falling as the "
                  "model memorises; the validation loss, on data the model never trains on, is the one to "
                  "minimise.",
                  lambda train_loss, val_loss: int(np.argmin(train_loss)) + 1),
    Misconception("zero_based_epoch",
                  "You returned the position in the array (counted from 0). Epochs are counted from 1, as in the "
                  "lesson's plot: add 1.",
                  lambda train_loss, val_loss: int(np.argmin(val_loss))),
    Misconception("stopped_at_first_rise",
                  "You stopped at the first epoch after which the validation loss goes up. A noisy curve can rise "
                  "once and fall further later; the best epoch is where it is lowest over the whole run.",
                  _first_rise),
    Misconception("returned_lowest_loss",
                  "You returned the lowest validation loss itself; the question asks *at which epoch* it occurs.",
                  lambda train_loss, val_loss: float(np.min(val_loss))),
    Misconception("highest_validation_loss",
                  "You picked the epoch with the *highest* validation loss (argmax instead of argmin).",
                  lambda train_loss, val_loss: int(np.argmax(val_loss)) + 1),
    Misconception("smallest_gap",
                  "You picked the epoch where training and validation loss are closest. A small gap is not a low "
                  "loss (both can be high at the start); pick the lowest validation loss.",
                  lambda train_loss, val_loss: int(np.argmin(np.abs(np.asarray(val_loss) - train_loss))) + 1),
    Misconception("returned_last_epoch",
                  "You returned the last epoch. Once the model over-fits, later epochs are worse on unseen data; "
                  "look for the lowest validation loss.",
                  lambda train_loss, val_loss: len(val_loss)),
]

BEST_EPOCH_PROBES = [
    # every mistake gives another epoch: lowest validation loss 5, first rise after 3, training minimum 6,
    # highest validation loss 7, smallest gap 1, last 8
    {"train_loss": _A([2.1, 1.5, 1.1, 0.8, 0.6, 0.40, 0.42, 0.41]),
     "val_loss": _A([2.2, 1.9, 1.6, 1.7, 1.05, 1.15, 2.6, 2.4])},
    {"train_loss": _A([0.9, 0.5, 0.3, 0.2, 0.1, 0.05]), "val_loss": _A([0.95, 0.6, 0.45, 0.5, 0.7, 0.9])},
    {"train_loss": _A([1.0]), "val_loss": _A([1.3])},
    {"train_loss": _A([3.0, 2.0, 1.0, 0.5]), "val_loss": _A([3.1, 2.2, 2.2, 2.2])},  # a tie: the first epoch
    {"train_loss": _A([1.0, 0.9, 0.8]), "val_loss": _A([1e300, 5e299, 7e299])},     # huge, still finite
]


def _best_epoch_random(rng):
    out = []
    for i, n in enumerate((5, 12, 30, 60, 9, 20)):
        epochs = np.arange(1, n + 1)
        train = 2.0 * np.exp(-epochs / rng.uniform(2.0, 8.0)) + rng.uniform(0.0, 0.05, size=n)
        turn = rng.uniform(0.3, 0.8) * n
        val = train + 0.3 + 0.02 * (epochs - turn) ** 2 / n + rng.normal(0.0, 0.03, size=n)
        dtype = np.float32 if i >= 4 else np.float64
        out.append(rp.probe({"train_loss": train.astype(dtype), "val_loss": val.astype(dtype)}))
    return out


BEST_EPOCH_CONTRACT = Contract(returns="int", random=_best_epoch_random, seed=1004)


@register("best_epoch", title="Early stopping: the epoch with the lowest validation loss", points=2,
          misconceptions=BEST_EPOCH_MISCONCEPTIONS, contract=BEST_EPOCH_CONTRACT, hints=[
    "Only one of the two curves tells you how the model does on data it has not memorised.",
    "np.argmin gives the position of the smallest value (the first one on a tie); positions count from 0, "
    "epochs from 1.",
    "Do not stop at the first rise: a noisy validation curve can go up once and still fall lower later.",
])
def check_best_epoch(submission):
    """best_epoch(train_loss, val_loss) returns the 1-based epoch of the lowest validation loss."""
    return diagnose_function(submission, ref_best_epoch, BEST_EPOCH_PROBES, BEST_EPOCH_MISCONCEPTIONS,
                             what="the best epoch", contract=BEST_EPOCH_CONTRACT)
