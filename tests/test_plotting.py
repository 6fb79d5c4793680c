"""Tests for lessons_lib.plotting: the style applies cleanly and every helper labels what it draws."""
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest

from lessons_lib import plotting


@pytest.fixture
def ax():
    with mpl.rc_context():
        fig, ax = plt.subplots()
        yield ax
        plt.close(fig)


def _labels(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_import_has_no_side_effects_and_style_applies():
    with mpl.rc_context(mpl.rcParamsDefault):
        before = dict(mpl.rcParams)
        import importlib

        importlib.reload(plotting)
        assert dict(mpl.rcParams) == before
        plotting.use_course_style()
        assert mpl.rcParams["axes.spines.top"] is False
        colors = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
        assert [c.lower() for c in colors] == [c.lower() for c in plotting.COLORS]
        assert mpl.rcParams["font.size"] >= 10


def test_palette_is_distinct():
    assert len(set(plotting.COLORS)) == len(plotting.COLORS)
    assert len(set(plotting.LOSS_COLORS.values())) == len(plotting.LOSS_COLORS)


def test_loss_curve_labels_and_data(ax):
    epochs = np.arange(5)
    losses = [4.0, 2.0, 1.0, 0.5, 0.25]
    out = plotting.plot_loss_curve(ax, epochs, losses, label="run A", log=True)
    assert out is ax
    assert ax.get_title() and ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    assert ax.get_yscale() == "log"
    assert _labels(ax) == ["run A"]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), losses)


def test_residuals_draws_one_segment_per_point(ax):
    x = np.array([3.0, 1.0, 2.0])
    y = np.array([1.0, 2.0, 3.0])
    y_hat = np.array([1.5, 2.0, 2.0])
    plotting.plot_residuals(ax, x, y, y_hat, xlabel="size (m²)", ylabel="price ($)")
    assert ax.get_xlabel() == "size (m²)" and ax.get_ylabel() == "price ($)" and ax.get_title()
    segments = ax.collections[0].get_segments()
    assert len(segments) == 3
    # each segment runs from the target to the prediction at the same x
    for seg, xi, yi, pi in zip(segments, x, y, y_hat):
        np.testing.assert_allclose(seg, [[xi, yi], [xi, pi]])
    # the prediction line is drawn in x order
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), [2.0, 2.0, 1.5])
    assert set(_labels(ax)) == {"error (residual)", "true y", "prediction y_hat"}


def test_loss_vs_error_uses_course_colours(ax):
    e = np.linspace(-3, 3, 7)
    plotting.plot_loss_vs_error(ax, e, {"MSE": e**2, "MAE": np.abs(e), "mine": 0 * e})
    assert _labels(ax) == ["MSE", "MAE", "mine"]
    assert mpl.colors.same_color(ax.lines[0].get_color(), plotting.LOSS_COLORS["MSE"])
    assert mpl.colors.same_color(ax.lines[1].get_color(), plotting.LOSS_COLORS["MAE"])
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_fitted_lines(ax):
    x = np.array([0.0, 1.0, 2.0])
    plotting.plot_fitted_lines(ax, x, [1.0, 3.0, 5.0], {"MSE": (2.0, 1.0)})
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_ydata(), 2.0 * np.asarray(line.get_xdata()) + 1.0)
    assert _labels(ax) == ["data", "MSE: y_hat = 2.00 x + 1.00"]


@pytest.mark.parametrize("call, match", [
    (lambda ax: plotting.plot_loss_curve(ax, [0, 1, 2], [1.0, 2.0]), "losses"),
    (lambda ax: plotting.plot_residuals(ax, [0, 1], [1, 2], [[1], [2]]), "y_hat"),
    (lambda ax: plotting.plot_curves(ax, [0, 1], {}, "x", "y", "t"), "non-empty dict"),
    (lambda ax: plotting.plot_loss_vs_error(ax, [0, 1], {"MSE": [1, 2, 3]}), "MSE"),
])
def test_bad_input_names_the_argument(ax, call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call(ax)
