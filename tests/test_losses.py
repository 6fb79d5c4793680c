"""lessons_lib.losses without PyTorch: hand-worked values, finite differences, properties, bad input."""
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lessons_lib import losses as L
from lessons_lib.gradcheck import check_gradient, numerical_gradient

settings.register_profile("course", deadline=None, max_examples=60)
settings.load_profile("course")

# ---------------------------------------------------------------- hand-worked numbers (the seed examples)


def test_score_example_90_vs_70_is_400():
    assert L.mse(90, 70) == 400.0
    assert L.mse([90], [70]) == 400.0
    assert L.mae(90, 70) == 20.0


def test_house_prices_big_miss_costs_100x_under_mse_but_10x_under_mae():
    price = 300_000.0
    big, small = L.mse(price, price - 50_000), L.mse(price, price + 5_000)
    assert big == 2.5e9 and small == 2.5e7
    assert big / small == pytest.approx(100.0, rel=1e-15)
    assert L.mae(price, price - 50_000) / L.mae(price, price + 5_000) == pytest.approx(10.0, rel=1e-15)


def test_mean_divides_by_number_of_elements():
    # errors 0, 0, 2 -> squared 0, 0, 4 -> mean 4/3, sum 4
    assert L.mse([1, 2, 3], [1, 2, 5]) == pytest.approx(4 / 3, rel=1e-15)
    assert L.mse([1, 2, 3], [1, 2, 5], reduction="sum") == 4.0
    np.testing.assert_array_equal(L.mse([1, 2, 3], [1, 2, 5], reduction="none"), [0.0, 0.0, 4.0])


def test_huber_by_hand():
    # |d| = 0.5 <= 1: 0.5 * 0.25;  |d| = 3 > 1: 1 * (3 - 0.5)
    np.testing.assert_array_equal(L.huber([0, 0], [0.5, 3], reduction="none"), [0.125, 2.5])
    np.testing.assert_array_equal(L.huber([0, 0], [0.5, 3], delta=2.0, reduction="none"), [0.125, 4.0])
    np.testing.assert_array_equal(L.huber_grad([0, 0, 0], [0.5, 3, -3], reduction="sum"), [0.5, 1.0, -1.0])


def test_bce_by_hand():
    assert L.binary_cross_entropy([1.0], [0.9]) == pytest.approx(-math.log(0.9), rel=1e-15)
    assert L.binary_cross_entropy([0.0], [0.9]) == pytest.approx(-math.log(0.1), rel=1e-14)
    assert L.binary_cross_entropy([1.0], [0.5]) == pytest.approx(math.log(2), rel=1e-15)
    # confidently wrong costs the clamp (100), never infinity; confidently right costs 0
    np.testing.assert_array_equal(L.binary_cross_entropy([1, 0, 1, 0], [0, 1, 1, 0], reduction="none"),
                                  [100.0, 100.0, 0.0, 0.0])


def test_bce_with_logits_agrees_with_bce_on_sigmoid():
    z = np.linspace(-20, 20, 41)
    y = (np.arange(41) % 3) / 2.0
    p = 1 / (1 + np.exp(-z))
    # The probability form loses digits when 1 - p rounds (z = 20 gives p = 1 - 2e-9): that loss of
    # precision is exactly why the logit form exists, so the two agree only to ~1e-8 there.
    np.testing.assert_allclose(L.binary_cross_entropy_with_logits(y, z, reduction="none"),
                               L.binary_cross_entropy(y, p, reduction="none"), rtol=1e-7, atol=1e-12)
    # logits of +-1000: exact limits, no overflow
    np.testing.assert_array_equal(
        L.binary_cross_entropy_with_logits([1, 0, 0, 1], [1000, -1000, 1000, -1000], reduction="none"),
        [0.0, 0.0, 1000.0, 1000.0])


def test_categorical_by_hand_indices_one_hot_and_single_sample_agree():
    p = np.array([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])
    expected = [-math.log(0.7), -math.log(0.5)]
    np.testing.assert_allclose(L.categorical_cross_entropy([2, 0], p, reduction="none"), expected, rtol=1e-15)
    np.testing.assert_allclose(L.categorical_cross_entropy(np.eye(3)[[2, 0]], p, reduction="none"), expected,
                               rtol=1e-15)
    assert L.categorical_cross_entropy(2, p[0]) == pytest.approx(expected[0], rel=1e-15)
    assert L.categorical_cross_entropy([0, 0, 1], p[0]) == pytest.approx(expected[0], rel=1e-15)
    assert L.categorical_cross_entropy_grad(2, p[0]).shape == (3,)


