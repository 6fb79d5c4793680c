"""The line of text printed under a live figure: every visible panel's title, then its annotations."""
import matplotlib.pyplot as plt
from lessons_lib.figures import BASKET, draw_throw, landing_distance
from lessons_lib.widgets import figure_caption


def test_caption_lists_titles_then_annotations_of_visible_panels():
    fig, (left, right, hidden) = plt.subplots(1, 3)
    left.set_title("loss = 4")
    left.text(0, 0, "miss = +2 m")
    left.text(0, 1, "   ")                # blank annotations are left out
    right.set_title("second panel")
    hidden.set_title("not shown")
    hidden.set_visible(False)
    try:
        assert figure_caption(fig) == "loss = 4 · miss = +2 m · second panel"
    finally:
        plt.close(fig)


def test_caption_of_a_throw_carries_its_miss_and_loss():
    fig, ax = plt.subplots()
    try:
        draw_throw(angle=40, speed=7.5, ax=ax)
        miss = float(landing_distance(40, 7.5)) - BASKET
        assert figure_caption(fig) == f"loss = miss² = {miss ** 2:.2f} m² · miss = {miss:+.2f} m"
    finally:
        plt.close(fig)
