"""Batch grader: run every student's notebooks against the hidden tests and write a gradebook.

    lessons-grade SUBMISSIONS_DIR [--solutions solutions] [--out gradebook]
                  [--timeout 60] [--total-timeout 600] [--memory 2048] [--jobs 2]

(also ``python -m lessons_lib.grade``).  Submissions are either one folder per student
(``alice/02_mse.ipynb``) or flat files (``alice__02_mse.ipynb``); a notebook counts when its name
matches a notebook in ``--solutions``.

For each submission the graded notebook is rebuilt from the solution notebook: instructor cells are
dropped, every answer cell (a cell with a ``### BEGIN SOLUTION`` region) is replaced by the student's
cell with the same id, code cells the student added are kept where they were, and everything else
(check cells, hidden tests) comes from the solution, so editing or deleting a check cell or a test
changes nothing.  The solutions run first (their results define the exercises and maximum points; a
solution that loses points is reported); then each student notebook runs in a fresh kernel in its
own temporary folder, in a worker process with a memory and CPU limit, a per-cell timeout (a cell
that runs too long is interrupted and the rest still run), a limit for the whole notebook and a cap
on stored output.

Scores: a ``check("id", ...)`` call writes its verdict to ``LESSONS_GRADE_LOG``; only verdicts written
while the solution's own check cell for that id runs count (the last one wins), so ``check`` calls
in hidden tests or lines a student writes to the log do not.  A hidden-test cell (nbgrader metadata
``grade: true, points: N``) scores N when it runs without error.

Output in ``--out``: ``gradebook.csv`` (a row per student, a column per notebook and per exercise,
total), ``grades.json`` (every detail) and ``feedback/<student>.md`` (a friendly report per student).
"""
import argparse
import ast
import copy
import csv
import json
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from .authoring import is_answer_cell, is_instructor_cell, student_cell
from .grade_worker import execute_in_worker

FLAT_SEPARATOR = "__"
_CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([A-Za-z_]\w*)["']""")
_ICONS = {"passed": "✅", "failed": "❌", "not_attempted": "⏳", "error": "⚠️", "timeout": "⏱️",
          "missing": "📭"}


# --------------------------------------------------------------------------- submissions
def find_submissions(submissions_dir, notebook_stems):
    """``({student: {stem: path}}, [(student or None, ignored-file message)])`` for both layouts.

    A student with several files for one notebook gets the least nested one (then the first by
    name); the others are reported as ignored.
    """
    root = Path(submissions_dir)
    if not root.is_dir():
        raise ValueError(f"SUBMISSIONS_DIR {str(root)!r} is not a folder; pass the folder holding one "
                         "sub-folder per student (alice/02_mse.ipynb) or files named alice__02_mse.ipynb.")
    found, ignored = {}, []
    expected = ", ".join(f"{stem}.ipynb" for stem in sorted(notebook_stems))

    def add(student, path):
        stem = path.stem.split(FLAT_SEPARATOR, 1)[1] if path.parent == root else path.stem
        where = path.relative_to(root).as_posix()
        if stem not in notebook_stems:
            ignored.append((student, f"{where} was not graded: its name matches no course notebook "
                                     f"(expected one of {expected})"))
        elif stem in found.setdefault(student, {}):
            ignored.append((student, f"{where} was not graded: {found[student][stem].relative_to(root).as_posix()} "
                                     "is graded for that notebook instead"))
        else:
            found[student][stem] = path

    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.setdefault(entry.name, {})
            paths = [p for p in entry.rglob("*.ipynb")
                     if ".ipynb_checkpoints" not in p.parts and not p.name.startswith(".")]
            for path in sorted(paths, key=lambda p: (len(p.parts), p.as_posix())):
                add(entry.name, path)
        elif entry.suffix == ".ipynb" and FLAT_SEPARATOR in entry.stem:
            add(entry.stem.split(FLAT_SEPARATOR, 1)[0], entry)
        else:
            ignored.append((None, f"{entry.name} was not graded: not a student folder or a "
                                  "student__notebook.ipynb file"))
    return found, ignored


