"""lessons_lib.nn, .optimizers and .metrics against finite differences and hand-worked numbers."""
import numpy as np
import pytest

from lessons_lib.gradcheck import check_gradient, numerical_gradient
from lessons_lib.losses import binary_cross_entropy_grad, mse
from lessons_lib.metrics import accuracy, get_metric, mean_absolute_error, mean_squared_error
from lessons_lib.nn import ACTIVATIONS, Dense, Sequential, TrainingDiverged
from lessons_lib.optimizers import SGD, Adam, get_optimizer


def _data(n=7, d=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d))


def _targets(loss, k, n, rng):
    if loss in ("categorical_crossentropy", "cross_entropy"):
        return rng.integers(0, k, size=n)
    if loss in ("binary_crossentropy", "bce_with_logits"):
        return rng.integers(0, 2, size=(n, k)).astype(float)
    return rng.normal(size=(n, k))


def _model(hidden, final, k, seed=1):
    return Sequential([Dense(5, hidden, input_dim=3), Dense(4, "tanh"), Dense(k, final)], seed=seed)


def _assert_gradients_match_finite_differences(model, X, y):
    _, grads = model.compute_gradients(X, y)
    for i, (param, grad) in enumerate(zip(model._params(), grads)):
        numeric = numerical_gradient(lambda _: model.compute_loss(X, y), param, h=1e-6)
        np.testing.assert_allclose(grad, numeric, rtol=1e-5, atol=1e-8, err_msg=f"parameter {i}")


# (final activation, loss, output width): every pairing a course model can be compiled with
FINAL_LOSS_PAIRS = [
    ("linear", "mse", 2), ("linear", "mae", 2), ("linear", "huber", 2),
    ("tanh", "mse", 2), ("sigmoid", "mse", 1), ("relu", "mse", 2), ("softmax", "mse", 3),
    ("sigmoid", "binary_crossentropy", 1), ("sigmoid", "binary_crossentropy", 2),
    ("softmax", "binary_crossentropy", 3), ("linear", "bce_with_logits", 1),
    ("softmax", "categorical_crossentropy", 3), ("linear", "cross_entropy", 3),
]


@pytest.mark.parametrize("hidden", sorted(ACTIVATIONS))
@pytest.mark.parametrize("final, loss, k", FINAL_LOSS_PAIRS)
def test_backprop_matches_finite_differences(hidden, final, loss, k):
    X = _data()
    y = _targets(loss, k, len(X), np.random.default_rng(2))
    model = _model(hidden, final, k).compile(optimizer="sgd", loss=loss)
    _assert_gradients_match_finite_differences(model, X, y)


def test_gradient_check_with_one_hot_targets_and_gradcheck_helper():
    X = _data()
    y = np.eye(3)[[0, 2, 1, 1, 0, 2, 2]]
    model = _model("relu", "softmax", 3).compile(loss="categorical_crossentropy")
    _, grads = model.compute_gradients(X, y)
    W = model.layers[0].W

    def loss_at(w):
        saved = W.copy()
        np.copyto(W, w)
        value = model.compute_loss(X, y)
        np.copyto(W, saved)
        return value

    assert check_gradient(loss_at, lambda w: grads[0], W, rtol=1e-5, atol=1e-8)


def test_custom_loss_pair_plugs_in_and_is_differentiated():
    def squared_error_sum(y_true, y_pred):
        return float(np.sum((y_pred - y_true) ** 2))

    def squared_error_sum_grad(y_true, y_pred):
        return 2.0 * (y_pred - y_true)

    X = _data()
    y = np.random.default_rng(3).normal(size=len(X))
    model = _model("tanh", "linear", 1).compile(loss=(squared_error_sum, squared_error_sum_grad))
    assert not model.fused
    _assert_gradients_match_finite_differences(model, X, y)
    # the custom sum loss is n times the built-in mean squared error
    assert model.compute_loss(X, y) == pytest.approx(len(X) * mse(y[:, None], model.predict(X)), rel=1e-12)


