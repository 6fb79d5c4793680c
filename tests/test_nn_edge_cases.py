"""lessons_lib.nn under adversarial use: bad input, odd shapes, misuse of the API, divergence.

Every error must say what is wrong and how to fix it; nothing may train silently wrong.
"""
import numpy as np
import pytest

from lessons_lib.metrics import binary_accuracy
from lessons_lib.nn import Dense, NotBuiltError, NotCompiledError, Sequential, TrainingDiverged
from lessons_lib.optimizers import SGD, Adam


def _data(n=8, d=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), rng.normal(size=n)


def _regressor(seed=0, **compile_kw):
    model = Sequential([Dense(4, "relu", input_dim=3), Dense(1)], seed=seed)
    return model.compile(**{"optimizer": "sgd", "loss": "mse", **compile_kw})


# ----------------------------------------------------------------------------- error types (spec: ValueError/TypeError)

def test_fit_before_compile_and_summary_before_build_are_value_errors_too():
    X, y = _data()
    with pytest.raises(ValueError, match=r"compile\(optimizer=") as err:
        Sequential([Dense(1, input_dim=3)]).fit(X, y, verbose=0)
    assert isinstance(err.value, (RuntimeError, NotCompiledError))      # Keras raises RuntimeError here
    unbuilt = Sequential([Dense(4), Dense(1)])
    for call in (unbuilt.summary, unbuilt.get_weights, lambda: unbuilt.set_weights([])):
        with pytest.raises(ValueError, match="input_dim") as err:
            call()
        assert isinstance(err.value, (RuntimeError, NotBuiltError))


def test_nan_loss_is_a_value_error_and_a_diverging_last_step_is_caught():
    X, y = _data(n=4)
    model = Sequential([Dense(1, input_dim=3)], seed=0).compile(optimizer=SGD(1e300), loss="mse")
    # one batch per epoch: the only step sends the weights to infinity, after the loss was computed
    with pytest.raises(ValueError, match=r"the weights became NaN or infinite in epoch 1, batch 1.*"
                                         r"smaller learning rate, e\.g\. 1e\+299 instead of 1e\+300") as err:
        model.fit(X, 1e12 * y, epochs=1, batch_size=4, verbose=0)
    assert isinstance(err.value, TrainingDiverged) and err.value.history.history["loss"] == []


# ----------------------------------------------------------------------------- data problems

@pytest.mark.parametrize("bad, message", [
    (np.array([[1.0, np.nan, 0.0]]), r"X contains nan at index \(0, 1\).*missing values"),
    (np.array([[1.0, 0.0, np.inf]]), r"X contains inf at index \(0, 2\)"),
    (np.zeros((0, 3)), r"X is empty \(shape \(0, 3\)\)"),
    ([[1, 2], [3]], "same length"),
    ([["a", "b", "c"]], "only numbers"),
    (np.zeros(3), r"X.reshape\(1, -1\)"),                     # a single sample of shape (d,)
    (np.zeros((2, 3, 1)), r"X.reshape\(len\(X\), -1\)"),
    (np.zeros((2, 4)), "4 features per sample.*input_dim=3"),
])
def test_bad_inputs_are_rejected_by_predict_and_fit(bad, message):
    model = _regressor()
    with pytest.raises((ValueError, TypeError), match=message):
        model.predict(bad)
    with pytest.raises((ValueError, TypeError), match=message):
        model.fit(bad, np.zeros(len(bad)), verbose=0)


def test_single_sample_must_be_a_row_and_then_matches_batch_prediction():
    X, _ = _data()
    model = _regressor()
    # one row and a batch take different BLAS routines: equal to rounding, not bit for bit
    np.testing.assert_allclose(model.predict(X[3].reshape(1, -1)), model.predict(X)[3:4], rtol=1e-12, atol=1e-15)
    assert model.predict(X[3].reshape(1, -1)).shape == (1, 1)


def test_int_and_bool_inputs_are_converted_to_float64():
    model = _regressor()
    X = np.array([[1, 0, 2], [0, 1, 1]])
    # Exact on purpose: after conversion the input is the identical float64 array, so the same kernel
    # runs on the same numbers; any difference would mean the conversion changed a value.
    np.testing.assert_array_equal(model.predict(X), model.predict(X.astype(float)))
    np.testing.assert_array_equal(model.predict(X.astype(bool)), model.predict((X > 0).astype(float)))
    assert model.predict(X.tolist()).dtype == np.float64


