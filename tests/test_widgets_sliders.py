"""Live sliders open where the static figure's first panel is, and read out every step they can take."""
import pytest

from lessons_lib.widgets import _decimals, _slider

ipywidgets = pytest.importorskip("ipywidgets")


@pytest.mark.parametrize("step, decimals", [(0.002, 3), (0.01, 2), (0.1, 1), (1, 0), (0.25, 2)])
def test_readout_shows_as_many_decimals_as_the_step(step, decimals):
    assert _decimals(step) == decimals


def test_float_slider_opens_at_the_given_value_with_a_fine_readout():
    s = _slider("lr", (0.002, 0.2, 0.002), 0.005)
    assert isinstance(s, ipywidgets.FloatSlider)
    assert s.value == pytest.approx(0.005) and s.readout_format == ".3f" and s.description == "lr"


def test_values_outside_the_range_are_clipped_and_a_missing_value_gives_the_middle():
    assert _slider("x", (-2.0, 2.0, 0.1), 5.0).value == pytest.approx(2.0)
    assert _slider("x", (-2.0, 2.0, 0.1), None).value == pytest.approx(0.0)


def test_integer_and_choice_sliders():
    s = _slider("angle", (15, 75, 1), 45)
    assert isinstance(s, ipywidgets.IntSlider) and s.value == 45
    d = _slider("loss", ["mse", "mae", "huber"], "mae")
    assert isinstance(d, ipywidgets.Dropdown) and d.value == "mae"
