"""Tests for lessons_lib.landscape: surfaces against direct loss evaluation, gradients against finite
differences and PyTorch, and gradient descent against the closed-form theory of a quadratic bowl."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lessons_lib import losses  # noqa: E402
from lessons_lib.gradcheck import numerical_gradient  # noqa: E402
from lessons_lib.landscape import DIVERGED, gradient_descent, linear_model, loss_curve_1d, loss_surface_2d
from lessons_lib.figures import draw_contour, draw_descent_1d, draw_surface


@pytest.fixture
def data():
    rng = np.random.default_rng(0)
    X = rng.uniform(0.5, 4.0, size=25)
    y = 20.0 * X + 5.0 + rng.normal(0.0, 6.0, size=25)
    return X, y


@pytest.fixture
def binary_data():
    rng = np.random.default_rng(1)
    X = rng.normal(0.0, 2.0, size=30)
    y = (X + rng.normal(0.0, 1.5, size=30) > 0.5).astype(float)
    return X, y


# ----------------------------------------------------------------------------- surfaces

@pytest.mark.parametrize("name", ["mse", "mae", "huber"])
def test_curve_1d_matches_direct_evaluation(data, name):
    X, y = data
    w_grid = np.array([-3.0, 0.0, 12.5, 21.0, 40.0])
    curve = loss_curve_1d(name, X, y, w_grid, b=1.5)
    fn = losses.get_loss(name).fn
    expected = [fn(y, w * X + 1.5) for w in w_grid]
    np.testing.assert_allclose(curve, expected, rtol=1e-12)


def test_curve_1d_hand_worked():
    # y_hat = w x on x = [1, 2], y = [2, 4]: MSE(w) = ((w-2)^2 + 4 (w-2)^2) / 2 = 2.5 (w-2)^2.
    w_grid = np.array([0.0, 1.0, 2.0, 3.0])
    np.testing.assert_allclose(loss_curve_1d("mse", [1.0, 2.0], [2.0, 4.0], w_grid), [10.0, 2.5, 0.0, 2.5])
    # MAE(w) = (|w-2| + 2|w-2|) / 2 = 1.5 |w-2|: a V, not a bowl.
    np.testing.assert_allclose(loss_curve_1d("mae", [1.0, 2.0], [2.0, 4.0], w_grid), [3.0, 1.5, 0.0, 1.5])


def test_curve_passes_loss_kwargs(data):
    X, y = data
    curve = loss_curve_1d("huber", X, y, [10.0], delta=3.0)
    assert curve[0] == pytest.approx(losses.huber(y, 10.0 * X, delta=3.0), rel=1e-12)


@pytest.mark.parametrize("name", ["mse", "huber", "mae"])
def test_surface_2d_matches_direct_evaluation(data, name):
    X, y = data
    w_grid = np.linspace(0.0, 40.0, 7)
    b_grid = np.linspace(-10.0, 20.0, 4)
    Z = loss_surface_2d(name, X, y, w_grid, b_grid)
    assert Z.shape == (4, 7)  # rows follow b, columns follow w: ax.contour(w_grid, b_grid, Z)
    fn = losses.get_loss(name).fn
    for j, i in [(0, 0), (1, 3), (3, 6), (2, 5)]:
        assert Z[j, i] == pytest.approx(fn(y, w_grid[i] * X + b_grid[j]), rel=1e-12)


def test_surface_row_equals_1d_curve(data):
    X, y = data
    w_grid = np.linspace(-5.0, 30.0, 11)
    Z = loss_surface_2d("mse", X, y, w_grid, [0.0, 2.0])
    np.testing.assert_allclose(Z[1], loss_curve_1d("mse", X, y, w_grid, b=2.0), rtol=1e-12)


def test_binary_losses_use_logits_or_probabilities(binary_data):
    X, y = binary_data
    w, b = 1.3, -0.4
    z = w * X + b
    with_logits = loss_surface_2d("bce_with_logits", X, y, [w], [b])[0, 0]
    on_probs = loss_surface_2d("binary_crossentropy", X, y, [w], [b])[0, 0]
    # independent reference: the textbook formula written out by hand
    p = 1.0 / (1.0 + np.exp(-z))
    expected = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert with_logits == pytest.approx(expected, rel=1e-10)
    assert on_probs == pytest.approx(expected, rel=1e-10)


def test_mse_minimum_on_grid_is_least_squares(data):
    X, y = data
    w_grid = np.linspace(15.0, 25.0, 401)
    b_grid = np.linspace(-5.0, 15.0, 401)
    Z = loss_surface_2d("mse", X, y, w_grid, b_grid)
    j, i = np.unravel_index(np.argmin(Z), Z.shape)
    w_ls, b_ls = np.polyfit(X, y, 1)
    assert abs(w_grid[i] - w_ls) <= 0.05 and abs(b_grid[j] - b_ls) <= 0.1


# ----------------------------------------------------------------------------- gradients

@pytest.mark.parametrize("name", ["mse", "mae", "huber", "bce_with_logits", "binary_crossentropy"])
@pytest.mark.parametrize("fit_bias", [True, False])
def test_linear_model_gradient_matches_finite_differences(data, binary_data, name, fit_bias):
    X, y = binary_data if "b" in name[:1] else data
    f, grad = linear_model(name, X, y, fit_bias=fit_bias)
    params = np.array([0.37, -0.81])[: 2 if fit_bias else 1]
    numeric = numerical_gradient(f, params.copy())
    np.testing.assert_allclose(grad(params), numeric, rtol=1e-6, atol=1e-8)
    assert f(params) == pytest.approx(
        loss_curve_1d(name, X, y, [params[0]], b=params[1] if fit_bias else 0.0)[0], rel=1e-12)


@pytest.mark.parametrize("name, torch_loss", [("mse", "mse_loss"), ("mae", "l1_loss"), ("huber", "huber_loss"),
                                              ("bce_with_logits", "binary_cross_entropy_with_logits")])
def test_linear_model_gradient_matches_torch(data, binary_data, name, torch_loss):
    torch = pytest.importorskip("torch")
    X, y = binary_data if name.startswith("bce") else data
    f, grad = linear_model(name, X, y)
    params = np.array([3.3, -1.7])
    p = torch.tensor(params, dtype=torch.float64, requires_grad=True)
    Xt, yt = torch.tensor(X), torch.tensor(y)
    value = getattr(torch.nn.functional, torch_loss)(p[0] * Xt + p[1], yt)
    value.backward()
    assert f(params) == pytest.approx(value.item(), rel=1e-12)
    np.testing.assert_allclose(grad(params), p.grad.numpy(), rtol=1e-12, atol=1e-14)


def test_custom_loss_object_is_accepted(data):
    X, y = data
    cubic = losses.Loss("quartic", lambda t, p, reduction="mean": (p - t) ** 4 if reduction == "none"
                        else float(np.mean((p - t) ** 4)),
                        lambda t, p, reduction="mean": 4 * (p - t) ** 3 / p.size, "regression")
    f, grad = linear_model(cubic, X / 10, y / 100)
    params = np.array([0.1, 0.05])
    np.testing.assert_allclose(grad(params), numerical_gradient(f, params.copy()), rtol=1e-6)


# ----------------------------------------------------------------------------- gradient descent

@pytest.mark.parametrize("curvature", [0.5, 4.0])
@pytest.mark.parametrize("factor", [0.1, 0.5, 0.99, 1.5, 1.9])
def test_gd_on_quadratic_follows_closed_form(curvature, factor):
    # f(w) = L/2 (w - c)^2 has f'' = L; GD gives w_t = c + (1 - lr L)^t (w0 - c) exactly.
    c, w0 = 3.0, -2.0
    lr = factor / curvature
    path = gradient_descent(lambda w: curvature * (w - c), w0, lr, 40)
    t = np.arange(41)
    np.testing.assert_allclose(path, c + (1 - lr * curvature) ** t * (w0 - c), rtol=1e-10, atol=1e-12)
    assert abs(path[-1] - c) < abs(w0 - c)  # lr < 2/L converges


@pytest.mark.parametrize("factor", [2.05, 2.5, 4.0])
def test_gd_diverges_above_two_over_curvature(factor):
    L, c, w0 = 2.0, 1.0, 0.0
    path = gradient_descent(lambda w: L * (w - c), w0, factor / L, 30)
    dist = np.abs(path - c)
    # every step overshoots further than the last, by the factor |1 - lr L| > 1 the theory predicts
    np.testing.assert_allclose(dist[1:] / dist[:-1], factor - 1.0, rtol=1e-10)
    assert dist[-1] > 4 * dist[0]


def test_gd_at_exactly_two_over_curvature_oscillates():
    path = gradient_descent(lambda w: 2.0 * (w - 1.0), 0.0, 1.0, 6)
    np.testing.assert_allclose(path, [0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0])


def test_gd_2d_threshold_set_by_largest_curvature():
    H = np.diag([10.0, 0.5])  # a long, narrow valley
    grad = lambda v: H @ v  # noqa: E731
    ok = gradient_descent(grad, np.array([1.0, 1.0]), 0.19, 400)  # < 2/10
    assert ok.shape == (401, 2)
    np.testing.assert_allclose(ok[-1], [0.0, 0.0], atol=1e-8)
    bad = gradient_descent(grad, np.array([1.0, 1.0]), 0.21, 60)  # > 2/10 but << 2/0.5
    assert abs(bad[-1, 0]) > 1e2 and abs(bad[-1, 1]) < 1.0


def test_gd_on_data_obeys_mse_theory(data):
    X, y = data
    _, grad = linear_model("mse", X, y, fit_bias=False)
    L = 2.0 * np.mean(X ** 2)  # curvature of the MSE curve in w
    w_star = (X @ y) / (X @ X)
    good = gradient_descent(lambda w: grad([w]), 0.0, 0.9 * 2 / L, 300)
    assert good[-1] == pytest.approx(w_star, rel=1e-9)
    bad = gradient_descent(lambda w: grad([w]), 0.0, 1.1 * 2 / L, 50)
    assert abs(bad[-1] - w_star) > 100 * w_star


def test_gd_stops_when_diverged_and_stays_finite(data):
    X, y = data
    _, grad = linear_model("mse", X, y)
    path = gradient_descent(grad, np.zeros(2), 5.0, 1000)
    assert 2 < len(path) < 1001
    assert np.isfinite(path).all() and np.abs(path).max() <= DIVERGED


def test_gd_zero_steps_and_copy_semantics():
    w0 = np.array([1.0, 2.0])
    path = gradient_descent(lambda w: w, w0, 0.1, 0)
    np.testing.assert_array_equal(path, [[1.0, 2.0]])
    gradient_descent(lambda w: w, w0, 0.1, 5)
    np.testing.assert_array_equal(w0, [1.0, 2.0])


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), "0.1", True])
def test_gd_rejects_bad_lr(lr):
    with pytest.raises(ValueError, match="lr must be a positive number"):
        gradient_descent(lambda w: w, 1.0, lr, 5)


@pytest.mark.parametrize("steps", [-1, 2.5, None])
def test_gd_rejects_bad_num_steps(steps):
    with pytest.raises(ValueError, match="num_steps"):
        gradient_descent(lambda w: w, 1.0, 0.1, steps)


def test_gd_rejects_gradient_of_wrong_size():
    with pytest.raises(ValueError, match="one partial derivative per parameter"):
        gradient_descent(lambda w: np.ones(3), np.zeros(2), 0.1, 2)


# ----------------------------------------------------------------------------- bad input

def test_categorical_loss_is_refused(data):
    X, y = data
    with pytest.raises(ValueError, match="cannot be scored with the categorical loss"):
        loss_curve_1d("cross_entropy", X, y, [1.0])


def test_mismatched_or_column_targets(data):
    X, y = data
    with pytest.raises(ValueError, match=r"y\.ravel\(\)"):
        loss_curve_1d("mse", X, y[:, None], [1.0])
    with pytest.raises(ValueError, match="one target per sample"):
        loss_curve_1d("mse", X, y[:-1], [1.0])
    with pytest.raises(ValueError, match="1-D grid"):
        loss_surface_2d("mse", X, y, np.ones((2, 2)), [0.0])
    with pytest.raises(ValueError, match="unknown loss"):
        linear_model("msee", X, y)
    with pytest.raises(ValueError, match=r"params must hold 2"):
        linear_model("mse", X, y)[1]([1.0])


def test_column_X_is_accepted(data):
    X, y = data
    np.testing.assert_allclose(loss_curve_1d("mse", X[:, None], y, [2.0]), loss_curve_1d("mse", X, y, [2.0]))


# ----------------------------------------------------------------------------- drawings

def test_draw_functions_label_their_axes(data):
    X, y = data
    fig = plt.figure(figsize=(12, 4))
    ax1, ax2 = fig.add_subplot(1, 3, 1), fig.add_subplot(1, 3, 2)
    ax3 = fig.add_subplot(1, 3, 3, projection="3d")
    L = 2.0 * np.mean(X ** 2)
    path = draw_descent_1d("mse", X, y, lr=1.1 * 2 / L, num_steps=8, ax=ax1)
    assert "diverging" in ax1.get_title() and len(path) == 9
    good = draw_descent_1d("mse", X, y, lr=0.9 / L, num_steps=8, ax=plt.figure().add_subplot())
    assert abs(good[-1] - (X @ y) / (X @ X)) < 1e-3
    path2 = draw_contour("mse", X, y, np.linspace(0, 40, 30), np.linspace(-20, 30, 25), lr=0.02, ax=ax2)
    assert path2.shape == (31, 2)
    draw_surface("mae", X, y, np.linspace(0, 40, 20), np.linspace(-20, 30, 20), ax=ax3)
    for ax in (ax1, ax2):
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title() and ax.get_legend() is not None
    assert ax3.get_zlabel()
    plt.close("all")


# --------------------------------------------------------------------------- honest panel titles and legends

def _title_and_legend(loss, X, y, lr, num_steps=15):
    fig, ax = plt.subplots()
    draw_descent_1d(loss, X, y, lr=lr, num_steps=num_steps, ax=ax)
    title, labels = ax.get_title(), [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)
    return title, labels


def test_mse_runs_are_named_by_what_their_steps_do(data):
    X, y = data
    C = 2 * np.mean(X ** 2)                       # curvature of the one-weight MSE bowl
    assert ": converged" in _title_and_legend("mse", X, y, lr=0.5 / C)[0]
    assert ": too slow" in _title_and_legend("mse", X, y, lr=0.002 / C)[0]
    assert ": diverging" in _title_and_legend("mse", X, y, lr=2.2 / C)[0]
    # zig-zagging but shrinking (factor 1 - lr C = -0.6) is convergence, not hopping
    assert ": converged" in _title_and_legend("mse", X, y, lr=1.6 / C)[0]


def test_a_run_that_keeps_hopping_on_the_mae_cone_is_not_called_converged(data):
    X, y = data
    title, _ = _title_and_legend("mae", X, y, lr=16.0)
    assert ": hopping" in title
    f, grad = linear_model("mae", X, y, fit_bias=False)
    path = gradient_descent(lambda w: grad([w]), 0.0, 16.0, 15)
    steps = np.abs(np.diff(path))[-4:]
    assert steps.min() > 1.0  # the steps really do not shrink: the title is telling the truth


def test_legend_counts_the_steps_taken(data):
    X, y = data
    C = 2 * np.mean(X ** 2)
    _, labels = _title_and_legend("mse", X, y, lr=0.5 / C, num_steps=15)
    assert "15 steps of gradient descent" in labels
    _, labels = _title_and_legend("mse", X, y, lr=50.0 / C, num_steps=15)   # blows up long before 15 steps
    assert any(label.endswith("of 15 steps, then w blew up (diverged)") for label in labels)


def test_contour_keeps_the_minimum_above_a_diverging_path(data):
    X, y = data
    fig, ax = plt.subplots()
    draw_contour("mse", X, y, np.linspace(0, 40, 40), np.linspace(-30, 60, 40), lr=1.0, num_steps=50, ax=ax)
    star = next(line for line in ax.get_lines() if line.get_label() == "lowest point on the grid")
    path = next(line for line in ax.get_lines() if line.get_label().startswith("gradient descent"))
    assert star.get_zorder() > path.get_zorder()
    plt.close(fig)


def test_legend_says_how_many_points_lie_off_the_chart(data):
    X, y = data
    C = 2 * np.mean(X ** 2)
    fig, ax = plt.subplots()
    path = draw_descent_1d("mse", X, y, lr=2.3 / C, num_steps=12, w_grid=np.linspace(-20, 60, 200), ax=ax)
    off = int(np.sum((path < -20) | (path > 60)))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert off > 0 and f"12 steps, {off} off the chart" in labels
    plt.close(fig)