def safe_name(student):
    """A file-name-safe version of a student name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._") or "student"


# --------------------------------------------------------------------------- building
def build_graded_notebook(solution_nb, student_nb):
    """The notebook to run: the solution with the student's answer cells (matched by cell id).

    Returns ``(notebook, missing_answer_ids)``.  A missing answer cell gets the exercise stub, so it
    counts as not attempted; code cells the student added follow the cell they followed.
    """
    sol_cells = [c for c in solution_nb.cells if not is_instructor_cell(c)]
    sol_ids = {c.get("id") for c in solution_nb.cells}
    student_by_id = {c.get("id"): c for c in student_nb.cells if c.get("id")}
    extras, anchor = {}, None
    for cell in student_nb.cells:
        if cell.get("id") in sol_ids:
            anchor = cell.get("id")
        elif cell.get("cell_type") == "code" and str(cell.get("source", "")).strip():
            extras.setdefault(anchor, []).append(cell)

    nb = copy.deepcopy(solution_nb)
    nb.cells, missing = [], []

    def take(cell):
        cell = copy.deepcopy(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        nb.cells.append(cell)

    for cell in extras.get(None, []):
        take(cell)
    for cell in sol_cells:
        if is_answer_cell(cell):
            mine = student_by_id.get(cell.id)
            if mine is None or mine.get("cell_type") != cell.cell_type:
                missing.append(cell.id)
                cell = student_cell(cell) or cell
            else:
                cell = copy.deepcopy(cell)
                cell.source = str(mine.get("source", ""))
        take(cell)
        for extra in extras.get(cell.id, []):
            take(extra)
    return nb, missing


def trusted_checks(nb, solution_nb):
    """``{cell index: exercise ids}`` for the solution's own check cells in the graded notebook ``nb``.

    Only verdicts logged while one of these cells runs count: not those of an answer cell, a cell
    the student added, or a hidden test (which may call ``check`` on a deliberately wrong answer).
    """
    sol = {c.get("id"): c for c in solution_nb.cells}
    trusted = {}
    for i, cell in enumerate(nb.cells):
        ref = sol.get(cell.get("id"))
        if (ref is None or ref.cell_type != "code" or is_answer_cell(ref) or is_instructor_cell(ref)
                or ref.get("metadata", {}).get("nbgrader", {}).get("grade")):
            continue
        ids = set(_CHECK_CALL.findall(ref.source))
        if ids:
            trusted[i] = ids
    return trusted


# --------------------------------------------------------------------------- running
def problem_text(status, limits, nb=None):
    """A sentence (no final period) explaining why a notebook did not run to the end, or None."""
    kind = status.get("problem")
    where = ""
    if nb is not None and status.get("running") is not None and status["running"] < len(nb.cells):
        first = nb.cells[status["running"]].source.strip().splitlines()[:1] or [""]
        where = f" while running the cell starting `{first[0][:60]}`"
    if kind is None:
        return None
    if kind == "total_timeout":
        return (f"the notebook was stopped{where} at the time limit of {limits['total_timeout']:g} s for the "
                "whole notebook")
    if kind == "kernel_died":
        memory = f"went over the memory limit of {limits['memory']:g} MB, " if limits.get("memory") else ""
        return (f"the Python kernel stopped{where}: the code {memory}crashed Python (e.g. os._exit), or "
                "could not be interrupted at the time limit")
    if kind == "stopped":
        return "the grader had to stop this notebook (it ran far past the time limit)"
    return f"the notebook could not be run ({status.get('detail') or 'no message'})"


# --------------------------------------------------------------------------- scoring
def _errors(cell):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def _error_text(cell, timeout):
    err = _errors(cell)[-1]
    if err.get("ename") == "KeyboardInterrupt":
        return f"it ran longer than {timeout:g} s and was stopped (is there a loop that never ends?)"
    if err.get("ename") == "NotImplementedError":
        return "an answer it needs is not written yet (the code still raises NotImplementedError)"
    value = " ".join(str(err.get("evalue", "")).split())[:300]
    return f"{err.get('ename')}: {value}" if value else str(err.get("ename"))


def _docstring(source):
    try:
        doc = ast.get_docstring(ast.parse(source))
    except SyntaxError:
        return ""
    return doc.strip().splitlines()[0] if doc else ""


def course_items(solution_nb, reference_records):
    """Scored items of one notebook, in order: check exercises, then hidden tests.

    Check exercises are the ids the solution's check cells pass to ``check``; their maximum points
    come from the solution's own run (``reference_records``: ``[(cell index, record)]``).
    """
    nb, _ = build_graded_notebook(solution_nb, solution_nb)
    max_points = {rec.get("exercise"): float(rec.get("max_points", 0)) for _, rec in reference_records}
    items, seen = [], set()
    for _, ids in sorted(trusted_checks(nb, solution_nb).items()):
        for exercise in sorted(ids - seen):
            seen.add(exercise)
            items.append({"id": exercise, "kind": "check", "max_points": max_points.get(exercise, 0.0)})
    for cell in solution_nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and not is_instructor_cell(cell):
            items.append({"id": meta.get("grade_id") or cell.id, "kind": "hidden", "cell_id": cell.id,
                          "max_points": float(meta.get("points", 0)), "what": _docstring(cell.source)})
    return items


def score_notebook(items, executed_nb, records, trusted, problem, missing, timeout, why_missing=None):
    """Per-item results (status, points, message) for one executed student notebook.

    ``records`` are ``[(cell index, record)]``; a record counts for exercise X only when it was
    written while a cell in ``trusted`` (``{cell index: ids}``, see ``trusted_checks``) naming X ran.
    """
    last = {}
    for index, rec in records:
        if rec.get("exercise") in trusted.get(index, ()):
            last[rec["exercise"]] = rec
    cells = executed_nb.cells if executed_nb is not None else []
    by_id = {c.get("id"): c for c in cells}
    deleted = {c.get("metadata", {}).get("exercise") for c in cells if c.get("id") in missing}
    results = []
    for item in items:
        res = {"id": item["id"], "kind": item["kind"], "max_points": item["max_points"], "points": 0.0,
               "misconception": None}
        if item["kind"] == "check":
            rec = last.get(item["id"])
            if item["id"] in deleted:
                res.update(status="not_attempted", message=why_missing or "the answer cell was deleted from "
                           "the notebook, so there was nothing to grade.")
            elif rec is not None:
                res.update(status=str(rec.get("status", "error")), message=str(rec.get("message", "")),
                           misconception=rec.get("misconception"),
                           points=max(0.0, min(float(rec.get("points", 0)), item["max_points"])))
            else:
                res.update(_why_no_check(item["id"], cells, problem, timeout))
        else:
            cell = by_id.get(item["cell_id"])
            what = f" ({item['what']})" if item.get("what") else ""
            if cell is None or (not cell.get("outputs") and cell.get("execution_count") is None):
                reason = " (the notebook stopped early, see the note above)" if problem else ""
                res.update(status="error", message=f"hidden test{what} did not run{reason}.")
            elif _errors(cell):
                res.update(status="failed", message=f"hidden test{what} failed: {_error_text(cell, timeout)}")
            else:
                res.update(status="passed", points=item["max_points"], message=f"hidden test{what} passed.")
        results.append(res)
    return results


def _why_no_check(exercise_id, cells, problem, timeout):
    """Explain an exercise whose check never reported (crash, timeout, stopped notebook)."""
    for cell in cells:
        if cell.get("metadata", {}).get("exercise") == exercise_id and _errors(cell):
            return {"status": "error", "message": f"your answer cell failed: {_error_text(cell, timeout)}"}
    for cell in cells:
        if exercise_id in _CHECK_CALL.findall(cell.get("source", "")) and _errors(cell):
            return {"status": "error", "message": f"the check could not run: {_error_text(cell, timeout)}"}
    if problem:
        return {"status": "error", "message": "the check never ran (the notebook stopped early, see the note above)."}
    return {"status": "not_attempted", "message": "the check for this exercise never ran."}


# --------------------------------------------------------------------------- one notebook
def _looks_like(student_nb, solutions, stem):
    """The other course notebook whose cell ids the student's file shares most, or None."""
    ids = {c.get("id") for c in student_nb.cells}
    best = max(((len(ids & {c.get("id") for c in nb.cells}), other) for other, nb in solutions.items()
                if other != stem), default=(0, None))
    return best[1] if best[0] else None