def test_nan_in_targets_and_mismatched_lengths():
    X, y = _data()
    model = _regressor()
    y_bad = y.copy()
    y_bad[5] = np.nan
    with pytest.raises(ValueError, match=r"y contains nan at index \(5,\)"):
        model.fit(X, y_bad, verbose=0)
    with pytest.raises(ValueError, match="X has 8 samples but y has 5"):
        model.fit(X, y[:5], verbose=0)
    with pytest.raises(ValueError, match="X has 8 samples but y has 0"):
        model.fit(X, 1.0, verbose=0)


def test_validation_data_errors_name_the_validation_arrays():
    X, y = _data()
    model = _regressor()
    with pytest.raises(ValueError, match="X_val has 2 features"):
        model.fit(X, y, validation_data=(X[:, :2], y), verbose=0)
    with pytest.raises(ValueError, match="X_val has 8 samples but y_val has 3"):
        model.fit(X, y, validation_data=(X, y[:3]), verbose=0)
    with pytest.raises(ValueError, match="y_val has shape"):
        model.fit(X, y, validation_data=(X, np.zeros((8, 2))), verbose=0)
    with pytest.raises(TypeError, match="pair"):
        model.fit(X, y, validation_data=(X, y, y), verbose=0)
    with pytest.raises(TypeError, match="pair"):
        model.fit(X, y, validation_data=X, verbose=0)
    weights = model.get_weights()
    with pytest.raises(ValueError, match="X_val contains nan"):
        model.fit(X, y, validation_data=(np.full_like(X, np.nan), y), verbose=0)
    for a, b in zip(weights, model.get_weights()):              # checked before any training step
        np.testing.assert_array_equal(a, b)


# ----------------------------------------------------------------------------- labels that do not suit the loss

def test_labels_that_do_not_match_the_loss():
    X, _ = _data(n=6)
    binary = Sequential([Dense(1, "sigmoid", input_dim=3)]).compile(loss="binary_crossentropy")
    with pytest.raises(ValueError, match=r"class indices 0..2.*Dense\(3, activation='softmax'\)"):
        binary.fit(X, [0, 1, 2, 0, 1, 2], verbose=0)
    with pytest.raises(ValueError, match=r"y\[:, 1\] of one-hot rows"):
        binary.fit(X, np.eye(2)[[0, 1, 1, 0, 1, 0]], verbose=0)
    softmax = Sequential([Dense(3, "softmax", input_dim=3)]).compile(loss="categorical_crossentropy")
    with pytest.raises(ValueError, match=r"width 2 .*one_hot\(labels, 3\)"):
        softmax.fit(X, np.eye(2)[[0, 1, 1, 0, 1, 0]], verbose=0)
    with pytest.raises(ValueError, match=r"row 1 of y is \[1.0, 1.0, 0.0\].*sum to 1"):
        softmax.fit(X, [[1, 0, 0], [1, 1, 0]] + [[0, 0, 1]] * 4, verbose=0)
    with pytest.raises(ValueError, match=r"y has shape \(6, 3, 1\)"):
        softmax.fit(X, np.eye(3)[[0, 1, 2, 0, 1, 2]][:, :, None], verbose=0)
    mse_softmax = Sequential([Dense(3, "softmax", input_dim=3)]).compile(loss="mse")
    with pytest.raises(ValueError, match=r"look like class indices.*one_hot\(y, 3\)"):
        mse_softmax.fit(X, [0, 1, 2, 0, 1, 2], verbose=0)


def test_softmax_over_one_unit_is_rejected():
    for loss in ("binary_crossentropy", "mse"):
        with pytest.raises(ValueError, match="single unit always outputs 1.0.*sigmoid"):
            Sequential([Dense(1, "softmax", input_dim=3)]).compile(loss=loss)


def test_failed_compile_leaves_the_model_uncompiled():
    model = Sequential([Dense(3, input_dim=3)])
    with pytest.raises(ValueError):
        model.compile(optimizer="adam", loss="categorical_crossentropy")      # linear output: rejected
    with pytest.raises(NotCompiledError):
        model.fit(np.zeros((2, 3)), [0, 1], verbose=0)


# ----------------------------------------------------------------------------- custom losses

