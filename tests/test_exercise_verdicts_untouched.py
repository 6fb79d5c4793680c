"""Every check in an untouched exercise notebook says "not attempted" (each exercise runs once, here).

A file of its own so that pytest-xdist runs it beside the solutions' verdicts, not after them."""
import pytest
from notebook_verdicts import ROOT, STEMS, verdicts, visible_check_ids


@pytest.mark.parametrize("stem", STEMS)
def test_untouched_exercise_reports_not_attempted_everywhere(stem, tmp_path):
    path = ROOT / "exercises" / f"{stem}.ipynb"
    results = verdicts(path, tmp_path)
    assert [r["exercise"] for r in results] == visible_check_ids(path)
    wrong = [f"{r['exercise']}: {r['status']}: {r['message']}" for r in results if r["status"] != "not_attempted"]
    assert not wrong, "\n".join(wrong)