def test_fused_gradient_equals_chain_rule_through_the_activation():
    X = _data()
    y = np.array([[1.0], [0.0], [1.0], [1.0], [0.0], [0.0], [1.0]])
    model = _model("relu", "sigmoid", 1).compile(loss="binary_crossentropy")
    assert model.fused
    model.compute_gradients(X, y)
    last = model.layers[-1]
    a = last.a
    chain = binary_cross_entropy_grad(y, a) * a * (1 - a)      # dL/da * da/dz
    np.testing.assert_allclose(last.dW, last.x.T @ chain, rtol=1e-10, atol=1e-14)


def test_softmax_cross_entropy_gradient_is_probabilities_minus_one_hot():
    layer = Dense(3, "softmax", input_dim=2, seed=0)
    model = Sequential([layer]).compile(loss="categorical_crossentropy")
    X = np.array([[1.0, 2.0], [-1.0, 0.5]])
    y = np.array([2, 0])
    model.compute_gradients(X, y)
    p = layer.a
    expected_dz = (p - np.eye(3)[y]) / len(X)
    np.testing.assert_allclose(layer.dW, X.T @ expected_dz, rtol=1e-12)
    np.testing.assert_allclose(layer.db, expected_dz.sum(axis=0), rtol=1e-12, atol=1e-16)


def test_dense_layer_by_hand():
    layer = Dense(2, "relu", input_dim=2)
    layer.W[:] = [[1.0, -1.0], [2.0, 0.5]]
    layer.b[:] = [0.5, 0.0]
    out = layer.forward(np.array([[1.0, 1.0]]))
    # Exact on purpose below: small integers and halves are exact in float64 in any summation order.
    np.testing.assert_array_equal(out, [[3.5, 0.0]])            # z = [3.5, -0.5], relu
    grad_x = layer.backward(np.array([[1.0, 1.0]]))
    np.testing.assert_array_equal(layer.dW, [[1.0, 0.0], [1.0, 0.0]])
    np.testing.assert_array_equal(layer.db, [1.0, 0.0])
    np.testing.assert_array_equal(grad_x, [[1.0, 2.0]])


def test_initialisation_glorot_and_he_bounds_and_seeds():
    relu = Dense(200, "relu", input_dim=50, seed=0)
    tanh = Dense(200, "tanh", input_dim=50, seed=0)
    assert np.abs(relu.W).max() <= np.sqrt(6 / 50) and np.abs(relu.W).max() > 0.95 * np.sqrt(6 / 50)
    assert np.abs(tanh.W).max() <= np.sqrt(6 / 250) and np.abs(tanh.W).max() > 0.95 * np.sqrt(6 / 250)
    assert not relu.b.any()
    a = Sequential([Dense(4, input_dim=3), Dense(2)], seed=7).get_weights()
    b = Sequential([Dense(4, input_dim=3), Dense(2)], seed=7).get_weights()
    c = Sequential([Dense(4, input_dim=3), Dense(2)], seed=8).get_weights()
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    assert not np.array_equal(a[0], c[0])
    assert not np.array_equal(a[0][:, :2], a[2][:2])  # layers get different streams


def test_get_set_weights_keras_order_and_errors():
    model = Sequential([Dense(4, input_dim=3), Dense(2)], seed=0)
    shapes = [w.shape for w in model.get_weights()]
    assert shapes == [(3, 4), (4,), (4, 2), (2,)]
    new = [np.full(s, i, dtype=float) for i, s in enumerate(shapes)]
    W1 = model.layers[0].W
    model.set_weights(new)
    assert model.layers[0].W is W1 and (W1 == 0).all() and (model.layers[1].b == 3).all()
    with pytest.raises(ValueError, match=r"weights\[2\] has shape \(2, 4\)"):
        model.set_weights([new[0], new[1], np.zeros((2, 4)), new[3]])
    with pytest.raises(ValueError, match="needs 4 arrays"):
        model.set_weights(new[:2])


def test_summary_lists_shapes_and_parameter_counts(capsys):
    Sequential([Dense(16, "relu", input_dim=4), Dense(3, "softmax")]).summary()
    text = capsys.readouterr().out
    assert "(None, 16)" in text and "(None, 3)" in text
    assert "Total params: 131" in text                    # 4*16+16 + 16*3+3


