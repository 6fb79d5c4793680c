"""The check engine: statuses, time guard, error reporting, hints, the grade log and value helpers."""
import json
import threading

import numpy as np
import pytest

from lessons_lib import losses
from lessons_lib.checks import CheckResult, check, hint
from lessons_lib.checks import engine, registry
from lessons_lib.checks.diagnosis import (
    Misconception,
    compare_choice,
    compare_ranking,
    compare_value,
    diagnose_function,
)
from lessons_lib.checks.engine import guarded_call
from lessons_lib.checks.registry import register

PROBES = [{"y_true": np.array([1.0, 2.0, 3.0]), "y_pred": np.array([1.0, 2.0, 5.0])}]
FORGOT_MEAN = Misconception("forgot_mean", "It looks like you forgot to divide by n.",
                            lambda y, p: np.sum((y - p) ** 2))


@pytest.fixture
def demo():
    """A throw-away exercise 'demo_mse' (2 points, two hints), removed again afterwards."""
    @register("demo_mse", title="demo", points=2, hints=["first hint", "second hint"], timeout=0.5)
    def checker(submission):
        return diagnose_function(submission, losses.mse, PROBES, [FORGOT_MEAN])

    yield "demo_mse"
    registry._REGISTRY.pop("demo_mse", None)
    engine.reset_hints("demo_mse")


def test_correct_and_misconception(demo):
    ok = check(demo, lambda y, p: np.mean((y - p) ** 2), quiet=True)
    assert isinstance(ok, CheckResult) and ok.passed and ok.points == ok.max_points == 2
    bad = check(demo, lambda y, p: np.sum((y - p) ** 2), quiet=True)
    assert (bad.status, bad.misconception, bad.points) == ("failed", "forgot_mean", 0)
    # the message names the input and both numbers: sum 4, mean 4/3
    assert "y_true=[1, 2, 3]" in bad.message and "returned 4" in bad.message and "1.33333" in bad.message


def test_not_attempted_and_errors_are_reported_not_raised(demo):
    def stub(y_true, y_pred):
        raise NotImplementedError("replace this line with your code")

    result = check(demo, stub, quiet=True)
    assert result.status == "not_attempted" and "not attempted" in result.message and "hint(" in result.message

    result = check(demo, lambda y, p: y[10], quiet=True)
    assert result.status == "error" and "IndexError" in result.message and "y_pred=[1, 2, 5]" in result.message
    assert "Traceback" not in result.message


def test_infinite_loop_is_cut_off(demo):
    def forever(y_true, y_pred):
        while True:
            try:
                pass
            except Exception:  # a learner's catch-all must not swallow the time guard
                pass

    result = check(demo, forever, quiet=True)
    assert result.status == "timeout" and "0.5 s" in result.message and "y_true=[1, 2, 3]" in result.message
    assert check(demo, lambda y, p: np.mean((y - p) ** 2), quiet=True).passed  # the alarm is disarmed


def test_time_guard_outside_the_main_thread(demo):
    box = {}

    def forever(y_true, y_pred):
        while not box.get("stop"):
            pass

    def worker():
        box["result"] = check(demo, forever, quiet=True)

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(5)
    box["stop"] = True
    assert box["result"].status == "timeout"


def test_printing_and_display(demo, capsys):
    result = check(demo, lambda y, p: np.mean((y - p) ** 2))
    out = capsys.readouterr().out
    assert out.count("demo_mse") == 1 and "2/2 points" in out
    result._ipython_display_()  # already printed: a notebook must not show it twice
    assert capsys.readouterr().out == ""
    quiet = check(demo, lambda y, p: 0.0, quiet=True)
    assert capsys.readouterr().out == ""
    quiet._ipython_display_()
    assert "demo_mse" in capsys.readouterr().out


def test_grade_log(demo, tmp_path, monkeypatch):
    log = tmp_path / "grades.jsonl"
    monkeypatch.setenv("LESSONS_GRADE_LOG", str(log))
    check(demo, lambda y, p: np.mean((y - p) ** 2), quiet=True)
    check(demo, lambda y, p: np.sum((y - p) ** 2), quiet=True)
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["status"] for r in rows] == ["passed", "failed"]
    assert set(rows[0]) == {"exercise", "status", "passed", "points", "max_points", "message", "misconception"}
    assert rows[1]["misconception"] == "forgot_mean"


def test_hints_progress_then_repeat_the_last(demo, capsys):
    for _ in range(3):
        hint(demo)
    out = capsys.readouterr().out.splitlines()
    assert "1/2" in out[0] and "first hint" in out[0]
    assert "2/2" in out[1] and "second hint" in out[1] and "last hint" in out[2]
    engine.reset_hints(demo)
    hint(demo)
    assert "first hint" in capsys.readouterr().out


