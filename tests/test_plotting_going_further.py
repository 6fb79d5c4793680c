"""The figure helpers added for lessons 08 and 10-12: labels, legends, what they draw."""
import numpy as np
import pytest

from lessons_lib import figures
from lessons_lib.metrics import reliability_bins


@pytest.mark.parametrize("w, b, text", [(3.053, -0.531, "y_hat = 3.05 x - 0.53"),
                                        (2.0, 1.0, "y_hat = 2.00 x + 1.00"),
                                        (-1.0, 0.0, "y_hat = -1.00 x + 0.00")])
def test_line_equation_writes_the_sign_once(w, b, text):
    assert figures.line_equation(w, b) == text


def test_fitted_line_legend_has_no_plus_minus(ax):
    figures.plot_fitted_lines([0.0, 1.0, 2.0], [1.0, 2.0, 0.0], {"MSE": (3.05, -0.53)}, ax=ax)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["data", "MSE: y_hat = 3.05 x - 0.53"]


def test_reliability_diagram_is_labelled_and_draws_each_bin(ax):
    y = np.array([0, 0, 1, 1, 1, 0])
    p = np.array([0.05, 0.15, 0.15, 0.85, 0.95, 1.0])
    bins = reliability_bins(y, p, n_bins=2)
    figures.plot_reliability_diagram({"model": bins}, title="T", ax=ax)
    assert ax.get_title() == "T" and ax.get_xlabel() and ax.get_ylabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["perfectly calibrated", "model"]
    line = ax.get_lines()[1]
    np.testing.assert_allclose(line.get_xdata(), bins.mean_predicted)
    np.testing.assert_allclose(line.get_ydata(), bins.observed)


def test_paths_on_contour_draws_every_path_and_the_minimum(ax):
    paths = {"a": np.array([[-1.0, 1.0], [0.0, 0.0]]), "b": np.array([[1.0, 1.0], [0.5, 0.2], [0.0, 0.0]])}
    figures.plot_paths_on_contour(lambda u, v: u ** 2 + v ** 2, paths, (-2, 2), (-2, 2), minimum=(0, 0), ax=ax)
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["a", "b", "minimum"]
    assert [len(line.get_xdata()) for line in ax.get_lines()] == [2, 3]
    assert ax.get_xlabel() and ax.get_ylabel() and ax.get_title()