def _mean_sq(y_true, y_pred):
    return float(np.mean((y_pred - y_true) ** 2))


def test_custom_loss_with_a_flattened_gradient_is_rejected_not_broadcast():
    def flat_grad(y_true, y_pred):               # (n,) instead of (n, 1): relu'(z) * g would be (n, n)
        return (2.0 * (y_pred - y_true) / y_true.size).ravel()

    X, y = _data()
    model = Sequential([Dense(4, "relu", input_dim=3), Dense(1, "relu")], seed=0)
    model.compile(loss=(_mean_sq, flat_grad))
    with pytest.raises(ValueError, match=r"gradient of the loss '_mean_sq' has shape \(8,\).*\(8, 1\)"):
        model.fit(X, y, verbose=0)


def test_custom_loss_returning_per_sample_values_is_rejected():
    def per_sample(y_true, y_pred):
        return (y_pred - y_true) ** 2

    X, y = _data()
    model = _regressor(loss=(per_sample, lambda t, p: 2 * (p - t) / t.size))
    with pytest.raises(ValueError, match=r"returned an array of shape \(8, 1\).*single number"):
        model.fit(X, y, verbose=0)
    with pytest.raises(ValueError, match="single number"):
        model.evaluate(X, y)


def test_custom_loss_pair_trains_exactly_like_the_builtin():
    X, y = _data()
    builtin = _regressor(optimizer=Adam(0.01))
    custom = _regressor(optimizer=Adam(0.01), loss=(_mean_sq, lambda t, p: 2 * (p - t) / t.size))
    h1 = builtin.fit(X, y, epochs=3, batch_size=3, seed=0, verbose=0)
    h2 = custom.fit(X, y, epochs=3, batch_size=3, seed=0, verbose=0)
    np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-12)
    for a, b in zip(builtin.get_weights(), custom.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-15)


# ----------------------------------------------------------------------------- names

def test_unknown_names_list_the_valid_ones():
    with pytest.raises(ValueError, match="linear, relu, sigmoid, tanh, softmax"):
        Dense(3, activation="swish")
    with pytest.raises(TypeError, match="name such as 'relu'"):
        Dense(3, activation=np.tanh)
    with pytest.raises(TypeError, match="name such as 'relu'"):
        Dense(3, activation=["relu"])
    assert Dense(3, activation=" ReLU").activation == "relu"
    model = Sequential([Dense(1, input_dim=3)])
    with pytest.raises(ValueError, match="'sgd' or 'adam'"):
        model.compile(optimizer="rmsprop")
    with pytest.raises(ValueError, match="'accuracy', 'mae' or 'mse'"):
        model.compile(metrics=["f1"])
    with pytest.raises(ValueError, match="Valid names: .*mse"):
        model.compile(loss="mean_sqared_eror")
    with pytest.raises(TypeError, match=r"Sequential\(\[Dense"):
        Sequential(Dense(3, input_dim=3))


def test_metrics_argument_forms():
    X, y = _data()
    model = _regressor(metrics="mae")                         # a single name is a list of one
    assert list(model.fit(X, y, verbose=0).history) == ["loss", "mae"]
    with pytest.raises(ValueError, match="listed twice"):
        _regressor(metrics=["mae", "mean_absolute_error"])

    def loss(y_true, y_pred):                                  # would overwrite history["loss"]
        return 0.0

    with pytest.raises(ValueError, match="cannot be called 'loss'"):
        _regressor(metrics=[loss])


# ----------------------------------------------------------------------------- weights

def test_set_weights_checks_everything_before_changing_anything():
    model = _regressor()
    before = model.get_weights()
    good = [np.ones_like(w) for w in before]
    with pytest.raises(ValueError, match="needs 4 arrays"):
        model.set_weights(good[:3])
    with pytest.raises(ValueError, match="needs 4 arrays"):
        model.set_weights(good + [np.zeros(1)])
    with pytest.raises(ValueError, match=r"weights\[1\] has shape \(1, 4\), but this model needs \(4,\)"):
        model.set_weights([good[0], good[1][None, :], good[2], good[3]])
    with pytest.raises(ValueError, match=r"weights\[0\] has shape \(4, 3\)"):
        model.set_weights([good[0].T, *good[1:]])                   # PyTorch's (out, in) layout
    with pytest.raises(ValueError, match=r"weights\[3\] contains nan"):
        model.set_weights([*good[:3], np.array([np.nan])])
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)
    model.set_weights([w.tolist() for w in good])                   # lists are fine
    assert all((w == 1).all() for w in model.get_weights())