def test_unknown_ids_list_the_valid_ones(demo):
    with pytest.raises(ValueError, match="Did you mean 'demo_mse'.*Valid ids:.*mse_grad"):
        check("demo_mes", None)
    with pytest.raises(ValueError, match="Valid ids"):
        hint("nope")


def test_ids_are_course_wide(demo):
    def other(submission):
        return True

    other.__module__ = "somewhere.else"
    with pytest.raises(ValueError, match="already registered"):
        register("demo_mse", title="x")(other)
    with pytest.raises(ValueError, match="identifier"):
        register("not an id", title="x")


def test_bool_checker_and_every_registered_exercise_has_hints():
    @register("demo_bool", title="demo", points=3)
    def checker(submission):
        return submission == 42

    try:
        assert check("demo_bool", 42, quiet=True).points == 3
        assert check("demo_bool", 41, quiet=True).status == "failed"
    finally:
        registry._REGISTRY.pop("demo_bool")
    for ex in registry.list_exercises():
        if ex.module.endswith(("regression", "classification")):
            assert ex.hints and ex.title and ex.points > 0, ex.id


def test_guarded_call_translates_exceptions():
    with pytest.raises(engine.NotAttempted):
        guarded_call(lambda: (_ for _ in ()).throw(NotImplementedError()))
    with pytest.raises(engine.StudentError, match="ZeroDivisionError") as info:
        guarded_call(lambda: 1 / 0, where="x=0")
    assert info.value.where == "x=0"
    assert guarded_call(lambda a, b=1: a + b, 2, b=3) == 5


def test_value_helpers():
    wrong = [Misconception("forgot_square", "That is the error itself.", 20.0)]
    assert compare_value(400.0004, 400, wrong).passed                   # rounding is fine
    assert compare_value(20, 400, wrong).misconception == "forgot_square"
    assert not compare_value(float("inf"), 400).passed
    assert compare_value(lambda: 400, 400).passed                       # answers may be functions
    with pytest.raises(engine.NotAttempted):
        compare_value(..., 400)

    v = compare_choice("B", "b", {"a": "one", "b": "two"}, explanation="Because.")
    assert v.passed and "Because." in v.message
    v = compare_choice("a", "b", {"a": "one", "b": "two"}, explanation="Because.")
    assert not v.passed and "Because." in v.message
    assert "one letter" in compare_choice("z", "b", {"a": "one", "b": "two"}).message

    assert compare_ranking("b,a,c", ["B", "A", "C"]).passed
    assert not compare_ranking(3, ["a", "b"]).passed


def test_function_exercise_given_a_value():
    v = diagnose_function(400.0, losses.mse, PROBES)
    assert not v.passed and "Pass the function itself" in v.message


# --------------------------------------------------------------------------- the solution notebooks

SOLUTIONS = ["02_mse", "03_mae_and_outliers", "04_binary_cross_entropy", "05_categorical_cross_entropy"]


@pytest.mark.parametrize("stem", SOLUTIONS)
def test_every_check_in_the_solution_notebook_passes(stem, tmp_path, monkeypatch):
    """Run the notebook's code in-process and read the grade log: each exercise is checked and passes."""
    from pathlib import Path

    import nbformat

    path = Path(__file__).resolve().parent.parent / "solutions" / f"{stem}.ipynb"
    nb = nbformat.read(path, as_version=4)
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("LESSONS_GRADE_LOG", str(log))
    namespace = {"__name__": "__main__"}
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, "solution notebooks are stored without outputs"
            exec(compile(cell.source, f"{stem}:{cell.id}", "exec"), namespace)
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    exercise_ids = [c.metadata["exercise"] for c in nb.cells if "exercise" in c.metadata]
    assert 2 <= len(exercise_ids) and sorted(r["exercise"] for r in rows) == sorted(exercise_ids)
    assert all(r["passed"] for r in rows), [r for r in rows if not r["passed"]]
    assert any("nbgrader" in c.metadata for c in nb.cells)
    assert any("instructor" in c.metadata.get("tags", []) for c in nb.cells)


def test_every_topic_exercise_appears_in_a_solution_notebook():
    from pathlib import Path

    import nbformat

    root = Path(__file__).resolve().parent.parent / "solutions"
    used = {c.metadata["exercise"] for stem in SOLUTIONS
            for c in nbformat.read(root / f"{stem}.ipynb", as_version=4).cells if "exercise" in c.metadata}
    mine = {ex.id for ex in registry.list_exercises() if ex.module.endswith(("regression", "classification"))}
    assert mine == used
