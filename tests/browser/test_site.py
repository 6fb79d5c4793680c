"""The course website (``make site``): built once here, then checked like a reader and like an auditor.

* every internal link and image of every page resolves (no broken link, no missing figure);
* the sidebar lists every lesson and every exercise notebook, in course order, and the catalogue;
* nothing from ``solutions/`` is published: no answer region, no hidden test, no instructor note;
* in Chromium (marker ``browser``): two pages render, maths typeset and figures loaded, screenshots kept.
"""
import html
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXERCISES = sorted(p.stem for p in (ROOT / "exercises").glob("[0-9][0-9]_*.ipynb"))
_MARKER = re.compile(r"^\s*#{1,3}\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")

# Building the site takes about 20 s: `make test-site` (part of `make test-all` and CI) runs these.
pytestmark = pytest.mark.site



@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The site, built the way ``make site`` builds it, into a scratch folder; returns that folder."""
    out = tmp_path_factory.mktemp("site") / "html"
    done = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-q", "-c", "site", ".", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, "the site does not build:\n" + done.stderr[-4000:]
    assert not done.stderr.strip(), "the site builds with warnings:\n" + done.stderr[-4000:]
    return out


class _Page(HTMLParser):
    """The links, image sources, element ids and visible text of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs, self.ids, self.text, self._skip = [], set(), [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and not (tag == "link" and attrs.get("rel") in ("preconnect", "dns-prefetch")):
                self.refs.append((tag, attrs[name]))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _parse(path):
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _pages(site):
    """The site's pages (the theme's _static/ holds template fragments, not pages)."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


def test_every_internal_link_and_image_resolves(site):
    pages = {p.resolve(): _parse(p) for p in _pages(site)}
    broken = []
    for path, page in pages.items():
        for tag, ref in page.refs:
            parts = urlsplit(ref)
            if parts.scheme or parts.netloc or ref.startswith(("mailto:", "javascript:")):
                continue  # external (Binder, the local JupyterLab link): not part of the built site
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            where = f"{path.relative_to(site.resolve())}: <{tag}> {ref}"
            if not target.is_file():
                broken.append(f"{where} -> missing {target.relative_to(site.resolve()) if target.is_relative_to(site.resolve()) else target}")
            elif parts.fragment and target.suffix == ".html" and target in pages \
                    and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{where} -> no anchor #{parts.fragment}")
    assert not broken, f"{len(broken)} broken link(s) or missing image(s) in the site:\n  " + "\n  ".join(broken[:40])


def test_every_page_has_its_figures(site):
    """Lessons keep their committed figures (and the static fallback of each widget) as images."""
    for stem in LESSONS:
        nb = nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)
        stored = sum("image/png" in out.get("data", {}) for cell in nb.cells if cell.cell_type == "code"
                     for out in cell.get("outputs", []))
        shown = sum(1 for tag, ref in _parse(site / "notebooks" / f"{stem}.html").refs
                    if tag == "img" and "_images/" in ref)
        assert shown >= stored, f"notebooks/{stem}: {stored} figures in the notebook, {shown} on its page"


def test_sidebar_lists_lessons_exercises_and_catalogue_in_course_order(site):
    index = (site / "site" / "index.html").read_text(encoding="utf-8")
    nav = index[index.index('class="bd-sidebar-primary'):]
    links = re.findall(r'href="\.\./((?:notebooks|exercises)/[^"#]+)\.html"', nav)
    ordered = list(dict.fromkeys(links))
    assert ordered == [f"notebooks/{s}" for s in LESSONS] + [f"exercises/{s}" for s in EXERCISES], ordered
    assert 'href="_generated/misconceptions.html"' in nav
    assert (site / "index.html").is_file(), "the site's top folder needs an index.html"
    catalogue = " ".join(_parse(site / "site" / "_generated" / "misconceptions.html").text)
    from lessons_lib.checks.catalogue import catalogue as rows
    for exercise_id, _, found in rows():
        for name in found:
            assert name in catalogue, f"misconception {name!r} of {exercise_id!r} is missing from the catalogue page"


def _words(text):
    return " ".join(html.unescape(text).split())


def _secrets():
    """Every answer region, hidden-test region and instructor note of solutions/, as (where, text)."""
    found = []
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for i, cell in enumerate(nb.cells):
            where = f"solutions/{path.name} cell {i}"
            if "instructor" in cell.get("metadata", {}).get("tags", []):
                found.append((f"{where} (instructor note)", cell.source))
                continue
            region, kind = None, None
            for line in cell.source.splitlines():
                marker = _MARKER.match(line)
                if marker and marker.group(1) == "BEGIN":
                    region, kind = [], marker.group(2)
                elif marker:
                    found.append((f"{where} ({kind.lower()})", "\n".join(region)))
                    region = None
                elif region is not None:
                    region.append(line)
    return found


def test_the_site_never_publishes_solutions_or_hidden_tests(site):
    secrets = [(where, _words(text)) for where, text in _secrets()]
    secrets = [(where, text) for where, text in secrets if len(text) >= 12]
    assert len(secrets) >= 20, "found too few solution regions to make this test meaningful"
    published = {p.relative_to(site): _words("".join(_parse(p).text)) for p in _pages(site)}
    published["searchindex.js"] = _words((site / "searchindex.js").read_text(encoding="utf-8"))
    # The search must be able to find code: every code cell of an exercise page is found on it.
    shown = nbformat.read(ROOT / "exercises" / "02_mse.ipynb", as_version=4)
    cells = [_words(c.source) for c in shown.cells if c.cell_type == "code" and len(c.source) > 30]
    assert cells and all(c in published[Path("exercises/02_mse.html")] for c in cells), \
        "the text extraction does not find the exercise's own code on its page; this test would miss a leak"
    leaks = [f"{where} appears in {page}: {text[:80]!r}"
             for where, text in secrets for page, body in published.items() if text in body]
    assert not leaks, "the site publishes solution material:\n  " + "\n  ".join(leaks[:20])
    assert not list(site.rglob("solutions")), "the site has a solutions folder"
    assert not list(site.rglob("*.ipynb")), "the site publishes notebook files"


# --------------------------------------------------------------------------- in the browser
@pytest.mark.browser
@pytest.mark.parametrize("page_path", ["site/index.html", "notebooks/02_mse.html"])
def test_site_pages_render_in_the_browser(site, page, shoot, page_path):
    page.goto((site / page_path).as_uri())
    page.wait_for_load_state("load")
    if "notebooks/" in page_path:
        page.locator("mjx-container").first.wait_for(timeout=30_000)   # maths typeset, offline
        assert not page.locator("text=/\\$\\$|\\\\frac/").count(), "raw LaTeX left on the page"
        images = page.locator("img").evaluate_all("imgs => imgs.map(i => [i.src, i.complete && i.naturalWidth > 0])")
        assert images and all(ok for _, ok in images), f"figures that did not load: {[s for s, ok in images if not ok]}"
    name = "site-" + page_path.replace("/", "-").removesuffix(".html")
    shoot(page, name)
    shoot(page, name + "-first-screen", full_page=False)   # what a reader sees on arrival
    assert not page.page_errors, f"JavaScript errors on {page_path}: {page.page_errors}"
