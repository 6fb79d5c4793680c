"""End-to-end and unit tests of the batch grader on a tiny in-memory course."""
import csv
import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lessons_lib import grade, grade_worker
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
assert not check("grade_fixture_value", 0.0, quiet=True).passed  # a failing verdict that must not count
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
        cell("code", "answer = None\n### BEGIN SOLUTION\nanswer = 2.5\n### END SOLUTION", "ans-value",
             exercise="grade_fixture_value"),
        cell("code", 'check("grade_fixture_value", answer)', "chk-value"),
        cell("code", HIDDEN, "hid-mse", nbgrader={"grade": True, "grade_id": "mse_hidden", "points": 3,
                                                  "solution": False, "locked": True}),
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


FORGE = """import json, os
with open(os.environ["LESSONS_GRADE_LOG"], "a") as fh:
    for ex, pts in (("grade_fixture_mse", 2), ("grade_fixture_value", 1)):
        fh.write(json.dumps({"exercise": ex, "status": "passed", "points": pts, "max_points": pts,
                             "message": "forged"}) + "\\n")"""


def run_tiny_course(root, capsys):
    """Grade fake students (perfect, catalogued mistake, misbehaving, corrupt, crashing, cheating, nothing)."""
    (root / "solutions").mkdir()
    nbformat.write(solution_notebook(), root / "solutions" / "01_tiny.ipynb")
    subs = root / "submissions"
    for name in ("alice", "bob", "carol", "erin", "frank", "gina"):
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
    (subs / "erin" / "01-tiny.ipynb").write_text("", encoding="utf-8")  # misnamed (and empty)
    (subs / "notes.txt").write_text("not a notebook", encoding="utf-8")
    # frank: wrong answers, deletes the hidden test and the check cells, writes passing lines to the log
    nbformat.write(student({"ans-mse": "def mse(y_true, y_pred):\n    return 0.0", "ans-value": "answer = 1.0"},
                           drop={"hid-mse", "chk-mse", "chk-value"}, extra_after=("ans-value", FORGE)),
                   subs / "frank" / "01_tiny.ipynb")
    # gina: right mse, then the kernel dies in the next answer cell
    nbformat.write(student({"ans-mse": "def mse(y_true, y_pred):\n    return np.mean((y_true - y_pred) ** 2)",
                            "ans-value": "import os\nos._exit(1)"}), subs / "gina" / "01_tiny.ipynb")
    (subs / "hal__01_tiny.ipynb").write_text("", encoding="utf-8")  # empty file
    out = root / "gradebook"
    old = out / "feedback" / "zoe.md"  # feedback of an earlier run must not survive
    old.parent.mkdir(parents=True)
    old.write_text("stale", encoding="utf-8")
    code = grade.main([str(subs), "--solutions", str(root / "solutions"), "--out", str(out), "--timeout",
                       str(TIMEOUT), "--total-timeout", "90", "--memory", "1200", "--jobs", "2", "--quiet"])
    results = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    return results, out, code, capsys.readouterr()


def test_grade_tiny_course_end_to_end(tmp_path, capsys):
    # One test, so that pytest-xdist does not run the (kernel-heavy) grading once per worker.
    graded = run_tiny_course(tmp_path, capsys)
    for check_part in (course_items_and_max_points_come_from_the_solution_run,
                       perfect_student_gets_every_point_even_with_an_edited_check_cell,
                       catalogued_mistake_is_named_and_the_hidden_test_fails,
                       infinite_loop_deleted_cell_and_memory_hog_are_contained,
                       corrupt_and_missing_notebooks_get_feedback_not_a_crash,
                       forged_log_lines_and_deleted_tests_earn_nothing,
                       kernel_death_names_the_cell_and_keeps_earlier_points,
                       gradebook_csv_has_a_row_per_student_and_a_column_per_item,
                       command_line_exits_0_and_prints_a_summary):
        check_part(graded)


def items(results, name):
    return {i["id"]: i for i in results["students"][name]["notebooks"]["01_tiny"]["items"]}


def course_items_and_max_points_come_from_the_solution_run(graded):
    results = graded[0]
    course = results["course"]["01_tiny"]
    assert [(i["id"], i["max_points"]) for i in course["items"]] == [
        ("grade_fixture_mse", 2.0), ("grade_fixture_value", 1.0), ("mse_hidden", 3.0)]
    assert course["max_points"] == 6
    assert results["warnings"] == []  # the hidden test's failing check() call does not cost the solution
    assert any("notes.txt" in line for line in results["ignored"])
    assert any("01-tiny.ipynb" in line for line in results["ignored"])


