"""The grader's worker on its own: output floods, and a solution that loses points (exit status 1)."""
import json

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from lessons_lib import grade, grade_worker

LIMITS = {"timeout": 8, "total_timeout": 60, "memory": 1200}


def test_output_flood_is_capped_but_errors_are_kept():
    nb = new_notebook(cells=[new_code_cell("for _ in range(50):\n    print('x' * 100_000)"),
                             new_code_cell("print('y' * 300_000); 1 / 0")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    executed, records, status = grade_worker.execute_in_worker(nb, LIMITS)
    assert status["problem"] is None and records == []
    flood, last = executed.cells
    assert len(json.dumps(flood.outputs)) < 2 * grade_worker.MAX_CELL_OUTPUT
    assert "dropped the rest" in flood.outputs[-1]["text"]
    assert [o["output_type"] for o in last.outputs] == ["stream", "error"]  # the notice, then the error
    assert last.outputs[-1]["ename"] == "ZeroDivisionError"


def test_a_solution_that_loses_points_makes_the_run_exit_1(tmp_path, capsys):
    sol = new_notebook(cells=[
        new_code_cell("from lessons_lib.checks import check\nfrom lessons_lib.checks.core import register\n\n"
                      "@register('grade_broken', title='broken', points=1)\ndef _c(x):\n    return x == 1"),
        new_code_cell("answer = None\n### BEGIN SOLUTION\nanswer = 2\n### END SOLUTION",
                      metadata={"exercise": "grade_broken"}),
        new_code_cell("check('grade_broken', answer)")])
    sol.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    (tmp_path / "solutions").mkdir()
    nbformat.write(sol, tmp_path / "solutions" / "01_broken.ipynb")
    (tmp_path / "subs" / "amy").mkdir(parents=True)
    (tmp_path / "subs" / "amy" / "01_broken.ipynb").write_text("", encoding="utf-8")
    code = grade.main([str(tmp_path / "subs"), "--solutions", str(tmp_path / "solutions"),
                       "--out", str(tmp_path / "out"), "--timeout", "8", "--memory", "1200", "-q"])
    err = capsys.readouterr().err
    assert code == 1
    assert "01_broken: the solution itself scores 0/1 on grade_broken" in err
    assert (tmp_path / "out" / "gradebook.csv").exists()
