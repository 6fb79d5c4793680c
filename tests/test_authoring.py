"""Tests of the exercise generator, the exercises/ sync, and the hygiene of the executed lessons."""
import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from lessons_lib import authoring
from lessons_lib.authoring import MarkerError, make_exercise

ROOT = Path(__file__).resolve().parents[1]
STUB_ID = 'raise NotImplementedError("Your turn: write this part. Stuck? Run hint(\\"{}\\")")'


def notebook(*cells):
    nb = new_notebook()
    nb.cells = list(cells)
    return nb


def sources(nb):
    return [c.source for c in nb.cells]


# --------------------------------------------------------------------------- sync with solutions/
def test_exercises_are_exactly_the_generated_copies_of_solutions():
    problems = authoring.stale_exercises(ROOT)
    assert not problems, "exercises/ is stale; run `make exercises`:\n" + "\n".join(problems)


def test_every_solution_has_an_exercise_and_no_extra_exercise_exists():
    solutions = {p.name for p in (ROOT / "solutions").glob("*.ipynb")}
    exercises = {p.name for p in (ROOT / "exercises").glob("*.ipynb")}
    assert solutions == exercises


def test_stale_exercises_reports_missing_outdated_and_extra_files(tmp_path):
    (tmp_path / "solutions").mkdir()
    (tmp_path / "exercises").mkdir()
    for name in ("01_a.ipynb", "02_b.ipynb"):
        nbformat.write(notebook(new_code_cell("x = 1\n### BEGIN SOLUTION\nx = 2\n### END SOLUTION")),
                       tmp_path / "solutions" / name)
    assert len(authoring.stale_exercises(tmp_path)) == 2        # both missing
    assert len(authoring.generate_exercises(tmp_path)) == 2
    assert authoring.stale_exercises(tmp_path) == []
    assert authoring.generate_exercises(tmp_path) == []         # re-run: nothing to rewrite
    (tmp_path / "exercises" / "03_c.ipynb").write_text("{}")
    (tmp_path / "exercises" / "01_a.ipynb").write_text("{}")
    problems = authoring.stale_exercises(tmp_path)
    assert len(problems) == 2
    assert any("01_a" in p and "out of date" in p for p in problems)
    assert any("03_c" in p and "no solutions" in p for p in problems)
    assert authoring.main(["check-exercises", "--root", str(tmp_path)]) == 1


def test_generated_text_is_byte_identical_on_rerun_and_ends_with_newline(tmp_path):
    path = tmp_path / "s.ipynb"
    nbformat.write(notebook(new_markdown_cell("# T"), new_code_cell("### BEGIN SOLUTION\na = 1\n### END SOLUTION")),
                   path)
    first, second = authoring.expected_exercise_text(path), authoring.expected_exercise_text(path)
    assert first == second and first.endswith("}\n")


# --------------------------------------------------------------------------- generator units
def test_solution_region_becomes_stub_with_the_begin_line_indentation():
    cell = new_code_cell("def f(x):\n    '''Doc.'''\n    ### BEGIN SOLUTION\n    y = x + 1\n"
                         "    return y\n    ### END SOLUTION\n\nz = 3",
                         metadata={"exercise": "mse_basic"})
    out = make_exercise(notebook(cell)).cells[0]
    assert out.source == "def f(x):\n    '''Doc.'''\n    " + STUB_ID.format("mse_basic") + "\n\nz = 3"
    assert out.metadata["exercise"] == "mse_basic"
    assert out.id == cell.id
    # defining f does not raise, so the cell is not marked as raising
    assert "raises-exception" not in out.metadata["tags"]


def test_top_level_stub_without_exercise_id_and_raises_tag():
    cell = new_code_cell("y_hat = None\n### BEGIN SOLUTION\ny_hat = X @ w\n### END SOLUTION")
    out = make_exercise(notebook(cell)).cells[0]
    assert out.source == 'y_hat = None\nraise NotImplementedError("Your turn: write this part.")'
    assert "raises-exception" in out.metadata["tags"]