def test_get_weights_returns_copies():
    model = _regressor()
    weights = model.get_weights()
    weights[0][:] = 123.0
    assert not (model.layers[0].W == 123.0).any()


# ----------------------------------------------------------------------------- Dense used on its own

def test_dense_layer_misuse():
    layer = Dense(1, "relu", input_dim=2, seed=0)
    with pytest.raises(RuntimeError, match="call forward"):
        layer.backward(np.ones((3, 1)))
    out = layer.forward([[1, 2], [0, 1], [2, 2]])                  # lists and ints are fine
    assert out.shape == (3, 1) and out.dtype == np.float64
    with pytest.raises(ValueError, match=r"grad_out = dL/da has shape \(3,\).*\(3, 1\)"):
        layer.backward(np.ones(3))
    with pytest.raises(ValueError, match=r"expects input of shape \(n, 2\)"):
        layer.forward(np.ones((3, 3)))
    with pytest.raises(NotBuiltError, match="input_dim"):
        Dense(2).forward(np.ones((1, 2)))


# ----------------------------------------------------------------------------- fit behaviour

def test_shuffle_is_deterministic_with_a_seed_and_ignored_without_shuffling():
    X, y = _data(n=20)

    def run(**kw):
        model = _regressor(optimizer=SGD(0.05))
        model.fit(X, y, epochs=3, batch_size=4, verbose=0, **kw)
        return model.get_weights()

    # Exact comparisons on purpose: reruns with the same seed execute the same kernels on the same numbers.
    same = [run(seed=1), run(seed=1)]
    other = run(seed=2)
    assert all(np.array_equal(a, b) for a, b in zip(*same))
    assert not np.array_equal(same[0][0], other[0])
    unshuffled = [run(shuffle=False, seed=1), run(shuffle=False, seed=2), run(shuffle=False)]
    assert all(np.array_equal(a, b) for w in unshuffled[1:] for a, b in zip(unshuffled[0], w))
    assert not np.array_equal(unshuffled[0][0], same[0][0])


def test_batch_size_none_means_32_like_keras_and_bad_values_are_rejected():
    X, y = _data(n=70)
    a, b = _regressor(), _regressor()
    a.fit(X, y, batch_size=None, seed=0, verbose=0)
    b.fit(X, y, batch_size=32, seed=0, verbose=0)
    assert a.optimizer.iterations == b.optimizer.iterations == 3
    assert all(np.array_equal(u, v) for u, v in zip(a.get_weights(), b.get_weights()))
    for bad in (0, -1, 2.5, "32"):
        with pytest.raises(ValueError, match="batch_size"):
            a.fit(X, y, batch_size=bad, verbose=0)
    with pytest.raises(ValueError, match="verbose"):
        a.fit(X, y, verbose=3)


