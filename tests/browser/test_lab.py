"""The course in a real browser: JupyterLab in headless Chromium, as a learner uses it.

Headless execution cannot see a widget that fails to render, a slider that moves but updates nothing
or a verdict nobody can read. These tests run the lessons in JupyterLab, move sliders with the
keyboard and compare what the page shows with what the library computes; then they answer an
exercise the way a learner does. Widgets are found by their ipywidgets classes and slider names,
never by lesson prose; expected verdicts come from running the same check in this process.
Screenshots of every step land in artifacts/browser/.
"""
import ast
import contextlib
import io
import re
from functools import partial
from pathlib import Path

import matplotlib.pyplot as plt
import nbformat
import numpy as np
import pytest
from lessons_lib.checks import check
from lessons_lib.checks import get_exercise
from lessons_lib.landscape import gradient_descent, linear_model
from lessons_lib.figures import BASKET, dart_landings, landing_distance

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]

BROKEN_WIDGET = re.compile(r"Error displaying widget|model not found", re.IGNORECASE)
NUMBER = r"([+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?)"


# --------------------------------------------------------------------------- driving JupyterLab
def open_notebook(page, lab, path):
    """Open ``path`` (relative to the lab root) and wait until its kernel is idle."""
    page.goto(lab.url(f"lab/tree/{path}", reset=True))   # a fresh workspace: only this notebook
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook").first.wait_for(state="visible",
                                                                                     timeout=60_000)
    wait_idle(page)


def wait_idle(page, timeout=120_000):
    """Wait until the notebook's kernel is idle and no cell is waiting to run ([*])."""
    page.wait_for_function(
        """() => {
            const bar = document.querySelector('.jp-StatusBar-Widget')?.textContent || '';
            const idle = /\\| Idle/.test(bar) && !/No Kernel/.test(bar);
            const busy = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-InputPrompt')]
                .some(p => p.textContent.includes('[*]'));
            return idle && !busy;
        }""", timeout=timeout)


def menu(page, *labels):
    """Click through the menu bar, e.g. ``menu(page, "Run", "Run All Cells")``."""
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(labels[0])}$")).click()
    for label in labels[1:]:
        page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(label)}$")).first.click()


def run_all(page):
    menu(page, "Run", "Run All Cells")
    page.wait_for_timeout(500)  # let the first cells be queued before waiting for idle
    wait_idle(page)


def page_text(page):
    return page.locator("body").inner_text()


def assert_no_broken_widgets(page):
    text = page_text(page)
    found = BROKEN_WIDGET.search(text)
    assert found is None, f"the page shows {found.group(0)!r}: a widget did not render"
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [t for t in errors.all_inner_texts() if "Traceback" in t or "Error" in t]
    assert not tracebacks, "a cell shows an error:\n" + tracebacks[0][:2000]


def interact_with(page, *names):
    """The ``explore`` widget whose sliders are exactly ``names`` (in order); the first if several."""
    for box in page.locator(".widget-interact").all():
        labels = [t.strip() for t in box.locator(".widget-slider .widget-label").all_inner_texts()]
        if labels == list(names):
            return box
    raise AssertionError(f"no interactive figure with sliders {names} on the page")


def _readout(slider):
    """The number a slider shows next to it (ipywidgets writes negatives with a Unicode minus)."""
    return float(slider.locator(".widget-readout").inner_text().replace("\u2212", "-"))


def slider_value(box, name):
    slider = box.locator(".widget-slider", has=box.page.locator(".widget-label", has_text=re.compile(f"^{name}$")))
    return _readout(slider)


def press(box, name, key, times=1):
    """Focus slider ``name`` in ``box`` and press ``key``; returns the slider's new value."""
    slider = box.locator(".widget-slider", has=box.page.locator(".widget-label", has_text=re.compile(f"^{name}$")))
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    for _ in range(times):
        handle.press(key)
    return _readout(slider)


def caption(box, pattern, shows=None, timeout=30_000):
    """The text printed under the live figure (its title and annotations) once it matches ``pattern``
    and ``shows(match)`` holds (each key press redraws, so intermediate texts come and go); returns
    the match. Fails with the last text seen when that never happens."""
    output = box.locator(".widget-output")
    regex = re.compile(pattern)
    step, waited, text = 250, 0, ""
    while waited < timeout:
        text = " ".join(output.all_inner_texts())
        found = regex.search(text)
        if found and (shows is None or shows(found)):
            return found
        box.page.wait_for_timeout(step)
        waited += step
    raise AssertionError(f"after {timeout / 1000:g} s the figure's text is {text!r}: "
                         f"not {pattern!r} with the values the library computes")