def test_every_region_of_a_cell_is_replaced():
    cell = new_code_cell("### BEGIN SOLUTION\na = 1\n### END SOLUTION\nb = 2\n  ### BEGIN SOLUTION\n  c\n  ### END SOLUTION")
    out = make_exercise(notebook(cell)).cells[0].source.splitlines()
    assert out == ['raise NotImplementedError("Your turn: write this part.")', "b = 2",
                   '  raise NotImplementedError("Your turn: write this part.")']


def test_markdown_solution_region_becomes_your_answer_here():
    cell = new_markdown_cell("Why does MAE ignore outliers?\n\n### BEGIN SOLUTION\nIt grows linearly.\n### END SOLUTION")
    out = make_exercise(notebook(cell)).cells[0]
    assert out.source == "Why does MAE ignore outliers?\n\nYOUR ANSWER HERE"


def test_hidden_tests_are_removed_and_the_visible_part_kept():
    kept = new_code_cell('"""Checks f."""\nassert f(0) == 1\n### BEGIN HIDDEN TESTS\nassert f(2) == 3\n### END HIDDEN TESTS',
                         metadata={"nbgrader": {"grade": True, "grade_id": "t1", "points": 2}})
    dropped = new_code_cell("### BEGIN HIDDEN TESTS\nassert f(5) == 6\n### END HIDDEN TESTS")
    nb = make_exercise(notebook(kept, dropped, new_code_cell("print(1)")))
    assert sources(nb) == ['"""Checks f."""\nassert f(0) == 1', "print(1)"]
    assert nb.cells[0].metadata["nbgrader"]["points"] == 2
    # its visible asserts call the learner's stub, so on a blank exercise notebook it raises by design
    assert nb.cells[0].metadata["tags"] == ["nbval-ignore-output", "raises-exception"]


def test_instructor_cells_outputs_and_private_metadata_are_removed():
    note = new_markdown_cell("Takes 10 minutes.", metadata={"tags": ["instructor"]})
    code = new_code_cell("print('hi')", metadata={"tags": ["instructor"]})
    kept = new_code_cell("x = 1", metadata={"collapsed": True, "execution": {"iopub.status.busy": "2024-01-01T00:00:00Z"}, "rubric": "secret"})
    kept.outputs = [nbformat.v4.new_output("stream", text="hi\n")]
    kept.execution_count = 7
    nb = make_exercise(notebook(note, code, kept))
    assert len(nb.cells) == 1
    cell = nb.cells[0]
    assert cell.outputs == [] and cell.execution_count is None
    assert set(cell.metadata) == {"tags"}
    assert cell.metadata["tags"] == ["nbval-ignore-output"]
    nbformat.validate(nb)


@pytest.mark.parametrize("source, needle", [
    ("### BEGIN SOLUTION\nx = 1", "never closed"),
    ("x = 1\n### END SOLUTION", "no matching"),
    ("### BEGIN SOLUTION\n### BEGIN SOLUTION\n### END SOLUTION", "nested"),
    ("### BEGIN HIDDEN TESTS\nassert 1", "never closed"),
])
def test_unbalanced_markers_raise_a_clear_error(source, needle):
    cell = new_code_cell(source)
    with pytest.raises(MarkerError, match=needle) as info:
        make_exercise(notebook(new_code_cell("ok = 1"), cell), where="solutions/09_x.ipynb")
    assert "solutions/09_x.ipynb, cell 1" in str(info.value) and cell.id in str(info.value)


def test_cells_without_ids_are_rejected():
    nb = notebook(new_code_cell("x = 1"))
    del nb.cells[0]["id"]
    with pytest.raises(ValueError, match="no id"):
        make_exercise(nb)


