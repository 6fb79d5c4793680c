"""Sphinx configuration of the course website (``make site`` -> build/site/index.html).

Sphinx + MyST-NB + the Sphinx book theme. The notebooks are shown with their committed outputs and
never executed here (their widgets appear as the static fallback figures stored by ``make
notebooks``); nothing is fetched from the internet at build time and MathJax is served from the
site itself, so the pages also work offline. The source folder is the course's root (so the
notebooks' links to each other resolve) but only the files in ``include_patterns`` are read:
``solutions/`` is never part of the site. Build: ``sphinx-build -b html -c site . build/site``.

Set ``COURSE_REPOSITORY_URL`` (e.g. ``https://github.com/<owner>/<repo>``) when building for the web
to get "launch on Binder" buttons and repository links.
"""
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent

project = "Loss Functions, Hands-On"
author = "the course authors"
copyright = "the course authors, MIT licence"

extensions = ["myst_nb", "sphinx-mathjax-offline"]  # MathJax served from the site: maths renders offline
root_doc = "site/index"
include_patterns = ["site/index.md", "site/_generated/*.md", "notebooks/[0-9][0-9]_*.ipynb",
                    "exercises/[0-9][0-9]_*.ipynb"]
exclude_patterns = ["**/.ipynb_checkpoints"]
templates_path = ["_templates"]
html_extra_path = ["_extra"]   # index.html at the top, leading to site/index.html

# --- notebooks: show what is committed, run nothing
nb_execution_mode = "off"
nb_output_stderr = "remove"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath"]
myst_heading_anchors = 3
suppress_warnings = ["mystnb.unknown_mime_type"]  # live-widget views have no static rendering

# --- theme
html_theme = "sphinx_book_theme"
html_title = project
html_copy_source = False       # do not publish the .ipynb sources a second time
html_show_sourcelink = False
html_last_updated_fmt = None
REPOSITORY_URL = os.environ.get("COURSE_REPOSITORY_URL", "").rstrip("/")
BRANCH = os.environ.get("COURSE_BRANCH", "main")
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "navigation_with_keys": False,
    "extra_footer": "",
}
if REPOSITORY_URL:
    html_theme_options.update({
        "repository_url": REPOSITORY_URL,
        "repository_branch": BRANCH,
        "path_to_docs": "site",
        "use_repository_button": True,
        "launch_buttons": {"binderhub_url": "https://mybinder.org", "notebook_interface": "jupyterlab"},
    })
html_context = {"binder_url": (f"https://mybinder.org/v2/gh/{REPOSITORY_URL.split('github.com/', 1)[1]}/{BRANCH}"
                               if "github.com/" in REPOSITORY_URL else "")}
html_sidebars = {"**": ["navbar-logo.html", "search-button-field.html", "sbt-sidebar-nav.html", "open-in-lab.html"]}


# --- the misconception catalogue page, generated from the checks themselves
def write_catalogue(app):
    """site/_generated/misconceptions.md: every check and the mistakes it names, with their explanation."""
    from lessons_lib.checks.catalogue import catalogue

    lines = ["# The misconception catalogue", "",
             "Every check in the exercises recognises the wrong answers learners typically write, from "
             "their *outputs* alone, and names the mistake together with the input that exposed it. "
             "This page lists them, generated from the checks themselves.", ""]
    for exercise_id, title, found in sorted(catalogue(), key=lambda row: row[0]):
        if not found:
            continue
        lines += [f"## `{exercise_id}`: {title}", ""]
        for name, text in sorted(found.items()):
            lines.append(f"- **`{name}`**" + (f": {' '.join(text.split())}" if text else ""))
        lines.append("")
    out = HERE / "_generated" / "misconceptions.md"
    out.parent.mkdir(exist_ok=True)
    text = "\n".join(lines)
    if not out.exists() or out.read_text(encoding="utf-8") != text:
        out.write_text(text, encoding="utf-8")


def lab_link(app, pagename, templatename, context, doctree):
    """The notebook behind a page (for the "open in JupyterLab / Binder" box), or None."""
    source = app.env.doc2path(pagename, False) if pagename in app.env.found_docs else None
    context["course_notebook"] = str(source).replace(os.sep, "/") if str(source).endswith(".ipynb") else None


def setup(app):
    app.connect("builder-inited", write_catalogue)
    app.connect("html-page-context", lab_link)