def close(value, expected, tol):
    return abs(float(value) - expected) <= tol


def figure_image(box):
    return box.locator(".widget-output img").first.get_attribute("src")


# --------------------------------------------------------------------------- lesson 01
def test_lesson_01_sliders_show_what_the_library_computes(page, lab, shoot):
    open_notebook(page, lab, "notebooks/01_intuition.ipynb")
    run_all(page)
    assert_no_broken_widgets(page)
    shoot(page, "lesson-01-after-run-all")

    # One throw: speed slider. The figure shows the miss (landing - basket) and its loss (miss²).
    throw = interact_with(page, "angle", "speed")
    throw.scroll_into_view_if_needed()
    miss_pattern = rf"loss = miss² = {NUMBER} m².*miss = {NUMBER} m"
    before = caption(throw, miss_pattern)
    image_before = figure_image(throw)
    speed = press(throw, "speed", "ArrowRight", times=3)
    angle = slider_value(throw, "angle")
    expected_miss = float(landing_distance(angle, speed)) - BASKET
    assert not close(before.group(2), expected_miss, 0.006), "the key presses did not change the throw"
    # Shown with two decimals: equal to the library's values up to that rounding.
    caption(throw, miss_pattern, shows=lambda m: close(m.group(2), expected_miss, 0.006)
            and close(m.group(1), expected_miss ** 2, 0.006))
    assert figure_image(throw) != image_before, "the figure's text changed but the picture did not"

    # Darts: aim_x slider. The figure shows the mean squared distance of the darts from the centre.
    darts = interact_with(page, "aim_x", "aim_y")
    darts.scroll_into_view_if_needed()
    darts_pattern = rf"mean squared distance = {NUMBER} dm²"
    before = caption(darts, darts_pattern)
    aim_x = press(darts, "aim_x", "ArrowLeft", times=4)
    aim_y = slider_value(darts, "aim_y")
    landed = dart_landings(aim_x, aim_y)
    expected = float(np.mean(np.sum(landed ** 2, axis=1)))
    assert not close(before.group(1), expected, 0.006), "the key presses did not change the aim"
    caption(darts, darts_pattern, shows=lambda m: close(m.group(1), expected, 0.006))

    assert_no_broken_widgets(page)
    shoot(page, "lesson-01-sliders-moved")
    assert not page.page_errors, f"JavaScript errors on the page: {page.page_errors}"


# --------------------------------------------------------------------------- lesson 06
def _lesson_draw_function(path, slider="lr"):
    """The ``draw`` argument of the lesson's first ``explore(..., lr=...)`` call, evaluated with the
    lesson's own data: the code cells before it are run here (static figures, Agg backend)."""
    nb = nbformat.read(path, as_version=4)
    namespace = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse("\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith("%")))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "explore"
                 and any(k.arg == slider for k in n.keywords)]
        if calls:
            return eval(compile(ast.Expression(calls[0].args[0]), str(path), "eval"), namespace)
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(tree, str(path), "exec"), namespace)
        plt.close("all")
    raise AssertionError(f"{path.name} has no explore(..., {slider}=...) call")


def test_lesson_06_learning_rate_slider_shows_the_descent_the_library_computes(page, lab, shoot):
    draw = _lesson_draw_function(ROOT / "notebooks" / "06_loss_landscape.ipynb")
    assert isinstance(draw, partial), "the lesson's learning-rate figure is expected to be a partial(draw_..., ...)"
    settings = draw.keywords

    open_notebook(page, lab, "notebooks/06_loss_landscape.ipynb")
    run_all(page)
    assert_no_broken_widgets(page)
    box = interact_with(page, "lr")
    box.scroll_into_view_if_needed()
    pattern = rf"lr = {NUMBER}\b.*final w = {NUMBER}"
    before = caption(box, pattern)
    lr = press(box, "lr", "ArrowRight", times=5)
    _, grad = linear_model(settings.get("loss", "mse"), settings["X"], settings["y"], fit_bias=False)
    final_w = float(gradient_descent(lambda w: grad([w]), settings.get("w0", 0.0), lr, settings["num_steps"])[-1])
    assert not close(before.group(1), lr, 1e-9), "the key presses did not change the learning rate"
    # lr exactly as set; w shown with 3 significant digits.
    caption(box, pattern, shows=lambda m: close(m.group(1), lr, 1e-9)
            and close(m.group(2), final_w, 5e-3 * max(1.0, abs(final_w))))
    assert_no_broken_widgets(page)
    shoot(page, "lesson-06-learning-rate-moved")


