"""The batch grader on a crafted class of 02_mse submissions: hostile ones between normal students.

The class is graded once per session (module-scoped fixture); each test asserts on that result.
Expected scores come from the exercise points (1 + 1 + 2 + 2 + 1 for the checks, 1 + 1 for the two
hidden tests: 9 in all), not from the grader.
"""
import copy
import csv
import json
from pathlib import Path

import pytest

from lessons_lib.grade import Limits, grade_course, write_gradebook
from lessons_lib.grade import batch

ROOT = Path(__file__).resolve().parents[1]
EXERCISE = ROOT / "exercises" / "02_mse.ipynb"

BY_HAND, RATIO, MSE, GRAD, RMSE = ("02-mse-by-hand-answer", "02-mse-penalty-ratio-answer", "02-mse-answer",
                                   "02-mse-grad-answer", "02-rmse-answer")
GOOD = {
    BY_HAND: "mse_by_hand = 400",
    RATIO: "mse_ratio, mae_ratio = 100.0, 10.0",
    MSE: ("def mse(y_true, y_pred):\n    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)\n"
          "    if y_true.shape != y_pred.shape:\n        raise ValueError('shapes differ')\n"
          "    return float(np.mean((y_true - y_pred) ** 2))"),
    GRAD: ("def mse_grad(y_true, y_pred):\n    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)\n"
           "    return 2 * (y_pred - y_true) / y_pred.size"),
    RMSE: ("def rmse(y_true, y_pred):\n    d = np.asarray(y_true, float) - np.asarray(y_pred, float)\n"
           "    return float(np.sqrt(np.mean(d ** 2)))"),
}
POINTS = {"mse_by_hand": 1, "mse_penalty_ratio": 1, "mse": 2, "mse-hidden": 1, "mse_grad": 2,
          "mse-grad-hidden": 1, "rmse": 1}
WRONG = {BY_HAND: "mse_by_hand = 20", RATIO: "mse_ratio, mae_ratio = 10.0, 10.0",
         MSE: "def mse(y_true, y_pred):\n    return 0.0",
         GRAD: "def mse_grad(y_true, y_pred):\n    return np.zeros(np.shape(y_pred))",
         RMSE: "def rmse(y_true, y_pred):\n    return 0.0"}


def notebook(answers=None, extra=(), drop=(), base=EXERCISE):
    """The exercise notebook (or ``base``) with ``answers`` ({cell id: source}) filled in, ``extra``
    [(after id, source)] code cells added and the cells in ``drop`` removed."""
    nb = json.loads(Path(base).read_text(encoding="utf-8"))
    cells = []
    for k, cell in enumerate(nb["cells"]):
        if cell["id"] in drop:
            continue
        cell = copy.deepcopy(cell)
        if answers and cell["id"] in answers:
            cell["source"] = answers[cell["id"]]
        cells.append(cell)
        for n, (after, source) in enumerate(extra):
            if after == cell["id"]:
                cells.append({"cell_type": "code", "id": f"extra-{k}-{n}", "metadata": {}, "outputs": [],
                              "execution_count": None, "source": source})
    nb["cells"] = cells
    return json.dumps(nb)


def good(**changes):
    answers = dict(GOOD)
    answers.update({{"by_hand": BY_HAND, "ratio": RATIO, "mse": MSE, "grad": GRAD, "rmse": RMSE}[k]: v
                    for k, v in changes.items()})
    return answers


CHECK_CELLS = ["02-mse-by-hand-check", "02-mse-penalty-ratio-check", "02-mse-check", "02-mse-grad-check",
               "02-rmse-check"]
FORGED = ('import json, os\npath = os.environ.get("LESSONS_GRADE_LOG", "grade_log.jsonl")\n'
          'with open(path, "a") as fh:\n'
          '    for ex, p in [("mse_by_hand", 1), ("mse_penalty_ratio", 1), ("mse", 2), ("mse_grad", 2), ("rmse", 1)]:\n'
          '        fh.write(json.dumps({"exercise": ex, "status": "passed", "passed": True, "points": p, '
          '"max_points": p, "message": "Correct"}) + "\\n")\nprint("✅ mse (2/2 points): Correct!")')
EQ_ALWAYS = ("class Anything(float):\n    def __eq__(self, other): return True\n    __hash__ = float.__hash__\n"
             "class Sneaky:\n    def __eq__(self, other): return True\n    def __float__(self): raise TypeError('no')\n"
             "mse_by_hand = Sneaky()\nmse_ratio, mae_ratio = Sneaky(), Sneaky()")

