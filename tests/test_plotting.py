"""Tests for lessons_lib.figures (style and curves): the style applies cleanly and every helper labels what it draws."""
import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest

from lessons_lib import figures


def _labels(ax):
    return [t.get_text() for t in ax.get_legend().get_texts()]


def test_import_has_no_side_effects_and_style_applies():
    with mpl.rc_context(mpl.rcParamsDefault):
        before = dict(mpl.rcParams)
        import importlib

        importlib.reload(figures.style)
        assert dict(mpl.rcParams) == before
        figures.use_course_style()
        assert mpl.rcParams["axes.spines.top"] is False
        colors = mpl.rcParams["axes.prop_cycle"].by_key()["color"]
        assert [c.lower() for c in colors] == [c.lower() for c in figures.COLORS]
        assert mpl.rcParams["font.size"] >= 10


def test_palette_is_distinct():
    assert len(set(figures.COLORS)) == len(figures.COLORS)
    assert len(set(figures.LOSS_COLORS.values())) == len(figures.LOSS_COLORS)


def test_loss_curve_labels_and_data(ax):
    epochs = np.arange(5)
    losses = [4.0, 2.0, 1.0, 0.5, 0.25]
    out = figures.plot_history(losses, x=epochs, label="run A", log=True, ax=ax)
    assert out is ax
    assert ax.get_title() and ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss"
    assert ax.get_yscale() == "log"
    assert _labels(ax) == ["run A"]
    np.testing.assert_array_equal(ax.lines[0].get_ydata(), losses)


def test_residuals_draws_one_segment_per_point(ax):
    x = np.array([3.0, 1.0, 2.0])
    y = np.array([1.0, 2.0, 3.0])
    y_hat = np.array([1.5, 2.0, 2.0])
    figures.plot_residuals(x, y, y_hat, xlabel="size (m²)", ylabel="price ($)", ax=ax)
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
    figures.plot_loss_vs_error(e, {"MSE": e**2, "MAE": np.abs(e), "mine": 0 * e}, ax=ax)
    assert _labels(ax) == ["MSE", "MAE", "mine"]
    assert mpl.colors.same_color(ax.lines[0].get_color(), figures.LOSS_COLORS["MSE"])
    assert mpl.colors.same_color(ax.lines[1].get_color(), figures.LOSS_COLORS["MAE"])
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_fitted_lines(ax):
    x = np.array([0.0, 1.0, 2.0])
    figures.plot_fitted_lines(x, [1.0, 3.0, 5.0], {"MSE": (2.0, 1.0)}, ax=ax)
    line = ax.lines[0]
    np.testing.assert_allclose(line.get_ydata(), 2.0 * np.asarray(line.get_xdata()) + 1.0)
    assert _labels(ax) == ["data", "MSE: y_hat = 2.00 x + 1.00"]


@pytest.mark.parametrize("call, match", [
    (lambda ax: figures.plot_history([1.0, 2.0], x=[0, 1, 2], ax=ax), "x has 3 values but loss has 2"),
    (lambda ax: figures.plot_history({"loss": [1.0]}, key="accuracy", ax=ax), "no 'accuracy'"),
    (lambda ax: figures.plot_residuals([0, 1], [1, 2], [[1], [2]], ax=ax), "y_hat"),
    (lambda ax: figures.plot_curves([0, 1], {}, "x", "y", "t", ax=ax), "non-empty dict"),
    (lambda ax: figures.plot_loss_vs_error([0, 1], {"MSE": [1, 2, 3]}, ax=ax), "MSE"),
])
def test_bad_input_names_the_argument(ax, call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call(ax)


def test_history_draws_training_and_dashed_validation_curves_per_run(ax):
    runs = {"small lr": {"loss": [3.0, 2.0, 1.5], "val_loss": [3.5, 2.5, 2.0]}, "large lr": [3.0, 1.0, 0.5]}
    figures.plot_history(runs, ax=ax)
    assert _labels(ax) == ["small lr: training loss", "small lr: validation loss", "large lr: training loss"]
    assert [line.get_linestyle() for line in ax.lines] == ["-", "--", "-"]
    assert ax.lines[0].get_color() == ax.lines[1].get_color() != ax.lines[2].get_color()
    np.testing.assert_array_equal(ax.lines[0].get_xdata(), [1, 2, 3])     # epochs count from 1
    assert ax.get_xlabel() == "epoch" and ax.get_ylabel() == "loss" and ax.get_title()


def test_figures_draw_on_a_new_axes_when_none_is_given():
    ax = figures.plot_curves([0, 1], {"MSE": [0, 1]}, "error", "loss", "title")
    try:
        assert ax.get_title() == "title" and len(ax.lines) == 1
    finally:
        plt.close(ax.figure)
