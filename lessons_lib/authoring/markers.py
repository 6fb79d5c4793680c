"""Solution -> exercise: the BEGIN/END markers and the generator of the student notebooks.

``### BEGIN SOLUTION`` / ``### END SOLUTION`` around answer lines: in a code cell the region becomes
``raise NotImplementedError(...)`` at the indentation of the BEGIN line, in a markdown cell
``YOUR ANSWER HERE``. ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS`` regions are removed; a
cell left empty, or holding only a docstring, is dropped. Cells tagged ``instructor`` are removed.
The grader's hidden tests are data in ``solutions/hidden_tests/``, never in a notebook.
"""
import ast
import copy
import re
from pathlib import Path

KERNEL_NAME = "python3"
INSTRUCTOR_TAG = "instructor"
MARKDOWN_STUB = "YOUR ANSWER HERE"
EXERCISE_CELL_METADATA_KEPT = ("tags", "exercise", "nbgrader", "deletable", "editable")

_CHECK_CELL = re.compile(r"^\s*(\w+\s*=\s*)?check\(")
_MARKER = re.compile(r"^\s*#{1,3}\s*(BEGIN|END) (SOLUTION|HIDDEN TESTS)\s*$")
_DEFAULT_KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python 3 (ipykernel)", "language": "python"}


class MarkerError(ValueError):
    """A solution notebook has unbalanced or nested BEGIN/END markers."""


# --------------------------------------------------------------------------- marker regions
def _marker(line):
    """('BEGIN'|'END', 'SOLUTION'|'HIDDEN TESTS') for a marker line, else None."""
    m = _MARKER.match(line)
    return (m.group(1), m.group(2)) if m else None


def has_region(source, kind):
    """True when ``source`` contains a ``### BEGIN <kind>`` line (kind: SOLUTION or HIDDEN TESTS)."""
    return any(_marker(line) == ("BEGIN", kind) for line in source.splitlines())


def replace_regions(source, kind, stub_lines=(), where="cell"):
    """Replace every BEGIN/END ``kind`` region of ``source`` by ``stub_lines``.

    Stub lines are indented like the BEGIN line.  Raises ``MarkerError`` (naming ``where``) for a
    nested BEGIN, an END without BEGIN, or a BEGIN without END.
    """
    out, inside, begin_line = [], False, None
    for number, line in enumerate(source.splitlines(), start=1):
        mark = _marker(line)
        if mark == ("BEGIN", kind):
            if inside:
                raise MarkerError(f"{where}: nested '### BEGIN {kind}' on line {number}; "
                                  f"close the region on line {begin_line} with '### END {kind}' first.")
            inside, begin_line = True, number
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + stub for stub in stub_lines)
        elif mark == ("END", kind):
            if not inside:
                raise MarkerError(f"{where}: '### END {kind}' on line {number} has no matching "
                                  f"'### BEGIN {kind}' above it.")
            inside = False
        elif not inside:
            out.append(line)
    if inside:
        raise MarkerError(f"{where}: '### BEGIN {kind}' on line {begin_line} is never closed; "
                          f"add a '### END {kind}' line after the solution.")
    return "\n".join(out)


def code_stub(exercise_id=None):
    """The line that replaces a code solution region."""
    if exercise_id:
        return f'raise NotImplementedError("Your turn: write this part. Stuck? Run hint(\\"{exercise_id}\\")")'
    return 'raise NotImplementedError("Your turn: write this part.")'


def is_instructor_cell(cell):
    return INSTRUCTOR_TAG in cell.get("metadata", {}).get("tags", [])


def is_answer_cell(cell):
    """An answer cell holds a SOLUTION region (the grader swaps in the student's cell of the same id)."""
    return has_region(cell.get("source", ""), "SOLUTION")


# --------------------------------------------------------------------------- exercise generator
def _keep(mapping, keys):
    return {k: copy.deepcopy(mapping[k]) for k in keys if k in mapping}


