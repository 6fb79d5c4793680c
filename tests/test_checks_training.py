"""The training checks (lessons 06-08): correct answers pass, each catalogued mistake is named.

Every wrong version below is written out independently of the checker's own catalogue, so a test fails if
the checker stops recognising a mistake a learner really makes.
"""
import numpy as np
import pytest

from lessons_lib.checks import training
from lessons_lib.gradcheck import check_gradient

from checks_helpers import run as verdict


def stub(*args):
    raise NotImplementedError("replace this line with your code")


# --------------------------------------------------------------------------- references against independent numbers

def test_gd_run_matches_hand_computed_steps():
    # x = [1, 2, 3], y = [2, 4, 6]: dL/dw = 2 mean((w x - y) x) = 28/3 (w - 2); from w = 0 with lr = 0.05:
    # w1 = 0 - 0.05 * 28/3 * (-2) = 14/15
    assert training.ref_gd_run(np.array([1.0, 2.0, 3.0]), np.array([2.0, 4.0, 6.0]), 0.0, 0.05, 1) == pytest.approx(14 / 15)


def test_lr_critical_separates_convergence_from_divergence():
    x = training.LR_CRITICAL_X
    y = 2.0 * x
    below = training.ref_gd_run(x, y, 0.0, 0.99 * training.LR_CRITICAL, 200)
    above = training.ref_gd_run(x, y, 0.0, 1.01 * training.LR_CRITICAL, 200)
    assert abs(below - 2.0) < abs(0.0 - 2.0) and abs(above - 2.0) > 2.0


def test_dense_references_match_torch():
    torch = pytest.importorskip("torch")
    p = training.DENSE_BACKWARD_PROBES[1]
    X = torch.tensor(p["X"], requires_grad=True)
    W = torch.tensor(p["W"], requires_grad=True)
    b = torch.zeros(p["W"].shape[1], dtype=torch.float64, requires_grad=True)
    out = X @ W + b
    out.backward(torch.tensor(p["grad_out"]))
    np.testing.assert_allclose(training.ref_dense_forward(p["X"], p["W"], b.detach().numpy()), out.detach().numpy())
    for mine, theirs in zip(training.ref_dense_backward(p["X"], p["W"], p["grad_out"]), (X.grad, W.grad, b.grad)):
        np.testing.assert_allclose(mine, theirs.numpy(), rtol=1e-12, atol=1e-12)


