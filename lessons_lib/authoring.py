"""Authoring tools: execute lessons reproducibly and generate student exercises from solutions.

Command line (run from the repository root)::

    python -m lessons_lib.authoring execute notebooks/02_mse.ipynb [...]   # run in place, normalise
    python -m lessons_lib.authoring exercises        # solutions/*.ipynb -> exercises/*.ipynb
    python -m lessons_lib.authoring check-exercises  # exit 1 and list stale files if out of sync

``solutions/`` is the single source of every exercise.  It uses nbgrader's markers, so the same
notebooks also work with nbgrader or otter-grader:

* ``### BEGIN SOLUTION`` / ``### END SOLUTION`` around answer lines.  In a code cell the region
  becomes ``raise NotImplementedError(...)`` at the indentation of the BEGIN line; in a markdown
  cell it becomes ``YOUR ANSWER HERE``.
* ``### BEGIN HIDDEN TESTS`` / ``### END HIDDEN TESTS`` around instructor-only asserts (removed;
  a cell left empty is dropped; ``lessons_lib.grade`` puts them back).
* cells tagged ``instructor`` are instructor notes (removed).
"""
import argparse
import copy
import os
import re
import sys
from pathlib import Path

import nbformat

KERNEL_NAME = "python3"
CELL_TIMEOUT = 120
INSTRUCTOR_TAG = "instructor"
SKIP_SLIDES_TAG = "skip-slides"
MARKDOWN_STUB = "YOUR ANSWER HERE"

# Metadata that survives normalisation / generation; everything else (timings, widget state,
# editor settings) changes between runs and is dropped. The kernel's full language_info is kept:
# JupyterLab writes it into an opened notebook, so a notebook storing less is marked changed and
# asks "Save changes?" when an untouched lesson is closed.
CELL_METADATA_KEPT = ("tags", "slideshow", "nbgrader", "exercise", "deletable", "editable")
NB_METADATA_KEPT = ("kernelspec", "language_info")
EXERCISE_CELL_METADATA_KEPT = ("tags", "exercise", "nbgrader", "deletable", "editable")

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
    if not source.strip():
        return None
    new.source = source
    new.metadata = _keep(cell.metadata, EXERCISE_CELL_METADATA_KEPT)
    if cell.cell_type == "code":
        tags = [t for t in new.metadata.get("tags", []) if t != INSTRUCTOR_TAG]
        # Exercises are stored without outputs, so nbval only checks that they run. A top-level stub
        # and an nbgrader test cell (its visible asserts call the learner's stub) raise by design.
        tags.append("nbval-ignore-output")
        grader_test = cell.metadata.get("nbgrader", {}).get("grade") and not cell.metadata["nbgrader"].get("solution")
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


def require_cell_ids(nb, where):
    """Raise a ValueError unless every cell has an id (the grader matches cells by id)."""
    missing = [i for i, c in enumerate(nb.cells) if not c.get("id")]
    if missing:
        raise ValueError(f"{where}: cells {missing} have no id; save the notebook with nbformat >= 4.5 "
                         "(nbformat.v4.new_*_cell gives ids) so the grader can match cells.")


def make_exercise(solution_nb, where="notebook"):
    """Student notebook (a new NotebookNode) generated from a solution notebook."""
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
    return nbformat.writes(nb) + "\n"


def exercise_pairs(root="."):
    """(solution path, exercise path) for every ``solutions/*.ipynb`` under ``root``."""
    root = Path(root)
    return [(p, root / "exercises" / p.name) for p in sorted((root / "solutions").glob("*.ipynb"))]


def expected_exercise_text(solution_path):
    """The exact text ``exercises`` writes for one solution notebook."""
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


# --------------------------------------------------------------------------- execution & slides
def slide_type(cell):
    """reveal.js slide type: '#'/'##' headings start a slide, '###' a subslide, instructor cells skip."""
    tags = cell.get("metadata", {}).get("tags", [])
    if INSTRUCTOR_TAG in tags or SKIP_SLIDES_TAG in tags:
        return "skip"
    if cell.cell_type == "markdown":
        first = cell.source.lstrip().split("\n", 1)[0]
        if first.startswith(("# ", "## ")):
            return "slide"
        if first.startswith("### "):
            return "subslide"
    return "-"


