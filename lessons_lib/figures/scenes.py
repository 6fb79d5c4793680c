"""The two pictures of lesson 01: a robot throwing a ball at a basket, and darts at a bull's-eye.

Physics (no air resistance): a ball leaves the robot's hand at height h with speed v at angle
theta above the ground and lands where its height returns to 0,

    x(v, theta) = v cos(theta) * (v sin(theta) + sqrt(v**2 sin(theta)**2 + 2 g h)) / g.

The miss is x - basket (metres, signed) and the loss of one throw is miss**2 (square metres).
``landing_distance_grad_speed`` gives dx/dv, the one link of the chain rule the lesson's
"backprop" step needs. The ``draw_*`` functions follow the package convention (``ax=None`` keyword,
labelled, course colours) and return the numbers they drew.
"""
import numpy as np
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from .._validate import check_positive_int
from .style import COLORS, axes

G = 9.81
"""Gravitational acceleration in m/s²."""
RELEASE_HEIGHT = 1.0
"""Height of the robot's hand in metres."""
BASKET = 6.0
"""Distance from the robot to the basket in metres."""


def _check_throw(angle, speed):
    angle = np.asarray(angle, dtype=np.float64)
    speed = np.asarray(speed, dtype=np.float64)
    if np.any((angle <= -90) | (angle >= 90)):
        raise ValueError(f"angle is in degrees above the ground and must lie in (-90, 90), got {angle}.")
    if np.any(speed < 0):
        raise ValueError(f"speed is in m/s and must be >= 0, got {speed}.")
    return np.deg2rad(angle), speed


def _root(speed, s, h):
    return np.sqrt(speed**2 * s**2 + 2.0 * G * h)


def landing_distance(angle, speed, release_height=RELEASE_HEIGHT):
    """Where the ball lands (m from the robot) for a throw at ``angle`` degrees and ``speed`` m/s.

    Vectorised: angle and speed broadcast against each other. Lesson 01.

    >>> round(float(landing_distance(45.0, 7.0)), 3)
    5.849
    """
    theta, speed = _check_throw(angle, speed)
    s, c = np.sin(theta), np.cos(theta)
    return speed * c * (speed * s + _root(speed, s, release_height)) / G


def landing_distance_grad_speed(angle, speed, release_height=RELEASE_HEIGHT):
    """dx/dv: how many metres further the ball lands per extra m/s of speed. Lesson 01.

    Differentiating ``x = (c/g) (v² s + v r)`` with ``r = sqrt(v² s² + 2 g h)`` gives
    ``(c/g) (2 v s + r + v² s² / r)``.
    """
    theta, speed = _check_throw(angle, speed)
    s, c = np.sin(theta), np.cos(theta)
    r = _root(speed, s, release_height)
    return c / G * (2.0 * speed * s + r + speed**2 * s**2 / r)


def trajectory(angle, speed, release_height=RELEASE_HEIGHT, num=60):
    """Points (x, y) of the ball's flight, shape (num,) each, from the hand to the ground."""
    theta, speed = _check_throw(angle, speed)
    x_land = float(landing_distance(angle, speed, release_height))
    x = np.linspace(0.0, x_land, num)
    if np.cos(theta) == 0:
        return x, np.zeros_like(x)
    t = x / (float(speed) * np.cos(theta)) if speed > 0 else np.zeros_like(x)
    y = release_height + float(speed) * np.sin(theta) * t - 0.5 * G * t**2
    return x, np.maximum(y, 0.0)


def draw_throw(angle=45.0, speed=7.0, basket=BASKET, release_height=RELEASE_HEIGHT, ax=None):
    """Draw one throw: robot, flight path, basket, landing point, the miss and its squared loss. Lesson 01.

    Returns the miss in metres (landing point - basket).
    """
    ax = axes(ax)
    x, y = trajectory(angle, speed, release_height)
    landing = x[-1]
    miss = landing - basket
    shown = round(miss, 2) + 0.0  # + 0.0 turns -0.0 into 0.0, so a perfect throw reads "+0.00"
    ax.plot(x, y, color=COLORS[0], label="flight of the ball")
    ax.add_patch(FancyBboxPatch((-0.35, 0), 0.5, release_height, boxstyle="round,pad=0.02",
                                color="0.45", label="robot"))
    ax.plot([basket - 0.3, basket - 0.25, basket + 0.25, basket + 0.3], [0.45, 0, 0, 0.45],
            color=COLORS[2], linewidth=3, label="basket")
    ax.plot(landing, 0, "o", color=COLORS[3], markersize=9, zorder=4, label="where it landed")
    ax.annotate("", xy=(landing, -0.25), xytext=(basket, -0.25),
                arrowprops={"arrowstyle": "<->", "color": COLORS[3]})
    ax.text((landing + basket) / 2, -0.55, f"miss = {shown:+.2f} m", ha="center", va="top", color=COLORS[3])
    ax.set_xlim(-0.8, 10.5)
    ax.set_ylim(-1.2, max(4.0, float(y.max()) + 0.5))
    ax.set(xlabel="distance from the robot (m)", ylabel="height (m)",
           title=f"loss = miss² = {miss**2:.2f} m²")
    ax.legend(loc="upper right", fontsize=8)
    return miss


