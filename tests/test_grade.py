"""End-to-end and unit tests of the batch grader on a tiny in-memory course."""
import csv
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lessons_lib import grade
from lessons_lib.authoring import make_exercise

TIMEOUT = 8  # seconds per cell: long enough for a slow import on a busy machine, short for the loop

SETUP = '''import numpy as np
from lessons_lib.checks import check, hint
from lessons_lib.checks.core import Misconception, compare_value, diagnose_function, register

FORGOT_MEAN = Misconception("forgot_mean", "You added the squared errors up but never divided by n.",
                            lambda y_true, y_pred: np.sum((y_true - y_pred) ** 2))


@register("grade_fixture_mse", title="mse", points=2)
def _check_mse(fn):
    """The learner's mse agrees with the mean of squared errors."""
    probe = {"y_true": np.array([1.0, 2.0, 3.0]), "y_pred": np.array([1.0, 2.0, 5.0])}
    return diagnose_function(fn, lambda y_true, y_pred: np.mean((y_true - y_pred) ** 2), [probe], [FORGOT_MEAN])


@register("grade_fixture_value", title="a value", points=1)
def _check_value(answer):
    """MSE of errors (1, 2) worked out by hand is 2.5."""
    return compare_value(answer, 2.5)'''

MSE_ANSWER = "def mse(y_true, y_pred):\n    ### BEGIN SOLUTION\n    return np.mean((y_true - y_pred) ** 2)\n    ### END SOLUTION"
HIDDEN = '''"""mse on hand-worked inputs."""
assert np.isclose(mse(np.array([0.0, 0.0]), np.array([1.0, 3.0])), 5.0)
### BEGIN HIDDEN TESTS
assert np.isclose(mse(np.zeros(4), np.full(4, 2.0)), 4.0)
### END HIDDEN TESTS'''


def cell(kind, source, cell_id, **metadata):
    make = new_code_cell if kind == "code" else new_markdown_cell
    c = make(source, metadata=metadata)
    c.id = cell_id
    return c


def solution_notebook():
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        cell("md", "# 01 · Tiny", "title"),
        cell("code", SETUP, "setup"),
        cell("md", "Takes five minutes.", "note", tags=["instructor"]),
        cell("code", MSE_ANSWER, "ans-mse", exercise="grade_fixture_mse"),
        cell("code", 'check("grade_fixture_mse", mse)', "chk-mse"),
        cell("code", HIDDEN, "hid-mse", nbgrader={"grade": True, "grade_id": "mse_hidden", "points": 3,
                                                  "solution": False, "locked": True}),
        cell("code", "answer = None\n### BEGIN SOLUTION\nanswer = 2.5\n### END SOLUTION", "ans-value",
             exercise="grade_fixture_value"),
        cell("code", 'check("grade_fixture_value", answer)', "chk-value"),
    ]
    return nb


def student(edits, drop=(), extra_after=None):
    """The exercise notebook a learner downloads, with cell sources replaced by ``edits``."""
    nb = make_exercise(solution_notebook())
    nb.cells = [c for c in nb.cells if c.id not in drop]
    for c in nb.cells:
        if c.id in edits:
            c.source = edits[c.id]
    if extra_after:
        anchor, source = extra_after
        at = [c.id for c in nb.cells].index(anchor) + 1
        nb.cells.insert(at, cell("code", source, "mine-1"))
    return nb


def run_tiny_course(root):
    """Grade five fake students (perfect, catalogued mistake, misbehaving, corrupt file, nothing)."""
    (root / "solutions").mkdir()
    nbformat.write(solution_notebook(), root / "solutions" / "01_tiny.ipynb")
    subs = root / "submissions"
    for name in ("alice", "bob", "carol", "erin"):
        (subs / name).mkdir(parents=True)
    nbformat.write(student({"ans-mse": "def mse(y_true, y_pred):\n    return np.mean((y_pred - y_true) ** 2)",
                            "ans-value": "answer = 2.5",
                            "chk-value": "print('I skipped the check')"}),  # edited check cells do not count
                   subs / "alice" / "01_tiny.ipynb")
    nbformat.write(student({"ans-mse": "def mse(y_true, y_pred):\n    return np.sum((y_true - y_pred) ** 2)",
                            "ans-value": "answer = 2.5"}), subs / "bob" / "01_tiny.ipynb")
    nbformat.write(student({"ans-mse": "while True:\n    pass"}, drop={"ans-value"},
                           extra_after=("chk-mse", "big = np.ones(200_000_000)  # 1.5 GiB > memory limit")),
                   subs / "carol" / "01_tiny.ipynb")
    (subs / "dave__01_tiny.ipynb").write_text('{"cells": [', encoding="utf-8")  # flat layout, corrupt
    (subs / "notes.txt").write_text("not a notebook", encoding="utf-8")
    results = grade.grade_course(subs, root / "solutions", timeout=TIMEOUT, total_timeout=90, memory=1200, jobs=2)
    out = root / "gradebook"
    grade.write_gradebook(results, out)
    return results, out


def test_grade_tiny_course_end_to_end(tmp_path):
    # One test, so that pytest-xdist does not run the (kernel-heavy) grading once per worker.
    graded = run_tiny_course(tmp_path)
    for check_part in (course_items_and_max_points_come_from_the_solution_run,
                       perfect_student_gets_every_point_even_with_an_edited_check_cell,
                       catalogued_mistake_is_named_and_the_hidden_test_fails,
                       infinite_loop_deleted_cell_and_memory_hog_are_contained,
                       corrupt_and_missing_notebooks_get_feedback_not_a_crash,
                       gradebook_csv_has_a_row_per_student_and_a_column_per_item):
        check_part(graded)


