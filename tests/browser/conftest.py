"""Fixtures for the tests that look at the course the way a learner does: in a real browser.

* ``chromium``: Debian's headless Chromium driven by playwright (never a downloaded browser). When
  Chromium or playwright is missing the browser tests are skipped with the reason, unless
  ``LESSONS_REQUIRE_BROWSER=1`` (set by ``.ci/run``), where they fail instead.
* ``lab``: one JupyterLab server for the whole session, on 127.0.0.1, a free port and a token, serving
  a scratch copy of the course's notebooks (autosave can never touch the committed files). Its kernels
  get live widgets (``LESSONS_STATIC`` unset). It is always shut down, even when a test fails.
* ``shoot(page, name)``: a full-page screenshot into ``artifacts/browser/``; every browser test also
  leaves a ``FAILED-...`` screenshot there when it fails.
"""
import json
import os
import shutil
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
COURSE_SETTINGS = "loss-functions-hands-on.json"   # lab-settings/, installed by `make install`
# Test-only JupyterLab settings: every cell stays in the page (no virtual scrolling), so a test can
# find any widget without scrolling; the course's own settings (lab-settings/) still apply.
TEST_LAB_SETTINGS = {"@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
                     "@jupyterlab/docmanager-extension:plugin": {"autosave": False}}


def _browser_missing():
    """Why the browser tests cannot run here, or None."""
    if not Path(CHROMIUM).exists():
        return f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[dev]')"
    return None


def require_browser():
    reason = _browser_missing()
    if reason is None:
        return
    if os.environ.get("LESSONS_REQUIRE_BROWSER", "") not in ("", "0"):
        pytest.fail(f"LESSONS_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def chromium():
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(chromium, artifacts, request):
    """A fresh browser tab (1280x900); screenshots itself into artifacts/ if the test fails."""
    failure_shot = artifacts / f"FAILED-{request.node.name}.png"
    failure_shot.unlink(missing_ok=True)   # from an earlier run
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(30_000)
    tab = context.new_page()
    problems = []
    tab.on("pageerror", lambda exc: problems.append(str(exc)))
    tab.page_errors = problems
    try:
        yield tab
    finally:
        failed = any(getattr(getattr(request.node, f"report_{when}", None), "failed", False)
                     for when in ("setup", "call"))
        if failed:
            try:
                tab.screenshot(path=str(failure_shot), full_page=True)
            except Exception as exc:  # the page may be gone; the test's own error matters more
                print(f"could not save the failure screenshot: {exc}")
        context.close()


@pytest.fixture
def shoot(artifacts):
    def save(tab, name, full_page=True):
        path = artifacts / f"{name}.png"
        tab.screenshot(path=str(path), full_page=full_page)
        return path
    return save


# --------------------------------------------------------------------------- JupyterLab server
class Lab:
    """A running JupyterLab: ``url(path)`` for the browser (token included), ``api(path)`` for REST."""

    def __init__(self, port, token, root):
        self.port, self.token, self.root = port, token, root
        self.base = f"http://127.0.0.1:{port}"

    def url(self, path, reset=False):
        return f"{self.base}/{path.lstrip('/')}?{'reset&' if reset else ''}token={self.token}"

    def api(self, path, method="GET"):
        req = urllib.request.Request(f"{self.base}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
            return json.loads(raw) if raw else None


def processes_mentioning(text):
    """Ids of running processes whose command line contains ``text`` (Linux /proc; else empty)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            if text.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
        except OSError:
            pass  # the process ended meanwhile
    return found


@pytest.fixture(scope="session")
def lab(tmp_path_factory, jupyterlab, port_is_open):
    """JupyterLab serving a copy of notebooks/ and exercises/, with live widgets in its kernels."""
    require_browser()
    shipped = ROOT / "lab-settings" / COURSE_SETTINGS
    installed = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / COURSE_SETTINGS
    if not installed.is_file() or installed.read_bytes() != shipped.read_bytes():
        pytest.fail(f"the course's JupyterLab settings are not installed in this environment: `make install` "
                    f"copies {shipped.relative_to(ROOT)} to {installed}")
    root = tmp_path_factory.mktemp("course")
    for folder in ("notebooks", "exercises"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    config = tmp_path_factory.mktemp("jupyter-config")
    (config / "labconfig").mkdir()
    (config / "labconfig" / "default_setting_overrides.json").write_text(json.dumps(TEST_LAB_SETTINGS))
    runtime = tmp_path_factory.mktemp("runtime")   # kernels' connection files: names them on the command line
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(runtime),
               JUPYTER_CONFIG_PATH=str(config), OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    env.pop("LESSONS_STATIC", None)   # the test session sets it; a learner's kernels have live widgets
    env.pop("MPLBACKEND", None)
    # IPC sockets instead of TCP ports for the kernels: test workers starting kernels in parallel cannot
    # take a port from under them (a lost race left a kernel "Unknown" for minutes)
    args = [f"--LabApp.workspaces_dir={tmp_path_factory.mktemp('workspaces')}", "--KernelManager.transport=ipc"]
    port = None
    try:
        with jupyterlab(root, args, env=env, log=tmp_path_factory.mktemp("log") / "lab.log") as (port, token):
            yield Lab(port, token, root)
    finally:
        left = processes_mentioning(str(runtime))
        for pid in left:   # kernels of this server that outlived it: ours to end
            try:
                os.kill(pid, 9)
            except OSError:
                pass
    assert port is None or not port_is_open(port), f"JupyterLab's port {port} is still open after shutdown"
    assert not left, f"kernel processes {left} outlived the JupyterLab server"
