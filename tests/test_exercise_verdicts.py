"""Every solution and exercise notebook runs top to bottom; every check in a solution passes and every
check in its untouched exercise copy says "not attempted".

This is the one place these notebooks are executed (they store no outputs, so nbval would only repeat
the run): each runs in a fresh kernel with ``LESSONS_GRADE_LOG`` set, a cell error fails the test
(cells tagged ``raises-exception`` may raise), and every ``check(...)`` call records its verdict, which
is asserted.
"""
import json
import re
from pathlib import Path

import nbformat
import pytest
from lessons_lib.authoring import kernel_env, run

ROOT = Path(__file__).resolve().parents[1]
STEMS = sorted(p.stem for p in (ROOT / "solutions").glob("[0-9][0-9]_*.ipynb"))
CHECK_CALL = re.compile(r"""^(?:\w+\s*=\s*)?check\(\s*["'](\w+)["']""", re.M)


def visible_check_ids(path):
    """Exercise ids of the check(...) calls a learner sees (hidden tests excluded), in order."""
    nb = nbformat.read(path, as_version=4)
    ids = []
    for cell in nb.cells:
        if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" not in cell.source:
            ids += CHECK_CALL.findall(cell.source)
    return ids


def verdicts(path, tmp_path):
    """Execute ``path`` in a fresh kernel and return the logged CheckResult dicts."""
    log = tmp_path / "verdicts.jsonl"
    nb = nbformat.read(path, as_version=4)
    run(nb, path.parent, timeout=120, env=kernel_env(LESSONS_GRADE_LOG=str(log)))
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []


@pytest.mark.parametrize("stem", STEMS)
def test_solution_checks_all_pass(stem, tmp_path):
    path = ROOT / "solutions" / f"{stem}.ipynb"
    results = verdicts(path, tmp_path)
    expected = visible_check_ids(path)
    assert expected, f"{stem} has no check(...) cell"
    # hidden tests may also probe a deliberately wrong answer, so ask only that each visible check passed
    passed = {r["exercise"] for r in results if r["passed"]}
    not_passed = [f"{r['exercise']}: {r['status']}: {r['message']}" for r in results
                  if r["exercise"] in set(expected) - passed]
    assert set(expected) <= passed, "\n".join(not_passed) or f"no verdict logged for {set(expected) - passed}"


@pytest.mark.parametrize("stem", STEMS)
def test_untouched_exercise_reports_not_attempted_everywhere(stem, tmp_path):
    path = ROOT / "exercises" / f"{stem}.ipynb"
    results = verdicts(path, tmp_path)
    assert [r["exercise"] for r in results] == visible_check_ids(path)
    wrong = [f"{r['exercise']}: {r['status']}: {r['message']}" for r in results if r["status"] != "not_attempted"]
    assert not wrong, "\n".join(wrong)