def dart_landings(aim_x=0.0, aim_y=0.0, num_darts=8, spread=0.6, seed=0):
    """Where ``num_darts`` darts land when aimed at (aim_x, aim_y): shape (num_darts, 2), in decimetres (dm).

    Each dart misses the aim point by independent Gaussian wobble of standard deviation ``spread``;
    the same ``seed`` gives the same darts, so moving the aim moves the whole cluster. Lesson 01.
    """
    num_darts = check_positive_int(num_darts, "num_darts")
    if spread < 0:
        raise ValueError(f"spread must be >= 0, got {spread}.")
    rng = np.random.default_rng(seed)
    return np.array([aim_x, aim_y], dtype=np.float64) + spread * rng.standard_normal((num_darts, 2))


def draw_darts(aim_x=0.0, aim_y=0.0, num_darts=8, spread=0.6, seed=0, ax=None):
    """Draw a dartboard with darts; each dart's distance to the centre is its error. Lesson 01.

    The title shows the loss of the whole set of throws: the mean of the squared distances.
    Returns the distances, shape (num_darts,).
    """
    ax = axes(ax)
    darts = dart_landings(aim_x, aim_y, num_darts, spread, seed)
    distances = np.hypot(darts[:, 0], darts[:, 1])
    for radius, shade in zip((3.0, 2.0, 1.0, 0.3), ("0.93", "0.85", "0.75", COLORS[3])):
        ax.add_patch(Circle((0, 0), radius, color=shade, zorder=0))
    ax.plot([np.zeros(num_darts), darts[:, 0]], [np.zeros(num_darts), darts[:, 1]],
            color=COLORS[0], linewidth=0.8, alpha=0.6)
    ax.plot(darts[:, 0], darts[:, 1], "x", color=COLORS[0], markersize=8, markeredgewidth=2, label="darts")
    ax.plot(aim_x, aim_y, "+", color="k", markersize=14, markeredgewidth=1.5, label="aim point")
    ax.set_aspect("equal")
    ax.set_xlim(-3.2, 3.2)
    ax.set_ylim(-3.2, 3.2)
    ax.set(xlabel="horizontal miss (dm)", ylabel="vertical miss (dm)",
           title=f"mean squared distance = {np.mean(distances**2):.2f} dm²")
    ax.legend(loc="upper right", fontsize=8)
    return distances


def draw_training_cycle(loss_name="loss", ax=None):
    """Draw the four-step training cycle predict -> compare -> backprop -> update as a loop. Lesson 01."""
    ax = axes(ax)
    steps = [
        ((0.5, 0.86), "1. predict\nforward pass: y_hat = model(X)"),
        ((0.86, 0.5), f"2. compare\n{loss_name} = L(y, y_hat)\none number"),
        ((0.5, 0.14), "3. backprop\ngradient dL/dw\nfor every weight"),
        ((0.14, 0.5), "4. update\nw = w - lr · dL/dw"),
    ]
    for i, (xy, text) in enumerate(steps):
        highlight = i == 1
        ax.text(*xy, text, ha="center", va="center", fontsize=9.5,
                bbox={"boxstyle": "round,pad=0.5", "facecolor": COLORS[1] if highlight else "0.92",
                      "edgecolor": COLORS[3] if highlight else "0.6"})
    arcs = [((0.66, 0.84), (0.84, 0.66)), ((0.84, 0.34), (0.66, 0.16)),
            ((0.34, 0.16), (0.16, 0.34)), ((0.16, 0.66), (0.34, 0.84))]
    for start, end in arcs:
        ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=16,
                                     connectionstyle="arc3,rad=0.3", color="0.3"))
    ax.text(0.5, 0.5, "one epoch =\none trip around\n(repeat for\nnum_epochs)", ha="center", va="center",
            fontsize=9, style="italic")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    ax.set_title("Where the loss sits in training")
    return ax
