"""Tests for lessons_lib.figures.scenes: throw physics against finite differences and simulation; the drawings."""
import matplotlib.pyplot as plt
import numpy as np
import pytest

from lessons_lib.figures import scenes
from lessons_lib.gradcheck import numerical_gradient


def test_flat_ground_range_formula():
    # released from the ground, the range is the textbook v² sin(2θ) / g
    for angle, speed in [(30.0, 5.0), (45.0, 10.0), (60.0, 3.0)]:
        expected = speed**2 * np.sin(np.deg2rad(2 * angle)) / scenes.G
        assert scenes.landing_distance(angle, speed, release_height=0.0) == pytest.approx(expected, rel=1e-12)


def test_landing_matches_a_step_by_step_simulation():
    angle, speed, h, dt = 40.0, 6.5, 1.0, 1e-5
    vx, vy = speed * np.cos(np.deg2rad(angle)), speed * np.sin(np.deg2rad(angle))
    t = np.arange(0, 3, dt)
    y = h + vy * t - 0.5 * scenes.G * t**2
    x_land = vx * t[np.argmax(y < 0)]
    assert scenes.landing_distance(angle, speed, h) == pytest.approx(x_land, abs=1e-3)


@pytest.mark.parametrize("angle", [15.0, 45.0, 70.0])
def test_speed_gradient_matches_finite_differences(angle):
    v = np.array([4.0, 7.0, 9.5])
    numeric = numerical_gradient(lambda s: float(np.sum(scenes.landing_distance(angle, s))), v)
    np.testing.assert_allclose(scenes.landing_distance_grad_speed(angle, v), numeric, rtol=1e-6)


def test_bad_throws_raise():
    with pytest.raises(ValueError, match="angle"):
        scenes.landing_distance(95.0, 5.0)
    with pytest.raises(ValueError, match="speed"):
        scenes.landing_distance(45.0, -1.0)
    with pytest.raises(ValueError, match="num_darts"):
        scenes.dart_landings(num_darts=0)


def test_darts_are_reproducible_and_move_with_the_aim():
    a = scenes.dart_landings(0.0, 0.0, seed=3)
    b = scenes.dart_landings(1.0, -2.0, seed=3)
    np.testing.assert_allclose(b - a, np.tile([1.0, -2.0], (len(a), 1)))


def test_drawings_are_labelled():
    fig, axes = plt.subplots(1, 3)
    miss = scenes.draw_throw(45.0, 7.0, ax=axes[0])
    assert miss == pytest.approx(float(scenes.landing_distance(45.0, 7.0)) - scenes.BASKET)
    assert f"{miss**2:.2f}" in axes[0].get_title()
    distances = scenes.draw_darts(0.5, 0.5, num_darts=5, ax=axes[1])
    assert distances.shape == (5,) and f"{np.mean(distances**2):.2f}" in axes[1].get_title()
    scenes.draw_training_cycle(ax=axes[2])
    for ax in axes[:2]:
        assert ax.get_xlabel() and ax.get_ylabel() and ax.get_legend() is not None
    assert "backprop" in " ".join(t.get_text() for t in axes[2].texts)
    plt.close(fig)