def grade_submission(solutions, stem, path, items, limits):
    """Build, run and score one student notebook (a report dict); never raises for a bad submission."""
    solution_nb = solutions[stem]
    report = {"file": str(path), "submitted": True, "notes": [], "extra_cell_errors": []}
    try:
        student_nb = nbformat.read(path, as_version=4)
        if not isinstance(student_nb.get("cells"), list):
            raise ValueError("it has no list of cells")
        nb, missing = build_graded_notebook(solution_nb, student_nb)
    except Exception as exc:  # corrupt JSON, empty file, wrong format: all become feedback
        first = " ".join(str(exc).split())[:200] or "empty file"
        report["status"] = "unreadable"
        report["notes"].append(f"Your file could not be opened as a Jupyter notebook ({type(exc).__name__}: "
                               f"{first}). Re-download it from Jupyter (File > Download) and submit again.")
        report["items"] = [_zero(i, "error", "the notebook file could not be read, so nothing in it could "
                                             "be graded.") for i in items]
        return _total(report)
    answer_ids = [c.id for c in solution_nb.cells if is_answer_cell(c) and not is_instructor_cell(c)]
    why_missing = None
    if answer_ids and len(missing) == len(answer_ids):
        other = _looks_like(student_nb, solutions, stem)
        hint = (f"It looks like notebook {other}: did you submit the wrong file?" if other else
                "Work in the notebook from exercises/ rather than a new one, and do not copy-paste answer "
                "cells into new cells.")
        report["notes"].append("None of the answer cells of this notebook were found in your file (cells are "
                               f"matched by their hidden id). {hint}")
        why_missing = "no answer cell for this exercise was found in your file."
    elif missing:
        report["notes"].append(f"{len(missing)} answer cell(s) were deleted; those exercises count as not "
                               "attempted.")
    executed, records, status = execute_in_worker(nb, limits)
    problem = problem_text(status, limits, nb)
    if problem:
        report["notes"].append(f"Note: {problem}.")
    report["status"] = status["problem"] or "graded"
    report["items"] = score_notebook(items, executed, records, trusted_checks(nb, solution_nb), problem,
                                     missing, limits["timeout"], why_missing)
    report["extra_cell_errors"] = _extra_errors(executed, solution_nb, limits["timeout"])
    return _total(report)