def test_optimizer_sgd_momentum_by_hand():
    p = np.array([1.0])
    opt = SGD(learning_rate=0.1, momentum=0.9)
    opt.step([p], [np.array([2.0])])
    assert p[0] == pytest.approx(0.8, abs=1e-15)             # buf = g = 2
    opt.step([p], [np.array([2.0])])
    assert p[0] == pytest.approx(0.8 - 0.1 * 3.8, abs=1e-15)  # buf = 0.9 * 2 + 2


def test_optimizer_adam_first_steps_by_hand():
    p, g = np.array([1.0, -1.0]), np.array([2.0, -0.5])
    opt = Adam(learning_rate=0.1)
    opt.step([p], [g])
    # after bias correction m_hat = g and v_hat = g**2, so the first step is lr * g / (|g| + eps)
    np.testing.assert_allclose(p, [1.0 - 0.1 * 2 / (2 + 1e-8), -1.0 + 0.1 * 0.5 / (0.5 + 1e-8)], rtol=1e-15)
    opt.step([p], [g])
    m = 0.9 * 0.1 * g + 0.1 * g
    v = 0.999 * 0.001 * g**2 + 0.001 * g**2
    step2 = 0.1 / (1 - 0.9**2) * m / (np.sqrt(v) / np.sqrt(1 - 0.999**2) + 1e-8)
    np.testing.assert_allclose(p, [1.0 - 0.1 * 2 / (2 + 1e-8), -1.0 + 0.1 * 0.5 / (0.5 + 1e-8)] - step2,
                               rtol=1e-14)


def test_get_optimizer_names_objects_and_errors():
    assert isinstance(get_optimizer("SGD"), SGD) and get_optimizer("sgd").learning_rate == 0.01
    opt = Adam(0.5)
    assert get_optimizer(opt) is opt
    with pytest.raises(ValueError, match="'sgd' or 'adam'"):
        get_optimizer("adagrad")
    with pytest.raises(TypeError, match="not the class"):
        get_optimizer(SGD)
    with pytest.raises(ValueError, match="momentum"):
        SGD(0.1, momentum=1.5)
    with pytest.raises(ValueError, match="learning_rate"):
        SGD(-0.1)


def test_metrics_by_hand():
    assert accuracy([0, 1, 1, 0], [[0.2], [0.7], [0.4], [0.6]]) == 0.5
    assert accuracy(np.eye(3)[[0, 1, 2]], [[0.5, 0.3, 0.2], [0.1, 0.8, 0.1], [0.6, 0.3, 0.1]]) == pytest.approx(2 / 3)
    assert mean_absolute_error([1, 0], [[0.2, 0.8], [0.6, 0.4]]) == pytest.approx((0.2 + 0.2 + 0.4 + 0.4) / 4)
    assert mean_squared_error([1.0, 2.0], [[1.0], [4.0]]) == 2.0
    assert get_metric("mean_absolute_error").name == "mae"
    with pytest.raises(ValueError, match="unknown metric"):
        get_metric("f1")


def test_fit_learns_blobs_and_history_keys():
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(-2, 1, (50, 2)), rng.normal(2, 1, (50, 2))])
    y = np.repeat([0.0, 1.0], 50)
    model = Sequential([Dense(1, "sigmoid", input_dim=2)], seed=0)
    model.compile(optimizer=SGD(0.5), loss="binary_crossentropy", metrics=["accuracy", "mse"])
    hist = model.fit(X, y, epochs=30, batch_size=20, validation_data=(X, y), seed=0, verbose=0)
    assert set(hist.history) == {"loss", "accuracy", "mse", "val_loss", "val_accuracy", "val_mse"}
    assert all(len(v) == 30 for v in hist.history.values()) and hist.epoch == list(range(30))
    assert hist.history["loss"][-1] < 0.5 * hist.history["loss"][0]
    assert hist.history["val_accuracy"][-1] >= 0.95
    loss, acc, mse_value = model.evaluate(X, y)
    assert loss == pytest.approx(hist.history["val_loss"][-1]) and acc == hist.history["val_accuracy"][-1]
    assert model.evaluate(X, y, return_dict=True)["mse"] == pytest.approx(mse(y, model.predict(X).ravel()))