def test_reusing_one_optimizer_object_for_a_second_model_starts_fresh():
    X, y = _data()
    shared = Adam(0.1)
    first = _regressor(optimizer=shared)
    first.fit(X, y, epochs=3, seed=0, verbose=0)
    second = _regressor(optimizer=shared)
    second.fit(X, y, epochs=2, seed=1, verbose=0)
    fresh = _regressor(optimizer=Adam(0.1))
    fresh.fit(X, y, epochs=2, seed=1, verbose=0)
    # exact on purpose: the same seeded run on the same shapes; leaked optimizer state would differ
    for a, b in zip(second.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(a, b)
    wider = Sequential([Dense(7, "relu", input_dim=3), Dense(1)], seed=0).compile(optimizer=shared, loss="mse")
    wider.fit(X, y, epochs=1, verbose=0)                            # other shapes: no broadcasting error
    # training the same model again keeps its optimizer memory (and step count), as in Keras
    wider.fit(X, y, epochs=1, verbose=0)
    assert shared.iterations == 2


def test_momentum_and_betas_accept_numpy_numbers():
    assert SGD(0.1, momentum=np.float32(0.9)).momentum == pytest.approx(0.9)
    assert Adam(np.float64(0.01), beta_1=np.float32(0.5)).beta_1 == 0.5


def test_verbose_1_draws_a_tqdm_bar_per_epoch_with_the_epoch_results(capsys):
    X, y = _data(n=10)
    model = _regressor(metrics=["mae"])
    model.fit(X, y, epochs=2, batch_size=4, validation_data=(X, y), verbose=1)
    err = capsys.readouterr().err
    assert "Epoch 1/2" in err and "Epoch 2/2" in err and "3/3" in err and "batch/s" in err
    last = err.strip().split("\r")[-1]
    assert "loss=" in last and "mae=" in last and "val_loss=" in last and "val_mae=" in last


def test_accuracy_for_multi_label_sigmoid_outputs_is_per_output():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])          # rows are not one-hot: argmax is meaningless
    model = Sequential([Dense(2, "sigmoid", input_dim=2)]).compile(loss="bce", metrics=["accuracy"])
    model.set_weights([np.array([[5.0, -5.0], [-5.0, 5.0]]), np.array([0.0, 0.0])])
    # predictions: row 3 -> (0.5, 0.5), counted as 0 by the > 0.5 threshold: 4 of 6 outputs right
    assert model.evaluate(X, y) == [pytest.approx(model.compute_loss(X, y)), pytest.approx(4 / 6)]
    assert binary_accuracy(y, model.predict(X)) == pytest.approx(4 / 6)
    with pytest.raises(ValueError, match="one 0/1 label per output"):
        binary_accuracy(y, np.zeros((3, 3)))
    softmax = Sequential([Dense(2, "softmax", input_dim=2)]).compile(loss="bce", metrics=["accuracy"])
    softmax.set_weights([np.array([[5.0, -5.0], [-5.0, 5.0]]), np.array([0.0, 0.1])])
    assert softmax.evaluate(X[:2], y[:2])[1] == 1.0                 # softmax outputs: argmax accuracy


@pytest.mark.parametrize("final, loss, y", [
    ("sigmoid", "binary_crossentropy", np.array([1.0, 0.0])),
    ("softmax", "categorical_crossentropy", np.array([1, 0])),
])
def test_fused_gradient_stays_exact_for_confidently_wrong_outputs(final, loss, y):
    """Logit gaps of 1000: probabilities round to exactly 0/1, yet the gradient at z is still p - y, not 0."""
    k = 1 if final == "sigmoid" else 2
    model = Sequential([Dense(k, final, input_dim=1)]).compile(loss=loss)
    W = np.array([[-1000.0]]) if k == 1 else np.array([[500.0, -500.0]])
    model.set_weights([W, np.zeros(k)])
    X = np.array([[1.0], [-1.0]])                               # both samples confidently wrong
    value, (dW, db) = model.compute_gradients(X, y)
    assert np.isfinite(value) and value == pytest.approx(1000.0)
    if k == 1:
        # Exact on purpose: every product and sum here is of small integers and halves, which float64
        # represents exactly in any summation order.
        np.testing.assert_array_equal(db, [(-1.0 + 1.0) / 2])  # (p - y) / n = (0 - 1 + 1 - 0) / 2
        np.testing.assert_array_equal(dW, [[(-1.0 * 1.0 + 1.0 * -1.0) / 2]])
    else:
        np.testing.assert_array_equal(db, [0.0, 0.0])
        np.testing.assert_array_equal(dW, [[1.0, -1.0]])


def test_regression_metrics_reject_class_indices_out_of_range():
    from lessons_lib.metrics import mean_absolute_error

    assert mean_absolute_error([1, 0], [[0.0, 1.0], [1.0, 0.0]]) == 0.0
    with pytest.raises(ValueError, match="class indices 0..1"):
        mean_absolute_error([2, 0], [[0.0, 1.0], [1.0, 0.0]])
    with pytest.raises(ValueError, match="class indices 0..1"):
        mean_absolute_error([0.5, 0], [[0.0, 1.0], [1.0, 0.0]])


def test_accuracy_rejects_class_indices_that_do_not_exist():
    from lessons_lib.metrics import accuracy

    scores = np.array([[0.2, 0.8], [0.5, 0.5]])
    with pytest.raises(ValueError, match=r"y_true\[1\] = 2 is not a class index.*0\.\.1"):
        accuracy([0, 2], scores)
    with pytest.raises(ValueError, match="not a class index"):
        accuracy([0, 0.5], scores)
    assert accuracy([1, 0], scores) == 1.0