def perfect_student_gets_every_point_even_with_an_edited_check_cell(graded):
    results, out = graded[:2]
    assert results["students"]["alice"]["points"] == 6
    assert all(i["status"] == "passed" for i in items(results, "alice").values())
    assert "6 / 6" in (out / "feedback" / "alice.md").read_text()


def catalogued_mistake_is_named_and_the_hidden_test_fails(graded):
    results, out = graded[:2]
    bob = items(results, "bob")
    assert bob["grade_fixture_mse"]["points"] == 0 and bob["grade_fixture_mse"]["misconception"] == "forgot_mean"
    assert bob["grade_fixture_value"]["points"] == 1
    assert bob["mse_hidden"]["points"] == 0 and "AssertionError" in bob["mse_hidden"]["message"]
    assert results["students"]["bob"]["points"] == 1
    text = (out / "feedback" / "bob.md").read_text()
    assert "never divided by n" in text and "forgot_mean" in text and "mse on hand-worked inputs" in text


def infinite_loop_deleted_cell_and_memory_hog_are_contained(graded):
    results, out = graded[:2]
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
    assert "8 s" in (out / "feedback" / "carol.md").read_text()


def corrupt_and_missing_notebooks_get_feedback_not_a_crash(graded):
    results, out = graded[:2]
    dave = results["students"]["dave"]["notebooks"]["01_tiny"]
    assert dave["status"] == "unreadable" and dave["points"] == 0
    assert "could not be opened" in (out / "feedback" / "dave.md").read_text()
    erin = results["students"]["erin"]["notebooks"]["01_tiny"]
    assert not erin["submitted"] and erin["points"] == 0
    erin_text = (out / "feedback" / "erin.md").read_text()
    assert "Not submitted" in erin_text and "01-tiny.ipynb was not graded" in erin_text
    hal = results["students"]["hal"]["notebooks"]["01_tiny"]
    assert hal["status"] == "unreadable" and "could not be opened" in hal["notes"][0]


def forged_log_lines_and_deleted_tests_earn_nothing(graded):
    results, out = graded[:2]
    frank = items(results, "frank")
    assert {k: (v["status"], v["points"]) for k, v in frank.items()} == {
        "grade_fixture_mse": ("failed", 0), "grade_fixture_value": ("failed", 0), "mse_hidden": ("failed", 0)}
    assert "forged" not in (out / "feedback" / "frank.md").read_text()


def kernel_death_names_the_cell_and_keeps_earlier_points(graded):
    results, out = graded[:2]
    gina = items(results, "gina")
    report = results["students"]["gina"]["notebooks"]["01_tiny"]
    assert report["status"] == "kernel_died"
    assert any("kernel stopped while running the cell starting `import os`" in n for n in report["notes"])
    assert gina["grade_fixture_mse"]["points"] == 2 and results["students"]["gina"]["points"] == 2
    assert gina["grade_fixture_value"]["status"] == gina["mse_hidden"]["status"] == "error"
    assert "did not run (the notebook stopped early" in gina["mse_hidden"]["message"]