def test_fit_epoch_loss_is_batch_size_weighted_mean_and_full_batch_equals_one_step():
    X = _data(n=10)
    y = np.random.default_rng(1).normal(size=10)
    a = Sequential([Dense(1, input_dim=3)], seed=0).compile(optimizer=SGD(0.1), loss="mse")
    loss_before = a.compute_loss(X, y)
    _, grads = a.compute_gradients(X, y)
    expected = [w - 0.1 * g for w, g in zip(a.get_weights(), grads)]
    hist = a.fit(X, y, epochs=1, batch_size=10, shuffle=False, verbose=0)
    assert hist.history["loss"] == [pytest.approx(loss_before, rel=1e-14)]
    for w, e in zip(a.get_weights(), expected):
        np.testing.assert_allclose(w, e, rtol=1e-14)


def test_fit_is_reproducible_with_seed_and_silent_with_verbose_0(capsys):
    X = _data(n=40)
    y = (X[:, 0] > 0).astype(float)
    runs = []
    for _ in range(2):
        m = Sequential([Dense(4, "tanh", input_dim=3), Dense(1, "sigmoid")], seed=3)
        m.compile(optimizer="adam", loss="bce", metrics=["accuracy"])
        runs.append(m.fit(X, y, epochs=3, batch_size=8, seed=5, verbose=0).history)
    assert runs[0] == runs[1]  # exact on purpose: the same seeded run, same shapes, same kernels
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_verbose_2_prints_one_line_per_epoch(capsys):
    X = _data(n=8)
    m = Sequential([Dense(1, input_dim=3)], seed=0).compile(loss="mse")
    m.fit(X, X[:, 0], epochs=2, verbose=2)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("Epoch 2/2 - loss: ")


def test_nan_loss_stops_with_learning_rate_advice():
    X = _data(n=20) * 10
    y = X @ np.array([1.0, 2.0, 3.0])
    model = Sequential([Dense(8, "relu", input_dim=3), Dense(1)], seed=0)
    model.compile(optimizer=SGD(learning_rate=10.0), loss="mse")
    with pytest.raises(TrainingDiverged, match=r"smaller learning rate, e\.g\. 1 instead of 10") as err:
        with np.errstate(all="raise"):  # our own overflow handling must not leak warnings/errors
            model.fit(X, y, epochs=50, batch_size=20, verbose=0)
    assert isinstance(err.value, FloatingPointError)
    assert all(np.isfinite(v) for v in err.value.history.history["loss"])


def test_clear_errors():
    X, y = _data(), np.zeros(7)
    model = Sequential([Dense(3, "softmax", input_dim=3)])
    with pytest.raises(RuntimeError, match="compile"):
        model.fit(X, y)
    model.compile(loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="4 features per sample.*input_dim=3"):
        model.predict(np.zeros((2, 4)))
    with pytest.raises(ValueError, match=r"X.reshape\(-1, 1\)"):
        model.predict(np.zeros(3))
    with pytest.raises(ValueError, match="class indices 0..2"):
        model.fit(X, np.arange(7), verbose=0)
    with pytest.raises(ValueError, match=r"width 4 .* one_hot"):
        model.fit(X, np.eye(4)[[0] * 7], verbose=0)
    with pytest.raises(ValueError, match=r"y.ravel\(\)"):
        model.fit(X, np.zeros((7, 1)), verbose=0)
    with pytest.raises(ValueError, match="7 samples but y has 5"):
        model.fit(X, np.zeros(5), verbose=0)
    binary = Sequential([Dense(1, "sigmoid", input_dim=3)]).compile(loss="binary_crossentropy")
    with pytest.raises(ValueError, match=r"class indices 0..3.*Dense\(4, activation='softmax'\)"):
        binary.fit(X, np.array([0, 1, 2, 3, 0, 1, 2]), verbose=0)
    with pytest.raises(ValueError, match="-1/\\+1"):
        binary.fit(X, np.array([-1, 1, 1, -1, 1, 1, -1.0]), verbose=0)
    with pytest.raises(ValueError, match="outputs 2 values"):
        Sequential([Dense(2, input_dim=3)]).compile(loss="mse").fit(X, y, verbose=0)
    with pytest.raises(ValueError, match="softmax"):
        Sequential([Dense(3, input_dim=3)]).compile(loss="categorical_crossentropy")
    with pytest.raises(ValueError, match="logits"):
        Sequential([Dense(3, "softmax", input_dim=3)]).compile(loss="cross_entropy")
    with pytest.raises(ValueError, match="unknown activation"):
        Dense(3, activation="swish")
    with pytest.raises(TypeError, match="pair"):
        Sequential([Dense(1, input_dim=3)]).compile(loss=42)


