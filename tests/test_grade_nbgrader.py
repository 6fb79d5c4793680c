"""Interchange with nbgrader: the solution notebook as an nbgrader assignment scores like lessons-grade.

Runs ``nbgrader generate_assignment`` and ``nbgrader autograde`` (with the course's configuration,
``lessons_lib.grade.interchange.configure``) on solutions/02_mse.ipynb and three submissions, and
requires the same totals as ``grade_course``. Skipped only when nbgrader is not installed (CI installs it).
"""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lessons_lib.grade import Limits, grade_course
from test_grade import GOOD, GRAD, RMSE, notebook

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
nbgrader_api = pytest.importorskip("nbgrader.api", reason="nbgrader is not installed (pip install nbgrader)")


def nbgrader(course, *args):
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    done = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def test_nbgrader_release_and_autograde_agree_with_lessons_grade(tmp_path):
    course = tmp_path / "course"
    (course / "source" / "02_mse").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "02_mse.ipynb", course / "source" / "02_mse" / "02_mse.ipynb")
    (course / "nbgrader_config.py").write_text(
        "from lessons_lib.grade.interchange import configure\n"
        f"c = get_config()\nconfigure(c, hidden_tests={str(ROOT / 'solutions' / 'hidden_tests')!r})\n"
        f"c.CourseDirectory.root = {str(course)!r}\n", encoding="utf-8")
    nbgrader(course, "generate_assignment", "02_mse", "--force")
    release = json.loads((course / "release" / "02_mse" / "02_mse.ipynb").read_text(encoding="utf-8"))
    assert not [c for c in release["cells"] if "instructor" in c["metadata"].get("tags", [])]
    released = "".join("".join(c["source"]) for c in release["cells"])
    assert "BEGIN SOLUTION" not in released and "run_in_notebook" not in released

    partial = dict(GOOD, **{GRAD: "def mse_grad(y_true, y_pred):\n    return 2 * (np.asarray(y_true, float) - y_pred) / np.size(y_pred)",
                            RMSE: "def rmse(y_true, y_pred):\n    raise NotImplementedError"})
    student_copy = course / "release" / "02_mse" / "02_mse.ipynb"  # what nbgrader hands out
    submissions = {"alice": (ROOT / "solutions" / "02_mse.ipynb").read_text(encoding="utf-8"),
                   "bob": student_copy.read_text(encoding="utf-8"),
                   "carol": notebook(partial, base=student_copy)}
    ours = tmp_path / "ours"
    for student, text in submissions.items():
        for folder in (course / "submitted" / student / "02_mse", ours / student):
            folder.mkdir(parents=True)
            (folder / "02_mse.ipynb").write_text(text, encoding="utf-8")
    nbgrader(course, "autograde", "02_mse", "--create", "--force")
    ours = grade_course(ours, ROOT / "solutions", assignment=["02_mse"], limits=Limits(cell_timeout=20))
    with nbgrader_api.Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        theirs = {s: gb.find_submission("02_mse", s).score for s in submissions}
        assert gb.find_submission("02_mse", "alice").max_score == ours["students"]["alice"]["max_points"]
    assert theirs == {s: e["points"] for s, e in ours["students"].items()} == {"alice": 9, "bob": 0, "carol": 5}
    graded = (course / "autograded" / "carol" / "02_mse" / "02_mse.ipynb").read_text(encoding="utf-8")
    assert "default_rng" not in graded and "accepted a (4,)" not in graded  # hidden-test code stays hidden