def _extra_errors(executed, solution_nb, timeout):
    sol_ids = {c.get("id") for c in solution_nb.cells}
    if executed is None:
        return []
    return [f"a cell you added (`{(c.source.strip().splitlines() or [''])[0][:60]}`) failed: "
            f"{_error_text(c, timeout)}" for c in executed.cells if c.get("id") not in sol_ids and _errors(c)]


def _zero(item, status, message):
    return {"id": item["id"], "kind": item["kind"], "max_points": item["max_points"], "points": 0.0,
            "status": status, "message": message, "misconception": None}


def _total(report):
    report["points"] = round(sum(i["points"] for i in report["items"]), 6)
    report["max_points"] = round(sum(i["max_points"] for i in report["items"]), 6)
    return report


# --------------------------------------------------------------------------- course
def load_solutions(solutions_dir):
    """``{stem: solution notebook}`` for every ``*.ipynb`` in ``solutions_dir``."""
    paths = sorted(Path(solutions_dir).glob("*.ipynb"))
    if not paths:
        raise ValueError(f"--solutions {str(solutions_dir)!r} holds no .ipynb files; point it at the "
                         "course's solutions/ folder.")
    solutions = {}
    for path in paths:
        try:
            solutions[path.stem] = nbformat.read(path, as_version=4)
        except Exception as exc:
            raise ValueError(f"solution notebook {path} could not be read: {exc}") from None
    return solutions


def reference_items(stem, solution_nb, limits):
    """Run the solution as if a perfect student had submitted it: ``(items, warnings)``."""
    nb, _ = build_graded_notebook(solution_nb, solution_nb)
    executed, records, status = execute_in_worker(nb, limits)
    items = course_items(solution_nb, records)
    problem = problem_text(status, limits, nb)
    warnings = [f"{stem}: the solution notebook did not run to the end: {problem}"] if problem else []
    trusted = trusted_checks(nb, solution_nb)
    for res in score_notebook(items, executed, records, trusted, problem, [], limits["timeout"]):
        if res["points"] < res["max_points"] or (res["kind"] == "check" and not res["max_points"]):
            warnings.append(f"{stem}: the solution itself scores {res['points']:g}/{res['max_points']:g} "
                            f"on {res['id']} ({res['message']})")
    return items, warnings