def test_model_without_input_dim_is_built_by_the_data():
    model = Sequential([Dense(4, "relu"), Dense(1)], seed=0).compile(loss="mse")
    assert not model.built
    model.fit(_data(), np.zeros(7), epochs=1, verbose=0)
    assert model.layers[0].W.shape == (3, 4)


# ----------------------------------------------------------------------------- demonstrations and plots

def fit_line(X, y, loss, epochs=1500, learning_rate=0.05, seed=0):
    """(slope, intercept) of one linear unit trained by full-batch Adam on ``loss``."""
    model = Sequential([Dense(1, input_dim=1)], seed=seed)
    model.compile(optimizer=Adam(learning_rate), loss=loss)
    model.fit(X, y, epochs=epochs, batch_size=len(X), shuffle=False, verbose=0)
    return float(model.layers[0].W[0, 0]), float(model.layers[0].b[0])


def test_a_trained_linear_unit_matches_least_squares_and_least_absolute_deviations():
    from sklearn.linear_model import QuantileRegressor

    from lessons_lib.datasets import line_with_outliers

    X, y = line_with_outliers(seed=0)
    slope, intercept = fit_line(X, y, "mse")
    np.testing.assert_allclose([slope, intercept], np.polyfit(X[:, 0], y, 1), atol=1e-3)
    lad = QuantileRegressor(quantile=0.5, alpha=0.0, solver="highs").fit(X, y)
    mae_slope, _ = fit_line(X, y, "mae")
    assert mae_slope == pytest.approx(lad.coef_[0], abs=0.05)
    huber_slope, _ = fit_line(X, y, "huber")
    # the outliers drag only the MSE line: the lesson's claim, with a visible margin
    assert slope - 2.0 > 0.8 and abs(mae_slope - 2.0) < 0.2 and abs(huber_slope - 2.0) < 0.3


def test_confident_mistake_race_bce_learns_faster_than_mse():
    from lessons_lib.datasets import two_blobs
    from lessons_lib.demos import confident_mistake_race

    X, y = two_blobs(seed=0)
    race = confident_mistake_race(X, y, epochs=20)
    bce, sq = race["binary_crossentropy"], race["mse"]
    assert bce["accuracy"][0] < 0.1 and sq["accuracy"][0] < 0.1          # both start confidently wrong
    assert bce["accuracy"][-1] > 0.9 and sq["accuracy"][-1] < 0.5
    assert bce["grad_norm"][0] > 20 * sq["grad_norm"][0]


def test_plots_are_labelled():
    import matplotlib.pyplot as plt

    from lessons_lib.figures import plot_decision_regions, plot_history

    model = Sequential([Dense(3, "softmax", input_dim=2)], seed=0).compile(loss="cce", metrics=["accuracy"])
    X = _data(n=12, d=2)
    y = np.arange(12) % 3
    hist = model.fit(X, y, epochs=2, validation_data=(X, y), verbose=0)
    ax = plot_history({"run": hist}, key="accuracy")
    assert ax.get_xlabel() == "epoch" and len(ax.get_lines()) == 2 and ax.get_legend() is not None
    ax = plot_decision_regions(model, X, y, resolution=20)
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
    with pytest.raises(ValueError, match="2 features"):
        plot_decision_regions(model, np.zeros((3, 3)), y[:3])
    plt.close("all")