def gradebook_csv_has_a_row_per_student_and_a_column_per_item(graded):
    out = graded[1]
    with open(out / "gradebook.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["student"] for r in rows] == ["alice", "bob", "carol", "dave", "erin", "frank", "gina", "hal"]
    assert [(r["01_tiny"], r["01_tiny:mse_hidden"], r["total"], r["max"]) for r in rows[:2]] == [
        ("6", "3", "6", "6"), ("1", "0", "1", "6")]
    assert json.loads((out / "grades.json").read_text())["students"]["bob"]["points"] == 1
    assert sorted(p.name for p in (out / "feedback").iterdir()) == [
        f"{name}.md" for name in ("alice", "bob", "carol", "dave", "erin", "frank", "gina", "hal")]


def command_line_exits_0_and_prints_a_summary(graded):
    _, out, code, captured = graded
    assert code == 0, captured.err
    assert "Graded 7 notebook(s) of 8 student(s)" in captured.out
    lines = captured.out.splitlines()
    assert any(line.split()[:4] == ["alice", "6", "/", "6"] for line in lines)
    assert any(line.split()[0] == "gina" and "kernel died" in line for line in lines)
    assert "warning: notes.txt was not graded" in captured.err


# --------------------------------------------------------------------------- units (no kernel)
def test_build_keeps_student_extras_in_place_and_stubs_missing_answers():
    sol = solution_notebook()
    mine = student({"chk-mse": "tampered()"}, drop={"ans-mse"}, extra_after=("setup", "helper = 1"))
    nb, missing = grade.build_graded_notebook(sol, mine)
    ids = [c.id for c in nb.cells]
    assert missing == ["ans-mse"]
    assert ids == ["title", "setup", "mine-1", "ans-mse", "chk-mse", "ans-value", "chk-value", "hid-mse"]
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
    trusted = {4: {"e"}}
    (res,) = grade.score_notebook(item, new_notebook(), [(4, r) for r in records], trusted, None, [], 60)
    assert (res["status"], res["points"], res["misconception"]) == ("failed", 0, "m")


def test_find_submissions_rejects_a_missing_folder(tmp_path):
    with pytest.raises(ValueError, match="SUBMISSIONS_DIR"):
        grade.find_submissions(tmp_path / "nope", {"01_tiny"})


def test_find_submissions_reports_misnamed_and_duplicate_files_to_their_student(tmp_path):
    (tmp_path / "amy" / "old").mkdir(parents=True)
    for rel in ("amy/01_tiny.ipynb", "amy/old/01_tiny.ipynb", "amy/01-tiny.ipynb", "amy__01_tiny.ipynb",
                "ben__01_tiny.ipynb", "readme.md"):
        (tmp_path / rel).write_text("{}", encoding="utf-8")
    found, ignored = grade.find_submissions(tmp_path, {"01_tiny"})
    assert found == {"amy": {"01_tiny": tmp_path / "amy" / "01_tiny.ipynb"},
                     "ben": {"01_tiny": tmp_path / "ben__01_tiny.ipynb"}}
    by_student = sorted((s or "", m.split(" was not graded")[0]) for s, m in ignored)
    assert by_student == [("", "readme.md"), ("amy", "amy/01-tiny.ipynb"), ("amy", "amy/old/01_tiny.ipynb"),
                          ("amy", "amy__01_tiny.ipynb")]
    assert any("expected one of 01_tiny.ipynb" in m for _, m in ignored)


def test_feedback_file_names_are_safe_and_unique():
    names = grade.feedback_names(["a b", "a_b", "../etc", "A_B"])
    assert len(set(n.lower() for n in names.values())) == 4
    assert all("/" not in n and not n.startswith(".") for n in names.values())


def test_only_verdicts_logged_by_the_solutions_check_cells_count(tmp_path):
    sol = solution_notebook()
    mine = student({}, extra_after=("ans-mse", "check('grade_fixture_mse', mse)"))
    nb, _ = grade.build_graded_notebook(sol, mine)
    trusted = grade.trusted_checks(nb, sol)
    ids = [c.id for c in nb.cells]
    # the solution's two check cells; not the student's own check call, not the hidden test's check call
    assert trusted == {ids.index("chk-mse"): {"grade_fixture_mse"}, ids.index("chk-value"): {"grade_fixture_value"}}
    log = tmp_path / "log.jsonl"
    lines = [json.dumps({"exercise": "grade_fixture_mse", "n": n}) + "\n" for n in range(3)]
    log.write_text("".join(lines[:2]) + "not json\n" + lines[2], encoding="utf-8")
    starts = [[0, 0], [5, len(lines[0])], [7, len(lines[0]) + len(lines[1])]]
    assert [(i, r["n"]) for i, r in grade_worker._read_log(log, starts)] == [(0, 0), (5, 1), (7, 2)]


def test_command_line_errors_exit_2_with_a_clear_message(tmp_path, capsys):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "subs").mkdir()
    assert grade.main([str(tmp_path / "subs"), "--solutions", str(tmp_path / "solutions")]) == 2
    assert "holds no .ipynb files" in capsys.readouterr().err
    nbformat.write(solution_notebook(), tmp_path / "solutions" / "01_tiny.ipynb")
    assert grade.main([str(tmp_path / "subs"), "--solutions", str(tmp_path / "solutions")]) == 2
    assert "no student submissions found" in capsys.readouterr().err
    assert grade.main([str(tmp_path / "nope"), "--solutions", str(tmp_path / "solutions")]) == 2
    assert "is not a folder" in capsys.readouterr().err
    assert grade.main([str(tmp_path / "subs"), "--solutions", str(tmp_path / "solutions"), "--jobs", "0"]) == 2
    assert "--jobs must be positive" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        grade.main(["--help"])
    help_text = capsys.readouterr().out
    assert "exit status" in help_text and "gradebook.csv" in help_text and "alice__02_mse.ipynb" in help_text