def grade_course(submissions_dir, solutions_dir="solutions", timeout=60, total_timeout=600, memory=2048,
                 jobs=2, progress=None):
    """Grade every submission; returns the full results dict (what grades.json holds).

    The solutions run first (``jobs`` at a time), so no solution is in memory while student code
    runs; then the submissions.  ``progress(text)`` is called after each notebook when given.
    """
    for name, value in (("--timeout", timeout), ("--total-timeout", total_timeout), ("--jobs", jobs)):
        if value <= 0:
            raise ValueError(f"{name} must be positive, got {value:g}.")
    if memory < 0:
        raise ValueError(f"--memory must be positive (or 0 for no limit), got {memory:g}.")
    limits = {"timeout": timeout, "total_timeout": total_timeout, "memory": memory}
    solutions = load_solutions(solutions_dir)
    students, ignored = find_submissions(submissions_dir, set(solutions))
    if not students:
        raise ValueError(f"no student submissions found in {str(submissions_dir)!r}; expected one sub-folder "
                         "per student (alice/02_mse.ipynb) or files named alice__02_mse.ipynb.")
    done = []

    def report(text):
        done.append(text)
        if progress:
            progress(f"[{len(done)}] {text}")

    def reference(stem):
        result = reference_items(stem, solutions[stem], limits)
        report(f"solution {stem}")
        return result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        refs = dict(zip(solutions, pool.map(reference, solutions)))
        course = {stem: {"items": items, "max_points": round(sum(i["max_points"] for i in items), 6)}
                  for stem, (items, _) in refs.items()}

        def grade(job):
            student, stem, path = job
            result = grade_submission(solutions, stem, path, course[stem]["items"], limits)
            report(f"{student} {stem}: {result['points']:g}/{result['max_points']:g}")
            return result

        jobs_list = [(s, stem, subs[stem]) for s, subs in students.items() for stem in solutions if stem in subs]
        graded = {(s, stem): rep for (s, stem, _), rep in zip(jobs_list, pool.map(grade, jobs_list))}
    results = {"course": course, "warnings": [w for _, warns in refs.values() for w in warns],
               "ignored": [msg for _, msg in ignored], "limits": limits, "students": {}}
    for student in students:
        notebooks = {}
        for stem, info in course.items():
            notebooks[stem] = graded.get((student, stem)) or _total(
                {"file": None, "submitted": False, "status": "missing", "notes": [], "extra_cell_errors": [],
                 "items": [_zero(i, "missing", "notebook not submitted.") for i in info["items"]]})
        results["students"][student] = {
            "notebooks": notebooks, "ignored_files": [msg for s, msg in ignored if s == student],
            "points": round(sum(r["points"] for r in notebooks.values()), 6),
            "max_points": round(sum(c["max_points"] for c in course.values()), 6),
        }
    return results


# --------------------------------------------------------------------------- reports
def feedback_names(students):
    """``{student: file name}`` (without .md), unique even when two names differ only in odd characters."""
    names, used = {}, set()
    for student in sorted(students):
        base = name = safe_name(student)
        k = 2
        while name.lower() in used:
            name, k = f"{base}-{k}", k + 1
        used.add(name.lower())
        names[student] = name
    return names