def test_softmax_cross_entropy_equals_cce_of_softmax_and_survives_large_logits():
    z = np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0]])
    p = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert L.softmax_cross_entropy([0, 1], z) == pytest.approx(L.categorical_cross_entropy([0, 1], p), rel=1e-14)
    assert L.softmax_cross_entropy([1], [[0.0, 0.0, 0.0]]) == pytest.approx(math.log(3), rel=1e-15)
    assert L.softmax_cross_entropy([0], [[1000.0, -1000.0, 0.0]]) == 0.0
    assert L.softmax_cross_entropy([1], [[1000.0, -1000.0, 0.0]]) == 2000.0


def test_get_loss_accepts_keras_and_pytorch_spellings():
    for name, canonical in [("mse", "mse"), ("mean_squared_error", "mse"), ("MeanSquaredError", "mse"),
                            ("MSELoss", "mse"), ("mae", "mae"), ("L1Loss", "mae"), ("Huber", "huber"),
                            ("binary_crossentropy", "binary_cross_entropy"), ("BCELoss", "binary_cross_entropy"),
                            ("BCEWithLogitsLoss", "binary_cross_entropy_with_logits"),
                            ("categorical_crossentropy", "categorical_cross_entropy"),
                            ("sparse_categorical_crossentropy", "categorical_cross_entropy"),
                            ("CrossEntropyLoss", "softmax_cross_entropy"), ("Mean Squared Error", "mse")]:
        assert L.get_loss(name).name == canonical, name
    fn, grad = L.get_loss("mse")
    assert fn is L.mse and grad is L.mse_grad
    assert L.get_loss("mse")(90, 70) == 400.0


def test_get_loss_unknown_name_suggests_and_lists():
    with pytest.raises(ValueError, match=r"unknown loss 'mean_sqared_error'.*mean_squared_error.*Valid names"):
        L.get_loss("mean_sqared_error")
    with pytest.raises(TypeError, match="string"):
        L.get_loss(3)


# ---------------------------------------------------------------- gradients against finite differences

def _fd_cases():
    rng = np.random.default_rng(7)
    y_reg, p_reg = rng.normal(size=(6, 2)), rng.normal(size=(6, 2)) * 2
    y_bin, p_bin = rng.uniform(size=8), rng.uniform(0.05, 0.95, size=8)
    z_bin = rng.normal(size=8) * 3
    idx = rng.integers(0, 4, size=5)
    probs = rng.dirichlet(np.ones(4) * 2, size=5)
    soft = rng.dirichlet(np.ones(4), size=5)
    logits = rng.normal(size=(5, 4)) * 3
    return [
        ("mse", L.mse, L.mse_grad, y_reg, p_reg),
        ("mae", L.mae, L.mae_grad, y_reg, p_reg),
        ("huber", L.huber, L.huber_grad, y_reg, p_reg),
        ("bce", L.binary_cross_entropy, L.binary_cross_entropy_grad, y_bin, p_bin),
        ("bce_logits", L.binary_cross_entropy_with_logits, L.binary_cross_entropy_with_logits_grad, y_bin, z_bin),
        ("cce_idx", L.categorical_cross_entropy, L.categorical_cross_entropy_grad, idx, probs),
        ("cce_soft", L.categorical_cross_entropy, L.categorical_cross_entropy_grad, soft, probs),
        ("sce_idx", L.softmax_cross_entropy, L.softmax_cross_entropy_grad, idx, logits),
        ("sce_soft", L.softmax_cross_entropy, L.softmax_cross_entropy_grad, soft, logits),
    ]


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize("case", _fd_cases(), ids=lambda c: c[0])
def test_gradient_matches_finite_differences(case, reduction):
    _, fn, grad, y, p = case
    result = check_gradient(lambda q: fn(y, q, reduction=reduction), lambda q: grad(y, q, reduction=reduction),
                            p, h=1e-6, rtol=1e-6, atol=1e-8)
    assert result.ok, str(result)


