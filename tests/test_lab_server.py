"""The newcomer's path behind `make lab`: JupyterLab starts, serves lesson 00 and runs a course kernel.

The server is started the way the Makefile starts it (plus a fixed token, a free port and no
browser); the test then talks to it over its REST API like the browser would.
"""
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
def lab(tmp_path_factory, jupyterlab):
    env = dict(os.environ, JUPYTER_RUNTIME_DIR=str(tmp_path_factory.mktemp("runtime")))
    # IPC kernel sockets (not TCP ports, which parallel test workers could take): see tests/browser/conftest.py
    with jupyterlab(ROOT, ["--KernelManager.transport=ipc"], env=env, log=tmp_path_factory.mktemp("log") / "lab.log",
                    startup=60) as (port, token):
        yield Lab(port, token)


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
