"""Interactive figures that still read well when nobody can move the sliders (lessons 01, 06), and the quiz UI.

The pictures themselves come from ``lessons_lib.figures``; this module adds the sliders (and keeps
matplotlib and ipywidgets out of the import, so ``static_mode`` is cheap to ask anywhere).

``explore(draw, static=[...], **sliders)`` shows ipywidgets sliders in a live JupyterLab session and,
when the notebook is executed headless (``make notebooks``, nbval, slides, or anywhere
``LESSONS_STATIC=1`` is set, or ipywidgets is missing), draws the same picture for a few fixed
settings side by side instead, so GitHub, PDF and slide readers see a meaningful figure.
"""
import os

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


def figure_caption(fig):
    """The words of a figure as one line of text: each panel's title, then its annotations.

    Printed under a live figure so the numbers it shows (a miss, a loss) can also be read by a
    screen reader, copied, or found by a test driving the page.
    """
    parts = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        parts += [t for t in (ax.get_title(), *(txt.get_text() for txt in ax.texts)) if t.strip()]
    return " · ".join(parts)


def _title(values):
    return ", ".join(f"{k} = {v:g}" if isinstance(v, (int, float)) else f"{k} = {v}" for k, v in values.items())


def static_panels(draw, static, ncols=None, panel_size=(4.2, 3.4), suptitle=None):
    """Draw ``draw(ax=ax, **values)`` once per dict in ``static``, side by side; returns the figure."""
    import matplotlib.pyplot as plt  # lazily: static_mode() alone needs no plotting library

    n = len(static)
    ncols = ncols or min(n, 3)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(panel_size[0] * ncols, panel_size[1] * nrows),
                             squeeze=False, constrained_layout=True)
    for ax, values in zip(axes.flat, static):
        draw(ax=ax, **values)
        if not ax.get_title():
            ax.set_title(_title(values))
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    if suptitle:
        fig.suptitle(suptitle)
    return fig


def _decimals(step):
    """How many decimals a readout needs to show steps of size ``step`` (0.002 -> 3, 0.1 -> 1, 1 -> 0)."""
    text = f"{step:.10f}".rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


def _slider(name, spec, value):
    """An ipywidgets control for ``spec`` that opens at ``value`` (when given) and reads out every step."""
    import ipywidgets

    if isinstance(spec, tuple) and len(spec) == 3 and all(isinstance(v, (int, float)) for v in spec):
        lo, hi, step = spec
        start = min(max(value, lo), hi) if isinstance(value, (int, float)) else lo + (hi - lo) / 2
        if all(isinstance(v, int) for v in spec):
            return ipywidgets.IntSlider(value=int(start), min=lo, max=hi, step=step, description=name,
                                        continuous_update=False)
        return ipywidgets.FloatSlider(value=start, min=lo, max=hi, step=step, description=name,
                                      readout_format=f".{_decimals(step)}f", continuous_update=False)
    if isinstance(spec, (list, tuple)) and value in spec:
        return ipywidgets.Dropdown(options=list(spec), value=value, description=name)
    return spec


def explore(draw, static, suptitle=None, figsize=(6.5, 4.2), **sliders):
    """Sliders in a live notebook, fixed panels when static.

    draw:     ``draw(ax=ax, **values)`` draws one picture on a matplotlib Axes (it must label its axes),
              e.g. a ``lessons_lib.figures`` function or a ``functools.partial`` of one.
    static:   list of dicts of slider values to show when static (e.g. too small / good / too large);
              live, the sliders open at the first of them.
    sliders:  ipywidgets widgets or ``interact`` abbreviations, e.g. ``lr=(0.01, 1.2, 0.01)``; a number
              readout shows as many decimals as the step needs.
    """
    import matplotlib.pyplot as plt

    if static_mode():
        fig = static_panels(draw, static, suptitle=suptitle)
        plt.show()
        return fig
    import ipywidgets

    first = static[0] if static else {}

    def _update(**values):
        fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
        draw(ax=ax, **values)
        if suptitle:
            fig.suptitle(suptitle)
        caption = figure_caption(fig)
        plt.show()
        if caption:
            print(caption)

    controls = {name: _slider(name, spec, first.get(name)) for name, spec in sliders.items()}
    return ipywidgets.interact(_update, **controls)


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
        letters = ", ".join(repr(k) for k in q.options)   # no example letter: it could read as a hint
        print(f"{_question_text(q)}\nAnswer with check({question_id!r}, \"<letter>\"), the letter being one of {letters}.")
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
