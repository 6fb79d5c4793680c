"""Running a solution or exercise notebook and collecting its check verdicts (for the two verdict tests).

Every solution and exercise notebook runs top to bottom; every check in a solution passes and every
check in its untouched exercise copy says "not attempted". The verdict tests are the one place these notebooks are executed (they store no outputs, so nbval would only repeat
the run): each runs in a fresh kernel with ``LESSONS_GRADE_LOG`` set, a cell error fails the test
(cells tagged ``raises-exception`` may raise), and every ``check(...)`` call records its verdict, which
is asserted.
"""
import json
import re
from pathlib import Path

import nbformat
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
