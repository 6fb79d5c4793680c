"""Every check in a solution notebook passes (each solution runs once, here; see notebook_verdicts)."""
import pytest
from notebook_verdicts import ROOT, STEMS, verdicts, visible_check_ids


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
