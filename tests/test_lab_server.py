"""The newcomer's path behind `make lab`: JupyterLab starts, serves lesson 00 and runs a course kernel.

The server is started the way the Makefile starts it (plus a fixed token, a free port and no
browser); the test then talks to it over its REST API like the browser would.
"""
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    def __init__(self, port, token):
        self.base, self.token = f"http://127.0.0.1:{port}", token

    def request(self, path, method="GET", body=None):
        req = urllib.request.Request(f"{self.base}{path}", method=method,
                                     data=None if body is None else json.dumps(body).encode(),
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            raw = resp.read()
            return resp.status, (json.loads(raw) if raw and "json" in resp.headers.get("Content-Type", "") else raw)


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
           f"--IdentityProvider.token={token}", "--ServerApp.root_dir=" + str(ROOT)]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")   # as the Makefile does
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path_factory.mktemp("runtime")))
    log = tmp_path_factory.mktemp("log") / "lab.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    server = Lab(port, token)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                server.request("/api/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("JupyterLab did not start:\n" + log.read_text(errors="replace")[-3000:])
                time.sleep(0.3)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_lab_page_and_first_lesson_are_served(lab):
    status, page = lab.request("/lab/tree/notebooks/00_welcome.ipynb")
    assert status == 200 and b"JupyterLab" in page
    status, model = lab.request("/api/contents/notebooks/00_welcome.ipynb")
    assert status == 200 and model["type"] == "notebook"
    assert model["content"]["cells"][0]["source"].startswith("# 00 · Welcome")


def test_the_lab_kernel_can_import_the_course_library(lab):
    _, specs = lab.request("/api/kernelspecs")
    spec = specs["kernelspecs"][specs["default"]]["spec"]
    python = spec["argv"][0]
    python = sys.executable if python in ("python", "python3") else python
    done = subprocess.run([python, "-c", "import lessons_lib, lessons_lib.checks; print(lessons_lib.mse(90, 70))"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "400.0", done.stderr

    status, kernel = lab.request("/api/kernels", method="POST", body={"name": specs["default"]})
    assert status == 201
    time.sleep(2)  # a kernel that cannot start dies within this time
    try:
        assert lab.request(f"/api/kernels/{kernel['id']}")[1]["execution_state"] != "dead"
    finally:
        assert lab.request(f"/api/kernels/{kernel['id']}", method="DELETE")[0] == 204