@pytest.mark.parametrize("case", _fd_cases(), ids=lambda c: c[0])
def test_none_gradient_is_gradient_of_the_summed_losses(case):
    _, fn, grad, y, p = case
    np.testing.assert_allclose(grad(y, p, reduction="none"), grad(y, p, reduction="sum"), rtol=1e-15)


def test_kinks_follow_pytorch_conventions():
    np.testing.assert_array_equal(L.mae_grad([1.0, 1.0], [1.0, 2.0], reduction="sum"), [0.0, 1.0])
    np.testing.assert_array_equal(L.huber_grad([0.0, 0.0], [1.0, -1.0], reduction="sum"), [1.0, -1.0])
    # BCE at p = 0 or 1: finite, pointing the right way
    g = L.binary_cross_entropy_grad([1.0, 0.0], [0.0, 1.0], reduction="sum")
    assert np.all(np.isfinite(g)) and g[0] < -1e11 and g[1] > 1e11


def test_numerical_gradient_restores_its_input():
    x = np.array([1.0, 2.0, 3.0])
    numerical_gradient(lambda v: float((v ** 2).sum()), x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_check_gradient_flags_a_wrong_gradient():
    x = np.array([0.3, -1.2, 2.0])
    wrong = check_gradient(lambda v: L.mse(np.zeros(3), v), lambda v: v / 3, x)  # missing the factor 2
    assert not wrong.ok and "MISMATCH" in str(wrong)


# ---------------------------------------------------------------- properties

finite = st.floats(-1e6, 1e6, allow_nan=False)
probs = st.floats(0.0, 1.0)


@st.composite
def regression_pairs(draw):
    shape = draw(st.tuples(st.integers(1, 6), st.integers(1, 3)))
    return draw(arrays(np.float64, shape, elements=finite)), draw(arrays(np.float64, shape, elements=finite))


@given(regression_pairs())
def test_regression_losses_are_nonnegative_symmetric_and_zero_iff_perfect(pair):
    y, p = pair
    for fn in (L.mse, L.mae, L.huber):
        value = fn(y, p)
        assert value >= 0
        assert fn(p, y) == pytest.approx(value, rel=1e-12)  # symmetric in its arguments
        assert fn(y, y) == 0.0
        assert (value == 0.0) == bool(np.all(y == p)) or value < 1e-300


@given(regression_pairs())
def test_reductions_are_consistent(pair):
    y, p = pair
    for fn in (L.mse, L.mae, L.huber):
        per = fn(y, p, reduction="none")
        assert per.shape == y.shape
        assert fn(y, p, reduction="sum") == pytest.approx(per.sum(), rel=1e-12, abs=1e-300)
        assert fn(y, p, reduction="mean") == pytest.approx(per.mean(), rel=1e-12, abs=1e-300)


@given(regression_pairs())
def test_huber_lies_between_its_quadratic_and_linear_pieces(pair):
    y, p = pair
    d = np.abs(p - y)
    h = L.huber(y, p, reduction="none")
    assert np.all(h <= 0.5 * d ** 2 * (1 + 1e-12) + 1e-300)
    assert np.all(h <= d * (1 + 1e-12))


@given(arrays(np.float64, st.integers(1, 20), elements=probs), st.data())
def test_bce_is_nonnegative_and_minimised_at_the_label(p, data):
    y = data.draw(arrays(np.float64, p.shape, elements=st.sampled_from([0.0, 1.0])))
    value = L.binary_cross_entropy(y, p, reduction="none")
    assert np.all(value >= 0) and np.all(value <= 100.0)
    assert L.binary_cross_entropy(y, y) == 0.0


@given(arrays(np.float64, st.tuples(st.integers(1, 8), st.integers(2, 6)),
              elements=st.floats(-1000, 1000)), st.data())
def test_softmax_cross_entropy_is_finite_and_consistent(z, data):
    n, k = z.shape
    idx = data.draw(arrays(np.int64, (n,), elements=st.integers(0, k - 1)))
    value = L.softmax_cross_entropy(idx, z, reduction="none")
    assert np.all(np.isfinite(value)) and np.all(value >= 0)
    np.testing.assert_allclose(value, L.softmax_cross_entropy(np.eye(k)[idx], z, reduction="none"),
                               rtol=1e-12, atol=1e-12)
    g = L.softmax_cross_entropy_grad(idx, z, reduction="sum")
    np.testing.assert_allclose(g.sum(axis=1), 0.0, atol=1e-12)  # softmax - one-hot sums to zero per row


# ---------------------------------------------------------------- bad input: clear errors

ALL_PAIRWISE = [L.mse, L.mae, L.huber, L.binary_cross_entropy, L.binary_cross_entropy_with_logits,
                L.mse_grad, L.mae_grad, L.huber_grad, L.binary_cross_entropy_grad,
                L.binary_cross_entropy_with_logits_grad]


@pytest.mark.parametrize("fn", ALL_PAIRWISE, ids=lambda f: f.__name__)
def test_column_vs_row_broadcasting_trap_is_explained(fn):
    y = np.array([1.0, 0.0, 1.0])
    with pytest.raises(ValueError, match=r"\(3,\).*\(3, 1\).*3 x 3 = 9 pairs.*ravel"):
        fn(y, np.array([[0.5], [0.5], [0.5]]))
    with pytest.raises(ValueError, match=r"\(3, 1\).*\(3,\)"):
        fn(y.reshape(-1, 1), np.array([0.5, 0.5, 0.5]))


@pytest.mark.parametrize("fn", ALL_PAIRWISE, ids=lambda f: f.__name__)
@pytest.mark.parametrize("bad, error, pattern", [
    ([], ValueError, "empty"),
    ([float("nan")], ValueError, "nan"),
    ([float("inf")], ValueError, "inf"),
    (["a"], TypeError, "numbers"),
    ("0.5", TypeError, "numbers"),
    (None, TypeError, "numbers"),
    ([1 + 2j], TypeError, "real"),
    ([[0.5, 0.5], [0.5]], ValueError, "same length"),
])
def test_bad_values_raise_clear_errors(fn, bad, error, pattern):
    with pytest.raises(error, match=pattern):
        fn(bad, bad)


@pytest.mark.parametrize("fn", ALL_PAIRWISE, ids=lambda f: f.__name__)
def test_shape_mismatch_and_unknown_reduction(fn):
    with pytest.raises(ValueError, match="same shape"):
        fn([1.0, 0.0], [0.5, 0.5, 0.5])
    with pytest.raises(ValueError, match="reduction must be one of"):
        fn([1.0], [0.5], reduction="average")


def test_probability_and_label_ranges_are_checked():
    with pytest.raises(ValueError, match=r"y_pred \(probabilities\) must lie in \[0, 1\].*logits"):
        L.binary_cross_entropy([1.0, 0.0], [2.3, 0.1])
    with pytest.raises(ValueError, match=r"y_true \(labels\).*-1/\+1"):
        L.binary_cross_entropy([-1.0, 1.0], [0.2, 0.1])
    with pytest.raises(ValueError, match="labels"):
        L.binary_cross_entropy_with_logits([2.0], [0.1])
    with pytest.raises(ValueError, match="must lie in"):
        L.categorical_cross_entropy([0], [[1.5, -0.5]])


def test_class_targets_are_checked():
    p = np.array([[0.2, 0.8], [0.6, 0.4]])
    with pytest.raises(ValueError, match=r"out of range.*0\.\.1"):
        L.categorical_cross_entropy([0, 2], p)
    with pytest.raises(ValueError, match="whole numbers"):
        L.softmax_cross_entropy([0.5, 1], p)
    with pytest.raises(ValueError, match="sums to 0.5"):
        L.categorical_cross_entropy([[0.5, 0.0], [0.0, 1.0]], p)
    with pytest.raises(ValueError, match=r"column.*ravel"):
        L.categorical_cross_entropy(np.array([[0], [1]]), p)
    with pytest.raises(ValueError, match=r"shape \(n, k\)"):
        L.softmax_cross_entropy([0], np.zeros((1, 2, 2)))
    with pytest.raises(ValueError, match="must be"):
        L.softmax_cross_entropy([0, 1, 1], p)


def test_predicted_probability_rows_must_sum_to_one():
    # softmax over the wrong axis: each column sums to 1, the rows do not
    z = np.array([[2.0, 1.0, 0.1], [0.5, 3.0, 0.2]])
    wrong_axis = np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)
    with pytest.raises(ValueError, match=r"row 0 of y_pred .*sums to .*axis=1"):
        L.categorical_cross_entropy([0, 1], wrong_axis)
    with pytest.raises(ValueError, match="sums to"):
        L.categorical_cross_entropy_grad(np.eye(3)[[0, 1]], wrong_axis)
    # rounding-level deviations (float32 softmax) are fine
    p32 = (np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)).astype(np.float32)
    assert np.isfinite(L.categorical_cross_entropy([0, 1], p32))