def student_cell(cell, where="cell"):
    """The student version of one solution cell, or None when nothing is left of it."""
    if is_instructor_cell(cell):
        return None
    new = copy.deepcopy(cell)
    where = f"{where} (id {cell.get('id', '?')})"
    source = replace_regions(cell.source, "HIDDEN TESTS", where=where)
    if cell.cell_type == "code":
        stub = code_stub(cell.metadata.get("exercise"))
        source = replace_regions(source, "SOLUTION", [stub], where=where)
        new.outputs, new.execution_count = [], None
    else:
        source = replace_regions(source, "SOLUTION", [MARKDOWN_STUB], where=where)
    if not source.strip() or (cell.cell_type == "code" and _only_docstring(source)):
        return None  # nothing left for the learner (e.g. a test cell whose body was hidden)
    new.source = source
    new.metadata = _keep(cell.metadata, EXERCISE_CELL_METADATA_KEPT)
    if cell.cell_type == "code":
        tags = [t for t in new.metadata.get("tags", []) if t != INSTRUCTOR_TAG]
        # Exercises are stored without outputs, so nbval only checks that they run. A top-level stub
        # and an nbgrader test cell (its visible asserts call the learner's stub) raise by design.
        tags.append("nbval-ignore-output")
        grader_test = (cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution")
                       and not _CHECK_CELL.match(source))  # a check cell never raises for the learner
        if grader_test or any(line.startswith("raise NotImplementedError") for line in source.splitlines()):
            tags.append("raises-exception")
        new.metadata["tags"] = sorted(set(tags))
    elif "tags" in new.metadata:
        new.metadata["tags"] = [t for t in new.metadata["tags"] if t != INSTRUCTOR_TAG]
        if not new.metadata["tags"]:
            del new.metadata["tags"]
    if "attachments" in new and not new.attachments:
        del new["attachments"]
    return new


def _only_docstring(source):
    """True when a code cell holds nothing but a string literal (a docstring with nothing to run)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return False
    return len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str)


def require_cell_ids(nb, where):
    """Raise a ValueError unless every cell has an id (the grader matches cells by id)."""
    missing = [i for i, c in enumerate(nb.cells) if not c.get("id")]
    if missing:
        raise ValueError(f"{where}: cells {missing} have no id; save the notebook with nbformat >= 4.5 "
                         "(nbformat.v4.new_*_cell gives ids) so the grader can match cells.")


def make_exercise(solution_nb, where="notebook"):
    """Student notebook (a new NotebookNode) generated from a solution notebook."""
    import nbformat

    require_cell_ids(solution_nb, where)
    nb = nbformat.v4.new_notebook()
    nb.nbformat, nb.nbformat_minor = 4, 5
    nb.metadata = _keep(solution_nb.metadata, ("kernelspec",))
    nb.metadata.setdefault("kernelspec", dict(_DEFAULT_KERNELSPEC))
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(solution_nb.cells):
        new = student_cell(cell, where=f"{where}, cell {i}")
        if new is not None:
            nb.cells.append(new)
    return nb


def _render(nb):
    import nbformat

    return nbformat.writes(nb) + "\n"


def exercise_pairs(root="."):
    """(solution path, exercise path) for every ``solutions/*.ipynb`` under ``root``."""
    root = Path(root)
    return [(p, root / "exercises" / p.name) for p in sorted((root / "solutions").glob("*.ipynb"))]


def expected_exercise_text(solution_path):
    """The exact text ``exercises`` writes for one solution notebook."""
    import nbformat

    nb = nbformat.read(solution_path, as_version=4)
    return _render(make_exercise(nb, where=str(solution_path)))


def generate_exercises(root="."):
    """Write ``exercises/NN_x.ipynb`` for every ``solutions/NN_x.ipynb``; returns the paths written."""
    written = []
    for solution, exercise in exercise_pairs(root):
        exercise.parent.mkdir(parents=True, exist_ok=True)
        text = expected_exercise_text(solution)
        if not exercise.exists() or exercise.read_text(encoding="utf-8") != text:
            exercise.write_text(text, encoding="utf-8")
            written.append(exercise)
    return written


def stale_exercises(root="."):
    """Problems that make ``exercises/`` differ from what the generator gives (empty when in sync)."""
    root = Path(root)
    problems = []
    pairs = exercise_pairs(root)
    for solution, exercise in pairs:
        if not exercise.exists():
            problems.append(f"{exercise}: missing (generated from {solution})")
        elif exercise.read_text(encoding="utf-8") != expected_exercise_text(solution):
            problems.append(f"{exercise}: out of date with {solution}")
    expected = {e.name for _, e in pairs}
    for extra in sorted((root / "exercises").glob("*.ipynb")):
        if extra.name not in expected:
            problems.append(f"{extra}: has no solutions/{extra.name} (exercises are generated, delete it)")
    return problems

