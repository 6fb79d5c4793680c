"""Every course figure, drawn one way: data first, ``ax=None`` keyword, labelled, in the course colours.

Modules (each has one job):
    style       the course look (``use_course_style``, ``COLORS``, ``LOSS_COLORS``) and the convention
    curves      losses against the error, residuals, fitted lines, training histories
    landscapes  loss curves and surfaces of y = w x + b with gradient descent on them (numbers from
                ``lessons_lib.landscape``, which imports no plotting library)
    models      a trained classifier's decision regions
    scenes      the lesson-01 pictures: a robot's throw, darts, the training cycle

Sliders with a static fallback live in ``lessons_lib.widgets``; they draw these figures.

    >>> from lessons_lib.figures import plot_curves
    >>> ax = plot_curves([0, 1, 2], {"MSE": [0, 1, 4]}, "error", "loss", "Squared error")
    >>> ax.get_legend().get_texts()[0].get_text()
    'MSE'
"""
from .curves import (line_equation, plot_curves, plot_fitted_lines, plot_history, plot_loss_vs_error,
                     plot_reliability_diagram, plot_residuals)
from .landscapes import draw_contour, draw_descent_1d, draw_surface, plot_paths_on_contour
from .models import plot_decision_regions
from .scenes import (
    BASKET,
    RELEASE_HEIGHT,
    dart_landings,
    draw_darts,
    draw_throw,
    draw_training_cycle,
    landing_distance,
    landing_distance_grad_speed,
    trajectory,
)
from .style import COLORS, COURSE_RC, LOSS_COLORS, use_course_style

__all__ = [
    "use_course_style", "COLORS", "LOSS_COLORS", "COURSE_RC",
    "plot_curves", "plot_loss_vs_error", "plot_residuals", "plot_fitted_lines", "line_equation", "plot_history",
    "plot_reliability_diagram", "draw_descent_1d", "draw_contour", "draw_surface", "plot_paths_on_contour", "plot_decision_regions",
    "draw_throw", "draw_darts", "draw_training_cycle", "dart_landings", "trajectory", "landing_distance",
    "landing_distance_grad_speed", "BASKET", "RELEASE_HEIGHT",
]