def write_gradebook(results, out_dir):
    """Write gradebook.csv, grades.json and feedback/<student>.md into ``out_dir``.

    Feedback files of an earlier run in ``out_dir/feedback`` are removed first.
    """
    out = Path(out_dir)
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    for old in (out / "feedback").glob("*.md"):
        old.unlink()
    (out / "grades.json").write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    header = ["student"]
    for stem, info in results["course"].items():
        header += [stem] + [f"{stem}:{item['id']}" for item in info["items"]]
    header += ["total", "max"]
    with open(out / "gradebook.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for student, entry in sorted(results["students"].items()):
            row = [student]
            for stem in results["course"]:
                report = entry["notebooks"][stem]
                row += [f"{report['points']:g}"] + [f"{i['points']:g}" for i in report["items"]]
            writer.writerow(row + [f"{entry['points']:g}", f"{entry['max_points']:g}"])
    for student, name in feedback_names(results["students"]).items():
        (out / "feedback" / f"{name}.md").write_text(feedback_markdown(student, results["students"][student]),
                                                     encoding="utf-8")


def feedback_markdown(student, entry):
    """The per-student feedback report (Markdown)."""
    lines = [f"# Feedback for {student}", "",
             f"**Total: {entry['points']:g} / {entry['max_points']:g} points**", ""]
    lines += [f"- ⚠️ {msg}." for msg in entry.get("ignored_files", [])]
    if entry.get("ignored_files"):
        lines.append("")
    for stem, report in entry["notebooks"].items():
        lines += [f"## {stem}: {report['points']:g} / {report['max_points']:g} points", ""]
        if not report["submitted"]:
            lines += ["Not submitted.", ""]
            continue
        lines += [f"- {note}" for note in report["notes"]]
        for item in report["items"]:
            label = "Exercise" if item["kind"] == "check" else "Hidden test"
            icon = _ICONS.get(item["status"], "")
            why = f" *(misconception: {item['misconception']})*" if item.get("misconception") else ""
            lines.append(f"- {icon} {label} `{item['id']}` ({item['points']:g}/{item['max_points']:g}): "
                         f"{item['message']}{why}")
        lines += [f"- ⚠️ Also: {msg}." for msg in report.get("extra_cell_errors", [])]
        lines.append("")
    return "\n".join(lines)


def summary_lines(results):
    """The end-of-run summary: one line per student (total and anything that went wrong)."""
    width = max(len(s) for s in results["students"]) if results["students"] else 7
    lines = []
    for student, entry in sorted(results["students"].items()):
        issues = [f"{stem} {report['status'].replace('_', ' ')}" for stem, report in entry["notebooks"].items()
                  if report["status"] not in ("graded", "missing")]
        missing = sum(not r["submitted"] for r in entry["notebooks"].values())
        if missing:
            issues.append(f"{missing} notebook(s) not submitted")
        if entry["ignored_files"]:
            issues.append(f"{len(entry['ignored_files'])} file(s) ignored")
        lines.append(f"  {student:<{width}}  {entry['points']:>6g} / {entry['max_points']:g}"
                     + (f"   ({'; '.join(issues)})" if issues else ""))
    return lines


# --------------------------------------------------------------------------- command line
EPILOG = """\
layouts: SUBMISSIONS_DIR/alice/02_mse.ipynb (a folder per student) or SUBMISSIONS_DIR/alice__02_mse.ipynb;
  a notebook is graded when its name matches a notebook in --solutions.
output (in --out): gradebook.csv (a row per student: points per notebook and per exercise, total, max),
  grades.json (every detail), feedback/<student>.md (a report to send to each student).
exit status: 0 all graded; 1 graded, but a solution notebook itself lost points or did not run to
  the end (check the warnings: the gradebook may be wrong); 2 bad arguments or nothing to grade.
Student code runs as your user: grade in a container or throwaway account (see README)."""


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(prog="lessons-grade", description=__doc__.split("\n")[0], epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", metavar="SUBMISSIONS_DIR", help="folder of student submissions")
    parser.add_argument("--solutions", default="solutions", metavar="DIR",
                        help="folder of solution notebooks with hidden tests (default: solutions)")
    parser.add_argument("--out", default="gradebook", metavar="DIR", help="output folder (default: gradebook)")
    parser.add_argument("--timeout", type=float, default=60, metavar="S",
                        help="seconds per cell before it is interrupted (default: 60)")
    parser.add_argument("--total-timeout", type=float, default=600, metavar="S",
                        help="seconds per notebook before it is stopped (default: 600)")
    parser.add_argument("--memory", type=float, default=2048, metavar="MB",
                        help="memory limit per notebook in MB, 0 for none (default: 2048)")
    parser.add_argument("--jobs", type=int, default=2, metavar="N", help="notebooks run in parallel (default: 2)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress lines")
    args = parser.parse_args(argv)
    started = time.monotonic()
    progress = None if args.quiet else (lambda text: print(text, file=sys.stderr, flush=True))
    try:
        results = grade_course(args.submissions, args.solutions, args.timeout, args.total_timeout,
                               args.memory, args.jobs, progress=progress)
        write_gradebook(results, args.out)
    except (ValueError, OSError) as exc:
        print(f"lessons-grade: error: {exc}", file=sys.stderr)
        return 2
    for line in results["ignored"] + results["warnings"]:
        print(f"warning: {line}", file=sys.stderr)
    n_nb = sum(r["submitted"] for e in results["students"].values() for r in e["notebooks"].values())
    print(f"Graded {n_nb} notebook(s) of {len(results['students'])} student(s) in "
          f"{time.monotonic() - started:.0f} s:")
    print("\n".join(summary_lines(results)))
    out = Path(args.out)
    print(f"Wrote {out / 'gradebook.csv'}, {out / 'grades.json'} and {out / 'feedback'}/ (one file per student).")
    if results["warnings"]:
        print("Some solution notebooks lose points themselves (see the warnings): check them before "
              "using the gradebook.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
