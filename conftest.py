"""Test-session set-up shared by pytest, nbval and the doctests."""
import contextlib
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import matplotlib
import pytest

# Notebook kernels started under test inherit LESSONS_STATIC and draw their static figures instead
# of live widgets (lessons_lib.widgets). MPLBACKEND is deliberately not exported: kernels must keep
# their inline backend so figures are stored and compared; only this process uses Agg.
os.environ.setdefault("LESSONS_STATIC", "1")
matplotlib.use("Agg")


def _retry_kernel_start(start):
    """nbval's kernel start, retried when the kernel loses the race for a TCP port (see
    lessons_lib.authoring.kernel_lost_start_race): parallel test workers start many kernels at once."""
    from lessons_lib.authoring import retry_lost_start_race

    def start_with_retries(*args, **kwargs):
        return retry_lost_start_race(lambda: start(*args, **kwargs))
    return start_with_retries


try:
    import nbval.kernel
except ImportError:  # nbval is a dev dependency; without it there is nothing to patch
    pass
else:
    nbval.kernel.start_new_kernel = _retry_kernel_start(nbval.kernel.start_new_kernel)


@pytest.fixture
def ax():
    """A fresh matplotlib Axes under the default style, closed after the test (figure tests)."""
    import matplotlib.pyplot as plt

    with matplotlib.rc_context():
        fig, ax = plt.subplots()
        yield ax
        plt.close(fig)


@contextlib.contextmanager
def _running_jupyterlab(root, extra_args=(), env=None, log=None, startup=90):
    """JupyterLab on 127.0.0.1, a free port and a fresh token, serving ``root``; yields (port, token)
    once ``/api/status`` answers, and always ends the server (politely, then by force) and waits until
    its port is closed. A server that does not come up fails the test with the end of its log."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    token = secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           *extra_args]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")   # as `make lab` does in a container
    log = Path(log or Path(tempfile.mkdtemp()) / "lab.log")
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, stdout=out, stderr=subprocess.STDOUT, env=env)
    status = urllib.request.Request(f"http://127.0.0.1:{port}/api/status",
                                    headers={"Authorization": f"token {token}"})
    try:
        deadline = time.monotonic() + startup
        while True:
            try:
                urllib.request.urlopen(status, timeout=10).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + log.read_text(errors="replace")[-3000:])
                time.sleep(0.3)
        yield port, token
    finally:
        if proc.poll() is None:
            proc.terminate()   # politely: the server then shuts its kernels down
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _port_is_open(port) and time.monotonic() < deadline:
            time.sleep(0.2)


def _port_is_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture(scope="session")
def jupyterlab():
    """``with jupyterlab(root, extra_args, env=..., log=...) as (port, token):`` a running JupyterLab
    (the lab tests of tests/ and tests/browser/ start theirs the same way)."""
    return _running_jupyterlab


@pytest.fixture(scope="session")
def port_is_open():
    return _port_is_open