# name -> (files {relative path: text or bytes}, expected total)
CLASS = {
    "a_perfect": ({"02_mse.ipynb": notebook(GOOD)}, 9),
    "b_partial": ({"02_mse.ipynb": notebook(good(mse="def mse(y_true, y_pred):\n    return float(np.sum((np.asarray(y_true) - np.asarray(y_pred)) ** 2))"))}, 6),
    "c_stub": ({"02_mse.ipynb": notebook()}, 0),
    "d_while_true": ({"02_mse.ipynb": notebook(good(mse="while True:\n    pass"))}, 6),
    "e_os_exit": ({"02_mse.ipynb": notebook(good(grad="import os\nos._exit(0)"))}, 6),
    "e_kills_fork_server": ({"02_mse.ipynb": notebook(good(grad="import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nos._exit(0)"))}, 6),
    "e_terms_fork_server": ({"02_mse.ipynb": notebook(good(grad="import os, signal\nos.kill(os.getppid(), signal.SIGTERM)\nimport time\ntime.sleep(0.5)\nos._exit(0)"))}, 6),
    "f_sys_exit": ({"02_mse.ipynb": notebook(good(by_hand="import sys\nsys.exit()\nmse_by_hand = 400"))}, 8),
    "g_big_alloc": ({"02_mse.ipynb": notebook(good(by_hand="big = np.ones(50 * 10**9 // 8)\nmse_by_hand = 400"))}, 8),
    "h_print_lines": ({"02_mse.ipynb": notebook(GOOD, extra=[("02-setup", "for i in range(300_000):\n    print(i)")])}, 9),
    "i_print_line": ({"02_mse.ipynb": notebook(GOOD, extra=[("02-setup", "print('x' * 50_000_000)")])}, 9),
    "j_fork_bomb": ({"02_mse.ipynb": notebook(GOOD, extra=[("02-setup", "import os\nwhile True:\n    os.fork()")])}, 9),
    "k_invalid_json": ({"02_mse.ipynb": '{"cells": [ {"cell_type": "code", '}, 0),
    "l_pdf": ({"02_mse.ipynb": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"}, 0),
    "m_empty": ({"02_mse.ipynb": ""}, 0),
    "n_py_upload": ({"02_mse.py": "def mse(y_true, y_pred):\n    return 0\n"}, 0),
    "o_misnamed": ({"02-MSE (1).ipynb": notebook(GOOD)}, 0),
    "p_other_lesson": ({"02_mse.ipynb": (ROOT / "exercises" / "03_mae_and_outliers.ipynb").read_text(encoding="utf-8")}, 0),
    "q_no_checks": ({"02_mse.ipynb": notebook(GOOD, drop=CHECK_CELLS)}, 9),
    "r_no_answer": ({"02_mse.ipynb": notebook(GOOD, drop=[MSE])}, 6),
    "s_redefined_check": ({"02_mse.ipynb": notebook(WRONG, extra=[("02-setup", "def check(*args, **kwargs):\n    print('✅ Correct!')\n    return True")])}, 0),
    "t_forged_log": ({"02_mse.ipynb": notebook(WRONG, extra=[("02-rmse-check", FORGED)])}, 0),
    "u_patched_numpy": ({"02_mse.ipynb": notebook(WRONG, extra=[("02-setup", "np.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\nnp.array_equal = lambda *a, **k: True\nnp.testing.assert_allclose = lambda *a, **k: None")])}, 0),
    "v_patched_lessons_lib": ({"02_mse.ipynb": notebook(WRONG, extra=[("02-setup", "import lessons_lib.checks.diagnosis as d, lessons_lib.checks.engine as e\nd.diagnose_function = lambda *a, **k: e.passed()\nd.compare_value = lambda *a, **k: e.passed()\nd._close = lambda *a, **k: True\ne.evaluate = lambda *a, **k: e.passed()")])}, 0),
    "w_eq_always_true": ({"02_mse.ipynb": notebook(good(by_hand=EQ_ALWAYS, ratio="pass", mse="def mse(y_true, y_pred):\n    return Anything(0.0)"))}, 9 - 1 - 1 - 2 - 1),
    "x_calls_reference": ({"02_mse.ipynb": notebook(good(mse="from lessons_lib.losses import mse as reference\n\ndef mse(y_true, y_pred):\n    return reference(y_true, y_pred)"))}, 6),
    "y_perfect_flat_layout": (None, 9),
    "y_duplicate": ({"02_mse.ipynb": notebook(GOOD), "old/02_mse.ipynb": notebook()}, 9),
    "z_perfect_with_extra_lesson": ({"02_mse.ipynb": notebook(GOOD), "03_mae_and_outliers.ipynb": (ROOT / "solutions" / "03_mae_and_outliers.ipynb").read_text(encoding="utf-8")}, 9),
}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("class")
    subs, out = root / "submissions", root / "out"
    for student, (files, _) in CLASS.items():
        if files is None:
            subs.mkdir(exist_ok=True)
            (subs / f"{student}__02_mse.ipynb").write_text(notebook(GOOD), encoding="utf-8")
            continue
        for name, content in files.items():
            path = subs / student / name
            path.parent.mkdir(parents=True, exist_ok=True)
            (path.write_bytes if isinstance(content, bytes) else path.write_text)(content)
    limits = Limits(cell_timeout=4, memory_mb=1024, cpu_seconds=120)
    results = grade_course(subs, ROOT / "solutions", assignment=["02_mse"], limits=limits, jobs=2, out_dir=out)
    write_gradebook(results, out)
    return {"results": results, "out": out, "subs": subs, "limits": limits}


def student(graded, name):
    return graded["results"]["students"][name]


def items(graded, name):
    return {i["id"]: i for i in student(graded, name)["notebooks"]["02_mse"]["items"]}


def feedback(graded, name):
    return (graded["out"] / "feedback" / f"{name}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CLASS))
def test_every_student_gets_the_fair_total(graded, name):
    assert student(graded, name)["points"] == CLASS[name][1]
    assert student(graded, name)["max_points"] == sum(POINTS.values())


def test_item_points_of_normal_students(graded):
    assert {k: v["points"] for k, v in items(graded, "a_perfect").items()} == POINTS
    partial = items(graded, "b_partial")
    assert partial["mse"]["status"] == "failed" and partial["mse"]["misconception"] == "forgot_mean"
    assert partial["mse-hidden"]["status"] == "failed"
    assert all(i["status"] == "not_attempted" for i in items(graded, "c_stub").values())


def test_interrupted_and_crashed_cells_are_named(graded):
    assert items(graded, "d_while_true")["mse"]["status"] == "timeout"
    assert "timeout" in feedback(graded, "d_while_true").lower()
    crashed = items(graded, "e_os_exit")
    assert crashed["mse_grad"]["status"] == "crashed" and crashed["rmse"]["status"] == "passed"
    assert "crash" in feedback(graded, "e_os_exit")
    assert "SystemExit" in feedback(graded, "f_sys_exit")
    assert items(graded, "g_big_alloc")["mse_by_hand"]["status"] == "memory"
    assert [c["status"] for c in student(graded, "g_big_alloc")["notebooks"]["02_mse"]["cells"]] == ["memory"]
    assert "memory" in feedback(graded, "g_big_alloc")


def test_floods_are_capped_and_the_fork_bomb_is_held(graded):
    for name in ("h_print_lines", "i_print_line", "j_fork_bomb"):
        assert (graded["out"] / "feedback" / f"{name}.md").stat().st_size < 20_000
    notes = student(graded, "j_fork_bomb")["notebooks"]["02_mse"]["cells"]
    assert len(notes) == 1 and notes[0]["status"] in ("timeout", "error")  # stopped, or fork() refused


@pytest.mark.parametrize("name, status", [("k_invalid_json", "invalid_json"), ("l_pdf", "not_a_notebook"),
                                          ("m_empty", "empty"), ("p_other_lesson", "wrong_notebook")])
def test_unreadable_and_wrong_files_have_a_status(graded, name, status):
    assert student(graded, name)["notebooks"]["02_mse"]["status"] == status
    row = {r["student"]: r for r in csv.DictReader(open(graded["out"] / "gradebook.csv", encoding="utf-8"))}[name]
    assert status.replace("_", " ") in row["status"]


def test_other_lesson_is_recognised(graded):
    assert "03_mae_and_outliers" in feedback(graded, "p_other_lesson")


def test_ignored_files_are_reported(graded):
    for name, fragment in [("n_py_upload", "02_mse.py"), ("o_misnamed", "02-MSE (1).ipynb"),
                           ("z_perfect_with_extra_lesson", "03_mae_and_outliers.ipynb"),
                           ("y_duplicate", "old/02_mse.ipynb")]:
        ignored = student(graded, name)["ignored_files"]
        assert any(fragment in msg for msg in ignored), ignored
        assert fragment in feedback(graded, name)
    assert "duplicate" in feedback(graded, "y_duplicate")
    assert "rename" in feedback(graded, "o_misnamed") and "not part of this assignment" in feedback(
        graded, "z_perfect_with_extra_lesson")


def test_deleted_cells_and_forgery_change_nothing(graded):
    assert items(graded, "r_no_answer")["mse"]["status"] == "missing_answer"
    for name in ("s_redefined_check", "t_forged_log", "u_patched_numpy", "v_patched_lessons_lib"):
        assert all(i["status"] in ("failed", "error") for i in items(graded, name).values()), name


def test_always_equal_objects_and_reference_calls_get_no_credit(graded):
    assert items(graded, "w_eq_always_true")["mse"]["status"] == "failed"
    ref = items(graded, "x_calls_reference")
    assert ref["mse"]["status"] == "reference_used" and ref["mse-hidden"]["points"] == 0


def test_assignment_scopes_columns_and_feedback(graded):
    rows = list(csv.reader(open(graded["out"] / "gradebook.csv", encoding="utf-8")))
    assert all(col.startswith("02_mse") for col in rows[0][2:-2])
    assert graded["results"]["assignment"] == ["02_mse"]
    text = feedback(graded, "a_perfect")
    assert "03_mae" not in text and "9 / 9" in text


def test_hidden_test_feedback_shows_no_code(graded):
    for name in CLASS:
        text = feedback(graded, name)
        assert "assert" not in text and "rng" not in text and "accepted a (4,)" not in text


def test_gradebook_files_are_complete_and_atomic(graded):
    out = graded["out"]
    assert json.loads((out / "grades.json").read_text())["complete"] is True
    assert not [p for p in out.rglob(".*") if p.is_file()]
    assert (out / "histogram.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = (out / "class_report.md").read_text()
    assert "| mse |" in report and "forgot_mean (1)" in report


def test_resume_reuses_unchanged_notebooks(graded, monkeypatch, tmp_path):
    def fail(*args, **kwargs):
        raise AssertionError("an unchanged notebook was graded again")

    monkeypatch.setattr(batch, "grade_submission", fail)
    again = grade_course(graded["subs"], ROOT / "solutions", assignment=["02_mse"], limits=graded["limits"],
                         out_dir=graded["out"], resume=True)
    assert {s: e["points"] for s, e in again["students"].items()} == {s: t for s, (_, t) in CLASS.items()}


def test_every_solution_notebook_earns_full_marks(tmp_path):
    """The solutions, submitted as homework, score every point: plans, checks and hidden tests fit together."""
    solutions = sorted((ROOT / "solutions").glob("*.ipynb"))
    for path in solutions:
        (tmp_path / "teacher").mkdir(exist_ok=True)
        (tmp_path / "teacher" / path.name).write_bytes(path.read_bytes())
    results = grade_course(tmp_path, ROOT / "solutions", limits=Limits(cell_timeout=30), jobs=2)
    assert len(results["assignment"]) == len(solutions) == 12   # lessons 01-12
    for stem, report in results["students"]["teacher"]["notebooks"].items():
        lost = [(i["id"], i["status"], i["message"]) for i in report["items"] if i["points"] != i["max_points"]]
        assert not lost and report["cells"] == [], (stem, lost, report["cells"])
        assert report["max_points"] > 0


def test_ctrl_c_leaves_a_valid_gradebook(tmp_path):
    subs, out = tmp_path / "subs", tmp_path / "out"
    for name in ("ann", "ben", "cat"):
        (subs / name).mkdir(parents=True)
        (subs / name / "02_mse.ipynb").write_text(notebook(GOOD), encoding="utf-8")

    def interrupt(done, total, text):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        grade_course(subs, ROOT / "solutions", assignment=["02_mse"], limits=Limits(cell_timeout=20), jobs=1,
                     out_dir=out, progress=interrupt)
    saved = json.loads((out / "grades.json").read_text(encoding="utf-8"))
    assert saved["interrupted"] is True and saved["complete"] is False
    graded = [s for s, e in saved["students"].items() if e["notebooks"]["02_mse"]["submitted"]]
    assert graded == ["ann"] and saved["students"]["ann"]["points"] == 9
    assert [p.name for p in out.iterdir()] == ["grades.json"]


def test_command_line_resumes_and_summarises(graded, capsys):
    from lessons_lib.grade import main

    code = main([str(graded["subs"]), "--assignment", "02_mse", "--solutions", str(ROOT / "solutions"),
                 "--out", str(graded["out"]), "--resume", "-q", "--timeout", "4", "--memory", "1024"])
    out = capsys.readouterr().out
    assert code == 0 and "a_perfect" in out and "e_os_exit" in out and "crashed" in out
    assert main([str(graded["subs"]), "--assignment", "99_nope", "--solutions", str(ROOT / "solutions")]) == 2
