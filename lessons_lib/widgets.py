"""Interactive figures that still read well when nobody can move the sliders (lessons 01, 06).

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

    draw:     ``draw(ax, **values)`` draws one picture on a matplotlib Axes (it must label its axes).
    static:   list of dicts of slider values to show when static (e.g. too small / good / too large);
              live, the sliders open at the first of them.
    sliders:  ipywidgets widgets or ``interact`` abbreviations, e.g. ``lr=(0.01, 1.2, 0.01)``; a number
              readout shows as many decimals as the step needs.
    """
    if static_mode():
        fig = static_panels(draw, static, suptitle=suptitle)
        plt.show()
        return fig
    import ipywidgets

    first = static[0] if static else {}

    def _update(**values):
        fig, ax = plt.subplots(figsize=figsize, constrained_layout=True)
        draw(ax, **values)
        if suptitle:
            fig.suptitle(suptitle)
        plt.show()

    controls = {name: _slider(name, spec, first.get(name)) for name, spec in sliders.items()}
    return ipywidgets.interact(_update, **controls)