def test_train_reference_matches_torch_sgd():
    torch = pytest.importorskip("torch")
    p = training.TRAIN_PROBES[1].inputs
    w_ref, b_ref, losses_ref = training.ref_train_linear(**p)
    w0 = np.random.default_rng(p["seed"]).normal(0.0, 0.1, size=p["X"].shape[1])
    w = torch.tensor(w0, requires_grad=True)
    b = torch.zeros((), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([w, b], lr=p["lr"])
    X, y = torch.tensor(p["X"]), torch.tensor(p["y"])
    losses = []
    for _ in range(p["num_epochs"]):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(X @ w + b, y)
        losses.append(loss.item())
        loss.backward()
        opt.step()
    np.testing.assert_allclose(w_ref, w.detach().numpy(), rtol=1e-10)
    assert b_ref == pytest.approx(b.item(), rel=1e-10)
    np.testing.assert_allclose(losses_ref, losses, rtol=1e-10)


def test_train_reference_loss_decreases_to_noise_floor():
    p = training.TRAIN_PROBES[1].inputs  # noiseless data: the loss falls every epoch, towards zero
    _, _, losses = training.ref_train_linear(p["X"], p["y"], 2000, 0.05, 3)
    assert np.all(np.diff(losses) <= 1e-15) and losses[-1] < 1e-3 * losses[0]


def test_asymmetric_reference_by_hand_and_finite_differences():
    # errors -1 (under, weight 4) and +2 (over, weight 1): mean(4 * 1, 1 * 4) = 4
    assert training.ref_asymmetric_loss([1.0, 0.0], [0.0, 2.0], 4.0) == pytest.approx(4.0)
    for p in training.ASYM_PROBES:
        result = check_gradient(lambda v: training.ref_asymmetric_loss(p["y_true"], v, p["under_weight"]),
                                lambda v: training.ref_asymmetric_loss_grad(p["y_true"], v, p["under_weight"]),
                                p["y_pred"])
        assert result.ok, result


# --------------------------------------------------------------------------- correct answers pass

CORRECT = {
    "gd_step": lambda w, grad, lr: w - lr * grad,
    "gd_run": lambda x, y, w0, lr, num_steps: _student_gd_run(x, y, w0, lr, num_steps),
    "dense_forward": lambda X, W, b: X @ W + b,
    "dense_backward": lambda X, W, grad_out: (grad_out @ W.T, X.T @ grad_out, grad_out.sum(axis=0)),
    "asymmetric_loss": lambda t, p, c=4.0: np.mean(np.where(p < t, c, 1.0) * (p - t) ** 2),
    "asymmetric_loss_grad": lambda t, p, c=4.0: 2 * np.where(p < t, c, 1.0) * (p - t) / len(p),
}


def _student_gd_run(x, y, w0, lr, num_steps, sign=-1.0, extra_steps=0):
    w = w0
    for _ in range(num_steps + extra_steps):
        w = w + sign * lr * 2 * np.mean((w * x - y) * x)
    return w


def _student_train(X, y, num_epochs, lr, seed=0, *, bug=None):
    rng = np.random.default_rng(seed)
    w = rng.normal(0.0, 0.1, size=X.shape[1]) if bug != "zeros" else np.zeros(X.shape[1])
    b = 0.0
    losses = []
    dw_total, db_total = 0.0, 0.0
    for _ in range(num_epochs):
        y_hat = X @ w + b
        err = y_hat - y
        if bug != "after":
            losses.append(np.mean(err ** 2))
        g = 2 * err / len(y)
        dw, db = X.T @ g, g.sum()
        if bug == "accumulate":
            dw_total, db_total = dw_total + dw, db_total + db
            dw, db = dw_total, db_total
        if bug == "loss":
            dw, db = np.mean(err ** 2), np.mean(err ** 2)
        if bug == "ascent":
            w, b = w + lr * dw, b + lr * db
        elif bug == "no_lr":
            w, b = w - dw, b - db
        elif bug == "no_bias":
            w = w - lr * dw
        else:
            w, b = w - lr * dw, b - lr * db
        if bug == "after":
            losses.append(np.mean((X @ w + b - y) ** 2))
    return w, b, np.array(losses)


@pytest.mark.parametrize("exercise", sorted(CORRECT) + ["train_linear", "lr_critical"])
def test_correct_answer_passes(exercise):
    answer = {"train_linear": _student_train, "lr_critical": 3 / 14}.get(exercise, CORRECT.get(exercise))
    result = verdict(exercise, answer)
    assert result.passed and result.status == "passed" and result.points == result.max_points, result


@pytest.mark.parametrize("exercise", ["gd_step", "gd_run", "dense_forward", "dense_backward", "train_linear",
                                      "asymmetric_loss", "asymmetric_loss_grad"])
def test_stub_is_not_attempted(exercise):
    result = verdict(exercise, stub)
    assert result.status == "not_attempted" and "not attempted" in result.message


def test_lr_critical_ellipsis_is_not_attempted():
    assert verdict("lr_critical", ...).status == "not_attempted"


# --------------------------------------------------------------------------- each misconception is named

WRONG = [
    ("gd_step", lambda w, grad, lr: w + lr * grad, "gradient_ascent"),
    ("gd_step", lambda w, grad, lr: w - grad, "lr_not_applied"),
    ("gd_step", lambda w, grad, lr: w - grad / lr, "divided_by_lr"),
    ("gd_step", lambda w, grad, lr: lr * grad * -1, "returned_only_the_step"),
    ("gd_run", lambda x, y, w0, lr, n: _student_gd_run(x, y, w0, lr, n, sign=+1.0), "gradient_ascent"),
    ("gd_run", lambda x, y, w0, lr, n: _student_gd_run(x, y, w0, 1.0, n), "lr_not_applied"),
    ("gd_run", lambda x, y, w0, lr, n: _student_gd_run(x, y, w0, lr, n, extra_steps=1), "one_step_too_many"),
    ("gd_run", lambda x, y, w0, lr, n: _student_gd_run(x, y, w0, lr / 2, n), "forgot_factor_2"),
    ("dense_forward", lambda X, W, b: X @ W.T + b, "weights_transposed"),
    ("dense_forward", lambda X, W, b: X @ W, "bias_missing"),
    ("dense_backward", lambda X, W, g: (g @ W, X.T @ g, g.sum(0)), "dX_weights_not_transposed"),
    ("dense_backward", lambda X, W, g: (g @ W.T, g.T @ X, g.sum(0)), "dW_transposed"),
    ("dense_backward", lambda X, W, g: (g @ W.T, np.einsum("ni,nj->nij", X, g), g.sum(0)), "dW_not_summed_over_batch"),
    ("dense_backward", lambda X, W, g: (g @ W.T, X.T @ g / len(X), g.sum(0)), "dW_averaged"),
    ("dense_backward", lambda X, W, g: (g @ W.T, X.T @ g, g), "db_not_summed_over_batch"),
    ("dense_backward", lambda X, W, g: (g @ W.T, X.T @ g, g.mean(0)), "db_averaged"),
    ("asymmetric_loss", lambda t, p, c: np.mean(np.where(p > t, c, 1.0) * (p - t) ** 2), "penalised_over_prediction"),
    ("asymmetric_loss", lambda t, p, c: np.mean((p - t) ** 2), "weight_not_applied"),
    ("asymmetric_loss_grad", lambda t, p, c: 2 * np.where(p < t, c, 1.0) * (t - p) / len(p), "gradient_wrong_sign"),
    ("asymmetric_loss_grad", lambda t, p, c: np.where(p < t, c, 1.0) * (p - t) / len(p), "gradient_missing_factor_2"),
    ("asymmetric_loss_grad", lambda t, p, c: 2 * np.where(p < t, c, 1.0) * (p - t), "gradient_missing_mean"),
] + [("train_linear", lambda X, y, n, lr, seed=0, bug=bug: _student_train(X, y, n, lr, seed, bug=bug), name)
     for bug, name in [("ascent", "gradient_ascent"), ("loss", "used_loss_not_gradient"),
                       ("no_lr", "lr_not_applied"), ("accumulate", "gradients_never_reset"),
                       ("no_bias", "bias_not_updated"), ("after", "loss_recorded_after_update"),
                       ("zeros", "wrong_initialisation")]]


@pytest.mark.parametrize("exercise, wrong, name", WRONG, ids=[f"{e}-{n}" for e, _, n in WRONG])
def test_misconception_is_named(exercise, wrong, name):
    result = verdict(exercise, wrong)
    assert result.status == "failed" and result.misconception == name, result
    assert result.points == 0


@pytest.mark.parametrize("value, name", [(1.5 / 14, "optimal_not_critical"), (6 / 14, "forgot_factor_2"),
                                         (1 / 14, "sum_not_mean")])
def test_lr_critical_wrong_values(value, name):
    assert verdict("lr_critical", value).misconception == name


# --------------------------------------------------------------------------- garbage gets a clear message

@pytest.mark.parametrize("exercise, answer, words", [
    ("gd_step", lambda w, grad, lr: None, "None"),
    ("gd_step", lambda w, grad, lr: "w", "string"),
    ("gd_step", lambda w, grad, lr: np.full(np.shape(w), np.nan), "NaN"),
    ("dense_forward", lambda X, W, b: (X @ W + b)[:, :1], "shape"),
    ("dense_backward", lambda X, W, g: None, "None"),
    ("dense_backward", lambda X, W, g: (g @ W.T, X.T @ g), "3 things"),
    ("train_linear", lambda X, y, n, lr, seed=0: None, "None"),
    ("gd_step", 0.95, "expected a function"),
])
def test_garbage_gets_clear_message(exercise, answer, words):
    result = verdict(exercise, answer)
    assert not result.passed and words in result.message, result


def test_learner_exception_is_reported_not_raised():
    def broken(X, W, b):
        return X @ W.T @ W.T + b  # shape error on the non-square probe
    result = verdict("dense_forward", broken)
    assert result.status in ("error", "failed") and not result.passed