def test_slide_types():
    md = new_markdown_cell
    assert authoring.slide_type(md("# 02 · MSE")) == "slide"
    assert authoring.slide_type(md("\n## Formula")) == "slide"
    assert authoring.slide_type(md("### Detail")) == "subslide"
    assert authoring.slide_type(md("#### Small")) == "-"
    assert authoring.slide_type(md("## Notes", metadata={"tags": ["instructor"]})) == "skip"
    assert authoring.slide_type(new_code_cell("x", metadata={"tags": ["skip-slides"]})) == "skip"
    assert authoring.slide_type(new_code_cell("# comment")) == "-"


# --------------------------------------------------------------------------- executed lessons
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_is_executed_clean_and_has_slide_metadata(path):
    nb = nbformat.read(path, as_version=4)
    assert "widgets" not in nb.metadata, "widget state stored; run `make notebooks`"
    for i, cell in enumerate(nb.cells):
        where = f"{path.name} cell {i} (id {cell.get('id')})"
        assert "slide_type" in cell.metadata.get("slideshow", {}), f"{where}: no slide metadata"
        assert "execution" not in cell.metadata, f"{where}: execution timing metadata stored"
        if cell.cell_type == "code" and "raises-exception" not in cell.metadata.get("tags", []):
            errors = [o for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"{where}: stored error output {errors[0].ename}"


def test_execute_stores_outputs_normalises_and_names_a_failing_cell(tmp_path):
    good = notebook(new_markdown_cell("# 01 · T"),
                    new_code_cell("import os\nprint(os.environ['LESSONS_STATIC'], os.getcwd() == %r)" % str(tmp_path)),
                    new_code_cell("1 / 0", metadata={"tags": ["raises-exception"]}))
    good.metadata["widgets"] = {"state": {}}
    nbformat.write(good, tmp_path / "good.ipynb")
    assert authoring.main(["execute", str(tmp_path / "good.ipynb")]) == 0
    text = (tmp_path / "good.ipynb").read_text()
    nb = nbformat.reads(text, as_version=4)
    assert nb.cells[1].outputs[0].text == "1 True\n"
    assert [c.metadata["slideshow"]["slide_type"] for c in nb.cells] == ["slide", "-", "-"]
    assert set(nb.metadata) == {"kernelspec", "language_info"} and nb.metadata.language_info["name"] == "python"
    assert {"version", "mimetype", "pygments_lexer"} <= set(nb.metadata.language_info)  # all the kernel says
    assert [c.execution_count for c in nb.cells[1:]] == [1, 2]
    assert authoring.main(["execute", str(tmp_path / "good.ipynb")]) == 0
    assert (tmp_path / "good.ipynb").read_text() == text       # re-running changes nothing

    bad = notebook(new_code_cell("x = 1"), new_code_cell("undefined_name"))
    nbformat.write(bad, tmp_path / "bad.ipynb")
    before = (tmp_path / "bad.ipynb").read_text()
    with pytest.raises(RuntimeError, match=rf"bad.ipynb: cell 1 \(id {bad.cells[1].id}\) failed: NameError"):
        authoring.execute_notebook(tmp_path / "bad.ipynb")
    assert (tmp_path / "bad.ipynb").read_text() == before      # a failed run leaves the file alone


def test_split_stream_outputs_are_merged_so_reruns_are_identical(tmp_path):
    # how a kernel cuts printed text into stream messages depends on timing; normalise merges them
    nb = notebook(new_code_cell("import sys, time\nprint('a'); sys.stdout.flush(); time.sleep(0.3)\nprint('b')"))
    nbformat.write(nb, tmp_path / "streams.ipynb")
    assert authoring.main(["execute", str(tmp_path / "streams.ipynb")]) == 0
    outputs = nbformat.read(tmp_path / "streams.ipynb", as_version=4).cells[0].outputs
    assert [(o.output_type, o.text) for o in outputs] == [("stream", "a\nb\n")]


def test_a_kernel_that_loses_the_port_race_is_started_again(tmp_path, monkeypatch):
    import nbclient

    real, calls = nbclient.NotebookClient.execute, []

    def flaky(self, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")
        return real(self, **kwargs)

    monkeypatch.setattr(nbclient.NotebookClient, "execute", flaky)
    nb = notebook(new_code_cell("print(6 * 7)"))
    authoring.run(nb, tmp_path)
    assert len(calls) == 2 and nb.cells[0].outputs[0].text == "42\n"

    def broken(self, **kwargs):
        raise RuntimeError("something else")

    monkeypatch.setattr(nbclient.NotebookClient, "execute", broken)
    with pytest.raises(RuntimeError, match="something else"):   # other failures are not retried
        authoring.run(nb, tmp_path)


def test_student_copies_hold_nothing_for_the_instructor_only():
    """No hidden-test cell, no cell holding only a docstring, no instructor cell in exercises/."""
    import ast

    for path in sorted((ROOT / "exercises").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            assert "Hidden tests" not in cell.source, (path.name, cell.id)
            assert "instructor" not in cell.metadata.get("tags", []), (path.name, cell.id)
            if cell.cell_type == "code":
                body = ast.parse(cell.source).body
                assert not (len(body) == 1 and isinstance(body[0], ast.Expr)
                            and isinstance(body[0].value, ast.Constant)), (path.name, cell.id)


def test_a_test_cell_reduced_to_its_docstring_is_dropped():
    cell = new_code_cell('"""Hidden tests for f."""\n### BEGIN HIDDEN TESTS\nassert f(1) == 2\n### END HIDDEN TESTS',
                         metadata={"nbgrader": {"grade": True, "grade_id": "t", "points": 1}})
    assert authoring.student_cell(cell) is None
    kept = new_code_cell('"""Docstring."""\nassert f(1) == 2')
    assert authoring.student_cell(kept) is not None


def _solution_lines():
    """Lines inside the SOLUTION regions of solutions/ (long enough to be specific) that appear
    nowhere outside those regions (statements and starter code may show some lines on purpose)."""
    lines, public = set(), []
    for path in sorted((ROOT / "solutions").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            public.append(authoring.replace_regions(cell.source, "SOLUTION"))
            inside = False
            for line in cell.source.splitlines():
                if "BEGIN SOLUTION" in line or "END SOLUTION" in line:
                    inside = "BEGIN" in line
                elif inside and len(line.strip()) > 30:
                    lines.add(line.strip())
    public = "\n".join(public)
    return {line for line in lines if line not in public}


def test_release_bundle_holds_no_solutions_hidden_tests_or_instructor_cells(tmp_path):
    from lessons_lib.authoring.release import build_release

    archive = build_release(ROOT, tmp_path / "release")
    bundle = tmp_path / "release"
    assert archive.is_file() and (bundle / "exercises" / "02_mse.ipynb").is_file()
    assert (bundle / "lessons_lib" / "losses.py").is_file() and (bundle / "notebooks" / "02_mse.ipynb").is_file()
    files = [p for p in bundle.rglob("*") if p.is_file()]
    assert not [p for p in files if {"solutions", "hidden_tests"} & set(p.relative_to(bundle).parts)]
    hidden_bodies = {line.strip() for path in (ROOT / "solutions" / "hidden_tests").glob("*.py")
                     for line in path.read_text().splitlines() if line.strip().startswith("assert")}
    lessons = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "notebooks").glob("*.ipynb"))
    secret = {line for line in _solution_lines() if json.dumps(line)[1:-1] not in lessons and line not in lessons}
    assert hidden_bodies and secret
    for path in files:
        text = path.read_text(encoding="utf-8", errors="ignore")
        assert not [line for line in hidden_bodies if line in text], path
        if path.suffix == ".ipynb":
            nb = nbformat.reads(text, as_version=4)
            assert not [c.id for c in nb.cells if "instructor" in c.metadata.get("tags", [])], path
            source = "\n".join(c.source for c in nb.cells)
            assert "BEGIN SOLUTION" not in source and "BEGIN HIDDEN TESTS" not in source, path
            assert not [line for line in secret if line in source], path