def normalise(nb):
    """Strip volatile metadata (timings, widget state, versions), merge split stream outputs (how
    a print is cut into chunks depends on timing) and set slide metadata, in place."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CoalesceStreamsPreprocessor

    clear = ClearMetadataPreprocessor(preserve_cell_metadata_mask=set(CELL_METADATA_KEPT),
                                      preserve_nb_metadata_mask=set(NB_METADATA_KEPT))
    clear.preprocess(nb, {})
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    if nb.metadata.get("kernelspec", {}).get("name", KERNEL_NAME) == KERNEL_NAME:
        nb.metadata["kernelspec"] = dict(_DEFAULT_KERNELSPEC)  # as the kernel (and JupyterLab) names it
    nb.metadata.setdefault("language_info", {"name": "python"})
    for cell in nb.cells:
        if cell.cell_type != "code":  # the preprocessor only cleans code cells
            cell.metadata = _keep(cell.metadata, CELL_METADATA_KEPT)
        cell.metadata["slideshow"] = {"slide_type": slide_type(cell)}
    return nb


def kernel_env(**extra):
    """Environment for a notebook kernel: static figures, inline matplotlib, one BLAS thread."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # let ipykernel pick the inline backend so figures are stored
    env.update({"LESSONS_STATIC": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    env.update(extra)
    return env


def _first_error(nb):
    for i, cell in enumerate(nb.cells):
        if "raises-exception" in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, cell, out
    return None


KERNEL_START_ATTEMPTS = 3


def kernel_lost_start_race(exc):
    """True when a kernel died before replying to its first message: it lost a race for a TCP port.

    jupyter_client picks free ports and the kernel binds them a moment later, so when several
    kernels start at once (parallel tests, the grader's jobs) one can find its port taken. Starting
    it again is the remedy; nothing of the notebook has run yet.
    """
    return isinstance(exc, RuntimeError) and "before replying to kernel_info" in str(exc)


def retry_lost_start_race(attempt):
    """Return ``attempt()``, calling it again (up to ``KERNEL_START_ATTEMPTS`` times in all) while it
    fails because its kernel lost the start-up race for a port; any other error is raised at once."""
    for number in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            return attempt()
        except RuntimeError as exc:
            if not kernel_lost_start_race(exc) or number == KERNEL_START_ATTEMPTS:
                raise


def run(nb, folder, timeout=CELL_TIMEOUT, env=None, **client_kwargs):
    """Execute ``nb`` in place in a fresh kernel whose working folder is ``folder``; returns the client.

    ``env`` defaults to ``kernel_env()``; a kernel that loses the start-up race for its ports is
    started again (``retry_lost_start_race``). Raises what nbclient raises.
    """
    from nbclient import NotebookClient

    def attempt():
        client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL_NAME,
                                resources={"metadata": {"path": str(Path(folder).resolve())}}, **client_kwargs)
        client.execute(env=kernel_env() if env is None else env)
        return client

    return retry_lost_start_race(attempt)


def execute_notebook(path, timeout=CELL_TIMEOUT):
    """Run ``path`` top to bottom in a fresh kernel (cwd = its folder), normalise, save in place.

    Raises ``RuntimeError`` naming the notebook and the cell when a cell fails; the file is then
    left untouched.
    """
    from nbclient.exceptions import CellExecutionError

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    try:
        run(nb, path.parent, timeout=timeout, record_timing=False)
    except CellExecutionError as exc:
        found = _first_error(nb)
        where = f"cell {found[0]} (id {found[1].get('id')})" if found else "a cell"
        raise RuntimeError(f"{path}: {where} failed: {exc.ename}: {exc.evalue}") from exc
    normalise(nb)
    nbformat.write(nb, path)
    return nb


# --------------------------------------------------------------------------- command line
def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lessons_lib.authoring", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("execute", help="execute notebooks in place and normalise them")
    run.add_argument("notebooks", nargs="+")
    run.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    for name, text in (("exercises", "regenerate exercises/ from solutions/"),
                       ("check-exercises", "fail if exercises/ is out of date")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--root", default=".", help="course root holding solutions/ and exercises/")
    args = parser.parse_args(argv)

    if args.command == "execute":
        failed = 0
        for nb_path in args.notebooks:
            try:
                execute_notebook(nb_path, timeout=args.timeout)
                print(f"executed {nb_path}")
            except (RuntimeError, OSError, ValueError) as exc:
                failed += 1
                print(f"ERROR {exc}", file=sys.stderr)
        return 1 if failed else 0
    try:
        if args.command == "exercises":
            for path in generate_exercises(args.root):
                print(f"wrote {path}")
            return 0
        problems = stale_exercises(args.root)
    except ValueError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("Run `make exercises` (python -m lessons_lib.authoring exercises) and commit the result.",
              file=sys.stderr)
        return 1
    print("exercises/ is in sync with solutions/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