def items(results, name):
    return {i["id"]: i for i in results["students"][name]["notebooks"]["01_tiny"]["items"]}


def course_items_and_max_points_come_from_the_solution_run(graded):
    results, _ = graded
    course = results["course"]["01_tiny"]
    assert [(i["id"], i["max_points"]) for i in course["items"]] == [
        ("grade_fixture_mse", 2.0), ("grade_fixture_value", 1.0), ("mse_hidden", 3.0)]
    assert course["max_points"] == 6
    assert results["warnings"] == []
    assert any("notes.txt" in line for line in results["ignored"])


def perfect_student_gets_every_point_even_with_an_edited_check_cell(graded):
    results, out = graded
    assert results["students"]["alice"]["points"] == 6
    assert all(i["status"] == "passed" for i in items(results, "alice").values())
    assert "6 / 6" in (out / "feedback" / "alice.md").read_text()


def catalogued_mistake_is_named_and_the_hidden_test_fails(graded):
    results, out = graded
    bob = items(results, "bob")
    assert bob["grade_fixture_mse"]["points"] == 0 and bob["grade_fixture_mse"]["misconception"] == "forgot_mean"
    assert bob["grade_fixture_value"]["points"] == 1
    assert bob["mse_hidden"]["points"] == 0 and "AssertionError" in bob["mse_hidden"]["message"]
    assert results["students"]["bob"]["points"] == 1
    text = (out / "feedback" / "bob.md").read_text()
    assert "never divided by n" in text and "forgot_mean" in text and "mse on hand-worked inputs" in text


def infinite_loop_deleted_cell_and_memory_hog_are_contained(graded):
    results, out = graded
    carol = items(results, "carol")
    assert results["students"]["carol"]["points"] == 0
    assert carol["grade_fixture_mse"]["status"] == "error"
    assert f"longer than {TIMEOUT:g} s" in carol["grade_fixture_mse"]["message"]
    assert carol["grade_fixture_value"]["status"] == "not_attempted"
    assert "deleted" in carol["grade_fixture_value"]["message"]
    assert carol["mse_hidden"]["status"] == "failed" and "NameError" in carol["mse_hidden"]["message"]
    report = results["students"]["carol"]["notebooks"]["01_tiny"]
    assert any("MemoryError" in e for e in report["extra_cell_errors"])
    text = (out / "feedback" / "carol.md").read_text()
    assert "loop that never ends" in text and "deleted" in text and "MemoryError" in text


def corrupt_and_missing_notebooks_get_feedback_not_a_crash(graded):
    results, out = graded
    dave = results["students"]["dave"]["notebooks"]["01_tiny"]
    assert dave["status"] == "unreadable" and dave["points"] == 0
    assert "could not be opened" in (out / "feedback" / "dave.md").read_text()
    erin = results["students"]["erin"]["notebooks"]["01_tiny"]
    assert not erin["submitted"] and erin["points"] == 0
    assert "Not submitted" in (out / "feedback" / "erin.md").read_text()


def gradebook_csv_has_a_row_per_student_and_a_column_per_item(graded):
    _, out = graded
    with open(out / "gradebook.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["student"] for r in rows] == ["alice", "bob", "carol", "dave", "erin"]
    assert [(r["01_tiny"], r["01_tiny:mse_hidden"], r["total"], r["max"]) for r in rows[:2]] == [
        ("6", "3", "6", "6"), ("1", "0", "1", "6")]
    assert json.loads((out / "grades.json").read_text())["students"]["bob"]["points"] == 1


# --------------------------------------------------------------------------- units (no kernel)
def test_build_keeps_student_extras_in_place_and_stubs_missing_answers():
    sol = solution_notebook()
    mine = student({"chk-mse": "tampered()"}, drop={"ans-mse"}, extra_after=("setup", "helper = 1"))
    nb, missing = grade.build_graded_notebook(sol, mine)
    ids = [c.id for c in nb.cells]
    assert missing == ["ans-mse"]
    assert ids == ["title", "setup", "mine-1", "ans-mse", "chk-mse", "hid-mse", "ans-value", "chk-value"]
    by_id = {c.id: c for c in nb.cells}
    assert "NotImplementedError" in by_id["ans-mse"].source
    assert by_id["chk-mse"].source == 'check("grade_fixture_mse", mse)'
    assert "BEGIN HIDDEN TESTS" in by_id["hid-mse"].source
    assert by_id["ans-value"].source.startswith("answer = None\nraise NotImplementedError")  # student's stub
    assert "note" not in ids


def test_last_check_call_counts():
    item = [{"id": "e", "kind": "check", "max_points": 2.0}]
    records = [{"exercise": "e", "status": "passed", "points": 2, "max_points": 2, "message": "ok"},
               {"exercise": "e", "status": "failed", "points": 0, "max_points": 2, "message": "no",
                "misconception": "m"}]
    (res,) = grade.score_notebook(item, new_notebook(), records, None, [], 60)
    assert (res["status"], res["points"], res["misconception"]) == ("failed", 0, "m")


def test_find_submissions_rejects_a_missing_folder(tmp_path):
    with pytest.raises(ValueError, match="SUBMISSIONS_DIR"):
        grade.find_submissions(tmp_path / "nope", {"01_tiny"})
