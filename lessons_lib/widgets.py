"""Interactive figures that still read well when nobody can move the sliders (lessons 01, 06), and the quiz UI.

``explore(draw, static=[...], **sliders)`` shows ipywidgets sliders in a live JupyterLab session and,
when the notebook is executed headless (``make notebooks``, nbval, slides, or anywhere
``LESSONS_STATIC=1`` is set, or ipywidgets is missing), draws the same picture for a few fixed
settings side by side instead, so GitHub, PDF and slide readers see a meaningful figure.
"""
import os

import matplotlib.pyplot as plt

STATIC_ENV = "LESSONS_STATIC"


def static_mode():
    """True when figures should be static: ``LESSONS_STATIC=1`` or no ipywidgets available."""
    if os.environ.get(STATIC_ENV, "") not in ("", "0"):
        return True
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return True
    return False


def _title(values):
    return ", ".join(f"{k} = {v:g}" if isinstance(v, (int, float)) else f"{k} = {v}" for k, v in values.items())


def static_panels(draw, static, ncols=None, panel_size=(4.2, 3.4), suptitle=None):
    """Draw ``draw(ax, **values)`` once per dict in ``static``, side by side; returns the figure."""
    n = len(static)
    ncols = ncols or min(n, 3)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows),
                             squeeze=False, constrained_layout=True)
    for ax, values in zip(axes.flat, static):
        draw(ax, **values)
        if not ax.get_title():
            ax.set_title(_title(values))
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def explore(draw, static, suptitle=None, figsize=(6.5, 4.2), **sliders):
    """Sliders in a live notebook, fixed panels when static.

    draw:     ``draw(ax, **values)`` draws one picture on a matplotlib Axes (it must label its axes).
    static:   list of dicts of slider values to show when static (e.g. too small / good / too large).
    sliders:  ipywidgets widgets or ``interact`` abbreviations, e.g. ``lr=(0.01, 1.2, 0.01)``.
    """
    if static_mode():
        fig = static_panels(draw, static, suptitle=suptitle)
        plt.show()
        return fig
    import ipywidgets

    def _update(**values):
        fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
        draw(ax, **values)
        if suptitle:
            fig.suptitle(suptitle)
        plt.show()

    return ipywidgets.interact(_update, **sliders)


# --------------------------------------------------------------------------- ask(): self-test questions

def _question_text(q):
    lines = [q.prompt] + [f"  ({letter}) {text}" for letter, text in q.options.items()]
    return "\n".join(lines)


def ask(question_id):
    """Show a multiple-choice question of ``lessons_lib.checks.quiz``: radio buttons + a Check button live,
    plain text when static (tests, exported notebooks), with how to answer: ``check(question_id, "<letter>")``.
    """
    import html

    from .checks import check, get_exercise
    from .checks.quiz import QUESTIONS

    get_exercise(question_id)  # ValueError naming the valid ids for an unknown id
    if question_id not in QUESTIONS:
        raise ValueError(f"{question_id!r} is not a multiple-choice question; ask() can show: "
                         f"{', '.join(sorted(QUESTIONS))}.")
    q = QUESTIONS[question_id]
    if static_mode():
        first = next(iter(q.options))
        print(f"{_question_text(q)}\nAnswer with check({question_id!r}, {first!r}) (your letter).")
        return None
    import ipywidgets
    from IPython.display import display

    radio = ipywidgets.RadioButtons(options=[(f"({k}) {v}", k) for k, v in q.options.items()], value=None,
                                    layout=ipywidgets.Layout(width="max-content"))
    button = ipywidgets.Button(description="Check", button_style="primary")
    out = ipywidgets.Output()

    def on_click(_):
        out.clear_output()
        with out:
            if radio.value is None:
                print("Pick an option first.")
            else:
                check(question_id, radio.value)

    button.on_click(on_click)
    box = ipywidgets.VBox([ipywidgets.HTML(f"<b>{html.escape(q.prompt)}</b>"), radio, button, out])
    display(box)