def test_delta_must_be_positive():
    with pytest.raises(ValueError, match="positive"):
        L.huber([1.0], [2.0], delta=0)
    with pytest.raises(TypeError, match="positive number"):
        L.huber([1.0], [2.0], delta="1")


def test_lists_scalars_ints_and_bools_are_accepted():
    assert L.mse([1, 2], [1, 4]) == 2.0
    assert L.binary_cross_entropy([True, False], [1.0, 0.0]) == 0.0
    assert isinstance(L.mse(np.float32(3), np.float32(1)), float)
    assert L.mse(np.array([2**62]), np.array([2**62 + 2**12])) == 2.0 ** 24  # ints go through float64


def test_inputs_are_never_modified():
    y, p = np.array([1.0, 2.0]), np.array([3.0, 5.0])
    for grad in (L.mse_grad, L.mae_grad, L.huber_grad):
        grad(y, p)
    np.testing.assert_array_equal(y, [1.0, 2.0])
    np.testing.assert_array_equal(p, [3.0, 5.0])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("case", _fd_cases(), ids=lambda c: c[0])
def test_value_and_grad_equals_the_separate_functions(case, reduction):
    # two code paths (the fused kernels and the readable formulas) that sum in different orders
    _, fn, grad, y, p = case
    value, g = L.get_loss(fn.__name__).value_and_grad(y, p, reduction=reduction)
    np.testing.assert_allclose(value, fn(y, p, reduction=reduction), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(g, grad(y, p, reduction=reduction), rtol=1e-12, atol=1e-15)


def test_huber_value_and_grad_honours_delta():
    y, p = np.zeros(3), np.array([0.5, 3.0, -4.0])
    value, g = L.get_loss("huber").value_and_grad(y, p, delta=2.0, reduction="sum")
    assert value == L.huber(y, p, delta=2.0, reduction="sum") == 0.125 + 4.0 + 6.0
    np.testing.assert_array_equal(g, [0.5, 2.0, -2.0])
    with pytest.raises(ValueError, match="positive"):
        L.get_loss("huber").value_and_grad(y, p, delta=-1.0)


def test_bce_with_logits_keeps_tiny_losses_of_confident_right_answers():
    # exact per-element value max(z, 0) - z y + log1p(exp(-|z|)), computed in plain Python floats
    import math

    z = np.array([40.0, -40.0, 36.0, -36.0, 700.0, -700.0, 3.5, -3.5])
    for label in (0.0, 1.0):
        y = np.full_like(z, label)
        exact = np.array([(max(zi, 0.0) - zi * label) + math.log1p(math.exp(-abs(zi))) for zi in z])
        got = L.binary_cross_entropy_with_logits(y, z, reduction="none")
        np.testing.assert_allclose(got, exact, rtol=1e-15, atol=0)


def test_gradient_checker_explains_a_non_scalar_function_and_empty_input():
    from lessons_lib.gradcheck import check_gradient, numerical_gradient

    x = np.array([0.5, 2.0])
    with pytest.raises(ValueError, match=r"single number.*shape \(2,\).*np.mean"):
        numerical_gradient(lambda v: v ** 2, x)           # per-element losses, not their mean
    with pytest.raises(TypeError, match="must return a number"):
        numerical_gradient(lambda v: "loss", x)
    with pytest.raises(ValueError, match="empty"):
        check_gradient(lambda v: 0.0, lambda v: v, np.zeros(0))
    assert x.tolist() == [0.5, 2.0]                          # restored although f raised
    assert numerical_gradient(lambda v: np.array([np.sum(v ** 2)]), x).tolist() == pytest.approx([1.0, 4.0])


def test_none_in_input_is_named_not_reported_as_nan():
    with pytest.raises(TypeError, match="contains None"):
        L.mse([1.0, None], [1.0, 2.0])


def test_log_softmax_of_a_gap_beyond_float64_is_minus_inf_without_warnings():
    import warnings

    from lessons_lib import log_softmax

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = log_softmax([[1e308, -1e308]])
    assert out[0, 0] == 0.0 and out[0, 1] == -np.inf