# --------------------------------------------------------------------------- an exercise
EXERCISE = "exercises/02_mse.ipynb"
CORRECT = '''def mse(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true, dtype=float), np.asarray(y_pred, dtype=float)
    if y_true.shape != y_pred.shape:
        raise ValueError(f"shapes differ: {y_true.shape} vs {y_pred.shape}")
    return float(np.mean((y_true - y_pred) ** 2))'''
FORGOT_SQUARE = CORRECT.replace("(y_true - y_pred) ** 2", "np.abs(y_true - y_pred)")


def _as_function(source):
    namespace = {"np": np}
    exec(source, namespace)
    return namespace["mse"]


def _words(text):
    return " ".join(text.split())


def exercise_cells(page, exercise_id):
    """(answer cell, check cell) of ``exercise_id``: the cell defining it and the next code cell."""
    cells = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    for i in range(cells.count()):
        editor = cells.nth(i).locator(".cm-content")
        if editor.count() and re.search(rf"^def {exercise_id}\(", editor.inner_text(), re.MULTILINE):
            following = cells.nth(i).locator("xpath=following-sibling::div[contains(@class, 'jp-CodeCell')][1]")
            return cells.nth(i), following
    raise AssertionError(f"no cell defines {exercise_id}() in {EXERCISE}")


def type_into(page, cell, source):
    """Replace the cell's code with ``source``, as a learner would by typing."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    page.keyboard.insert_text(source)  # typed text would be auto-indented again by the editor


def run_cell(page, cell):
    cell.locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_timeout(300)
    wait_idle(page)


def output_text(cell):
    return _words(" ".join(cell.locator(".jp-OutputArea").all_inner_texts()))


def test_exercise_check_says_correct_names_the_mistake_and_hints(page, lab, shoot):
    # What the checks say, computed here with the same answers (not copied from today's wording).
    right = check("mse", _as_function(CORRECT), quiet=True)
    wrong = check("mse", _as_function(FORGOT_SQUARE), quiet=True)
    assert right.passed and not wrong.passed and wrong.misconception, (right, wrong)
    first_hint = get_exercise("mse").hints[0]

    open_notebook(page, lab, EXERCISE)
    setup = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell").first   # the exercise notebook's import cell
    run_cell(page, setup)

    answer, check_cell = exercise_cells(page, "mse")
    type_into(page, answer, CORRECT)
    run_cell(page, answer)
    run_cell(page, check_cell)
    shown = output_text(check_cell)
    assert _words(right.message) in shown, f"expected the success message {right.message!r}; the page shows {shown!r}"
    check_cell.scroll_into_view_if_needed()
    shoot(page, "exercise-02-correct")

    type_into(page, answer, FORGOT_SQUARE)
    run_cell(page, answer)
    run_cell(page, check_cell)
    shown = output_text(check_cell)
    assert _words(wrong.message) in shown, (
        f"expected the diagnosis {wrong.misconception!r}: {wrong.message!r}; the page shows {shown!r}")
    shoot(page, "exercise-02-catalogued-mistake")

    type_into(page, check_cell, 'hint("mse")')
    run_cell(page, check_cell)
    shown = output_text(check_cell)
    assert _words(first_hint) in shown, f"expected the first hint {first_hint!r}; the page shows {shown!r}"
    shoot(page, "exercise-02-hint")
    assert_no_broken_widgets(page)


def test_untouched_lesson_is_not_modified_by_opening_it(page, lab, shoot):
    """Opening a lesson and letting its kernel start must not mark it changed ("Save changes?")."""
    open_notebook(page, lab, "notebooks/00_welcome.ipynb")
    page.wait_for_timeout(1000)
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.jp-mod-current")
    assert "jp-mod-dirty" not in (tab.get_attribute("class") or ""), (
        "JupyterLab marks the untouched lesson as changed: its stored metadata differs from the kernel's "
        "(run `make notebooks` to store the full language_info)")
    news = page.get_by_text(re.compile("official Jupyter news", re.IGNORECASE))
    assert news.count() == 0, "the 'get notified about official Jupyter news?' prompt is shown"
    shoot(page, "lesson-00-opened")
    settings = lab.api("/lab/api/settings/@jupyterlab/apputils-extension:notification")
    assert settings["schema"]["properties"]["fetchNews"]["default"] == "false", (
        "the course's JupyterLab settings (lab-settings/) are not installed: pip install -e .")
