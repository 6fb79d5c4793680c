"""Batch grader: run every student's notebooks against the hidden tests and write a gradebook.

    python -m lessons_lib.grade SUBMISSIONS_DIR [--solutions solutions] [--out gradebook]
                                [--timeout 60] [--total-timeout 600] [--memory 2048] [--jobs 2]

(also installed as ``lessons-grade``).  Submissions are either one folder per student
(``alice/02_mse.ipynb``) or flat files (``alice__02_mse.ipynb``); a notebook counts when its name
matches a notebook in ``--solutions``.

For each submission the graded notebook is rebuilt from the solution notebook: instructor cells are
dropped, every answer cell (a cell with a ``### BEGIN SOLUTION`` region) is replaced by the student's
cell with the same id, code cells the student added are kept where they were, and everything else
(check cells, hidden tests) comes from the solution, so editing a check cell changes nothing.  It
runs in a fresh kernel in a temporary folder, in a worker process with a memory and CPU limit, with
a per-cell timeout (a cell that runs too long is interrupted and the rest still run) and a limit for
the whole notebook.  Scores: each ``check()`` writes its verdict to ``LESSONS_GRADE_LOG`` (the last
verdict per exercise counts); a hidden-test cell (nbgrader metadata ``grade: true, points: N``)
scores N when it runs without error.  The solution notebooks are run the same way first; their
results define the exercises and maximum points (a solution that loses points is reported).

Output in ``--out``: ``gradebook.csv`` (a row per student), ``grades.json`` (every detail) and
``feedback/<student>.md`` (a friendly report per student).
"""
import argparse
import ast
import asyncio
import copy
import csv
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from .authoring import KERNEL_NAME, is_answer_cell, is_instructor_cell, kernel_env, student_cell

FLAT_SEPARATOR = "__"
LOG_NAME = "grade_log.jsonl"
_CHECK_CALL = re.compile(r"""\bcheck\(\s*["']([A-Za-z_]\w*)["']""")
_ICONS = {"passed": "✅", "failed": "❌", "not_attempted": "⏳", "error": "⚠️", "timeout": "⏱️",
          "missing": "📭"}


# --------------------------------------------------------------------------- submissions
def find_submissions(submissions_dir, notebook_stems):
    """``({student: {stem: path}}, [ignored file messages])`` for both supported layouts."""
    root = Path(submissions_dir)
    if not root.is_dir():
        raise ValueError(f"SUBMISSIONS_DIR {str(root)!r} is not a folder; pass the folder holding one "
                         "sub-folder per student (alice/02_mse.ipynb) or files named alice__02_mse.ipynb.")
    found, ignored = {}, []

    def add(student, path, stem):
        if stem in notebook_stems:
            found.setdefault(student, {})[stem] = path
        else:
            ignored.append(f"{path.relative_to(root)}: no solutions notebook named {stem}.ipynb, ignored")

    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            found.setdefault(entry.name, {})
            for path in sorted(entry.rglob("*.ipynb")):
                if ".ipynb_checkpoints" not in path.parts:
                    add(entry.name, path, path.stem)
        elif entry.suffix == ".ipynb" and FLAT_SEPARATOR in entry.stem:
            student, stem = entry.stem.split(FLAT_SEPARATOR, 1)
            add(student, entry, stem)
        else:
            ignored.append(f"{entry.name}: not a student folder or a student__notebook.ipynb file, ignored")
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
        elif cell.cell_type == "code" and cell.source.strip():
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
            if mine is None:
                missing.append(cell.id)
                cell = student_cell(cell) or cell
            else:
                cell = copy.deepcopy(cell)
                cell.source = mine.source
        take(cell)
        for extra in extras.get(cell.id, []):
            take(extra)
    return nb, missing


# --------------------------------------------------------------------------- running (worker side)
def _limit_resources(memory_mb, cpu_seconds):
    """Address-space and CPU limits for this process; the kernel it starts inherits them."""
    import resource

    if memory_mb:
        limit = int(memory_mb) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if cpu_seconds:
        resource.setrlimit(resource.RLIMIT_CPU, (int(cpu_seconds), int(cpu_seconds) + 5))


async def _execute(client, env, total_timeout):
    await asyncio.wait_for(client.async_execute(env=env), total_timeout)


def run_one(notebook_path, timeout, total_timeout):
    """Execute a graded notebook in its folder; save it as executed.ipynb with status.json beside it."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    folder = Path(notebook_path).parent
    nb = nbformat.read(notebook_path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL_NAME, allow_errors=True,
                            interrupt_on_timeout=True, record_timing=False, startup_timeout=120,
                            shutdown_kernel="immediate",
                            resources={"metadata": {"path": str(folder)}})
    env = kernel_env(LESSONS_GRADE_LOG=str(folder / LOG_NAME), MPLBACKEND="Agg", MALLOC_ARENA_MAX="2")
    problem = None
    try:
        asyncio.run(_execute(client, env, total_timeout))
    except asyncio.TimeoutError:
        problem = f"the notebook was stopped after the time limit of {total_timeout:g} s for the whole notebook"
    except DeadKernelError:
        problem = "the Python kernel died (most likely the memory limit was exceeded)"
    except Exception as exc:  # anything nbclient raises must still yield a report, not a crash
        problem = f"the notebook could not be run: {type(exc).__name__}: {exc}"
    nbformat.write(nb, folder / "executed.ipynb")
    (folder / "status.json").write_text(json.dumps({"problem": problem}), encoding="utf-8")


def _worker_main(argv):
    parser = argparse.ArgumentParser(prog="python -m lessons_lib.grade --one")
    parser.add_argument("notebook")
    parser.add_argument("--timeout", type=float, required=True)
    parser.add_argument("--total-timeout", type=float, required=True)
    parser.add_argument("--memory", type=float, required=True)
    args = parser.parse_args(argv)
    _limit_resources(args.memory, args.total_timeout + 30)
    run_one(args.notebook, args.timeout, args.total_timeout)
    return 0


def execute_in_worker(nb, limits):
    """Run ``nb`` in a worker process in a fresh temporary folder.

    Returns ``(executed notebook or None, check-log records, problem or None)``.
    """
    with tempfile.TemporaryDirectory(prefix="lessons-grade-") as tmp:
        path = Path(tmp) / "graded.ipynb"
        nbformat.write(nb, path)
        cmd = [sys.executable, "-m", "lessons_lib.grade", "--one", str(path),
               "--timeout", str(limits["timeout"]), "--total-timeout", str(limits["total_timeout"]),
               "--memory", str(limits["memory"])]
        proc = subprocess.Popen(cmd, cwd=tmp, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True)
        problem = None
        try:
            _, err = proc.communicate(timeout=limits["total_timeout"] + 60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGTERM)  # the worker shuts its kernel down on SIGTERM
            try:
                _, err = proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                _, err = proc.communicate()
            problem = "the grader had to stop this notebook (it ran far past the time limit)"
        executed, status = Path(tmp) / "executed.ipynb", Path(tmp) / "status.json"
        out_nb = nbformat.read(executed, as_version=4) if executed.exists() else None
        if status.exists():
            problem = problem or json.loads(status.read_text(encoding="utf-8"))["problem"]
        elif problem is None:
            tail = err.decode(errors="replace").strip().splitlines()[-1:] or ["no message"]
            problem = f"the grading worker failed ({tail[0]})"
        log = Path(tmp) / LOG_NAME
        records = []
        if log.exists():
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
        return out_nb, records, problem


# --------------------------------------------------------------------------- scoring
def _errors(cell):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def _error_text(cell, timeout):
    err = _errors(cell)[-1]
    if err.get("ename") == "KeyboardInterrupt":
        return f"it ran longer than {timeout:g} s and was stopped (is there a loop that never ends?)"
    if err.get("ename") == "NotImplementedError":
        return "an answer it needs is not written yet (the code still raises NotImplementedError)"
    value = " ".join(str(err.get("evalue", "")).split())
    return f"{err.get('ename')}: {value}" if value else str(err.get("ename"))


def _docstring(source):
    try:
        doc = ast.get_docstring(ast.parse(source))
    except SyntaxError:
        return ""
    return doc.strip().splitlines()[0] if doc else ""


def _checked_ids(source):
    return _CHECK_CALL.findall(source)


def course_items(solution_nb, reference_records):
    """Scored items of one notebook, in order: check exercises (from the solution's own run) then hidden tests."""
    items, seen = [], set()
    for rec in reference_records:
        if rec["exercise"] not in seen:
            seen.add(rec["exercise"])
            items.append({"id": rec["exercise"], "kind": "check", "max_points": float(rec["max_points"])})
    for cell in solution_nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and not is_instructor_cell(cell):
            items.append({"id": meta.get("grade_id") or cell.id, "kind": "hidden", "cell_id": cell.id,
                          "max_points": float(meta.get("points", 0)), "what": _docstring(cell.source)})
    return items


def score_notebook(items, executed_nb, records, problem, missing, timeout):
    """Per-item results (status, points, message) for one executed student notebook."""
    last = {rec.get("exercise"): rec for rec in records}
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
                res.update(status="not_attempted", message="the answer cell was deleted from the notebook, "
                           "so there was nothing to grade.")
            elif rec is not None:
                res.update(status=rec.get("status", "error"), message=rec.get("message", ""),
                           misconception=rec.get("misconception"),
                           points=min(float(rec.get("points", 0)), item["max_points"]))
            else:
                res.update(_why_no_check(item["id"], cells, problem, timeout))
        else:
            cell = by_id.get(item["cell_id"])
            what = f" ({item['what']})" if item.get("what") else ""
            if cell is None or (not cell.get("outputs") and cell.get("execution_count") is None):
                reason = f": {problem}" if problem else ""
                res.update(status="error", message=f"hidden test{what} did not run{reason}.")
            elif _errors(cell):
                res.update(status="failed", message=f"hidden test{what} failed: {_error_text(cell, timeout)}")
            else:
                res.update(status="passed", points=item["max_points"], message=f"hidden test{what} passed.")
        results.append(res)
    return results


def _why_no_check(exercise_id, cells, problem, timeout):
    """Explain an exercise whose check never reported (deleted cell, crash, timeout, stopped notebook)."""
    for cell in cells:
        if cell.get("metadata", {}).get("exercise") == exercise_id and _errors(cell):
            return {"status": "error", "message": f"your answer cell failed: {_error_text(cell, timeout)}"}
    for cell in cells:
        if exercise_id in _checked_ids(cell.get("source", "")) and _errors(cell):
            return {"status": "error", "message": f"the check could not run: {_error_text(cell, timeout)}"}
    if problem:
        return {"status": "error", "message": f"the check never ran: {problem}."}
    return {"status": "not_attempted", "message": "the check for this exercise never ran."}


# --------------------------------------------------------------------------- one notebook
def run_submission(solution_nb, path, limits):
    """Build and execute one student notebook; never raises for a bad submission.

    Returns a dict: ``notes`` for the student, and either ``unreadable`` or the run's ``executed``
    notebook, check-log ``records``, ``problem`` and ``missing`` answer-cell ids.
    """
    run = {"file": str(path), "notes": []}
    try:
        student_nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # corrupt JSON, wrong format, unreadable file: all become feedback
        first = " ".join(str(exc).split())[:200]
        run["unreadable"] = True
        run["notes"].append(f"Your file could not be opened as a Jupyter notebook ({type(exc).__name__}: "
                            f"{first}). Re-download it from Jupyter (File > Download) and submit again.")
        return run
    nb, missing = build_graded_notebook(solution_nb, student_nb)
    answer_ids = [c.id for c in solution_nb.cells if is_answer_cell(c) and not is_instructor_cell(c)]
    if answer_ids and len(missing) == len(answer_ids):
        run["notes"].append("None of the answer cells of the exercise notebook were found in your file "
                            "(cells are matched by their hidden id). Work in the notebook from exercises/ "
                            "rather than a new one, and do not copy-paste answer cells into new cells.")
    elif missing:
        run["notes"].append(f"{len(missing)} answer cell(s) were deleted; those exercises count as not attempted.")
    run["executed"], run["records"], run["problem"] = execute_in_worker(nb, limits)
    run["missing"] = missing
    if run["problem"]:
        run["notes"].append(f"Note: {run['problem']}.")
    return run


def score_submission(run, items, solution_nb, timeout):
    """The report for one submission (see ``run_submission``) given the notebook's scored items."""
    report = {"file": run["file"], "submitted": True, "notes": run["notes"]}
    if run.get("unreadable"):
        report["status"] = "unreadable"
        report["items"] = [_zero(i, "error", "the notebook file could not be read, so nothing in it could "
                                              "be graded.") for i in items]
        return _total(report)
    report["status"] = "graded"
    report["items"] = score_notebook(items, run["executed"], run["records"], run["problem"], run["missing"], timeout)
    report["extra_cell_errors"] = _extra_errors(run["executed"], solution_nb, timeout)
    return _total(report)


def _extra_errors(executed, solution_nb, timeout):
    sol_ids = {c.get("id") for c in solution_nb.cells}
    if executed is None:
        return []
    return [f"a cell you added (`{c.source.strip().splitlines()[0][:60]}`) raised {_error_text(c, timeout)}"
            for c in executed.cells if c.get("id") not in sol_ids and _errors(c)]


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
    return {p.stem: nbformat.read(p, as_version=4) for p in paths}


def reference_items(stem, solution_nb, run, timeout):
    """Scored items from the solution's own run, and warnings when the solution itself loses points."""
    items = course_items(solution_nb, run["records"])
    warnings = [f"{stem}: solution run problem: {run['problem']}"] if run["problem"] else []
    for res in score_notebook(items, run["executed"], run["records"], run["problem"], [], timeout):
        if res["points"] < res["max_points"]:
            warnings.append(f"{stem}: the solution itself scores {res['points']:g}/{res['max_points']:g} "
                            f"on {res['id']} ({res['message']})")
    return items, warnings


def grade_course(submissions_dir, solutions_dir="solutions", timeout=60, total_timeout=600, memory=2048, jobs=2):
    """Grade every submission; returns the full results dict (what grades.json holds).

    The solutions run alongside the submissions (``jobs`` notebooks at a time); scoring comes after.
    """
    for name, value in (("--timeout", timeout), ("--total-timeout", total_timeout), ("--jobs", jobs)):
        if value <= 0:
            raise ValueError(f"{name} must be positive, got {value}.")
    limits = {"timeout": timeout, "total_timeout": total_timeout, "memory": memory}
    solutions = load_solutions(solutions_dir)
    students, ignored = find_submissions(submissions_dir, set(solutions))
    reference_jobs = [(None, stem, None) for stem in solutions]
    student_jobs = [(s, stem, subs[stem]) for s, subs in students.items() for stem in solutions if stem in subs]

    def execute(job):
        student, stem, path = job
        if student is None:  # the solution itself, as if a perfect student had submitted it
            nb, _ = build_graded_notebook(solutions[stem], solutions[stem])
            executed, records, problem = execute_in_worker(nb, limits)
            return {"executed": executed, "records": records, "problem": problem}
        return run_submission(solutions[stem], path, limits)

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = list(pool.map(execute, reference_jobs + student_jobs))
    refs = {stem: reference_items(stem, solutions[stem], run, timeout)
            for (_, stem, _), run in zip(reference_jobs, runs)}
    course = {stem: {"items": items, "max_points": sum(i["max_points"] for i in items)}
              for stem, (items, _) in refs.items()}
    student_runs = {(s, stem): run for (s, stem, _), run in zip(student_jobs, runs[len(reference_jobs):])}
    results = {"course": course, "warnings": [w for _, warns in refs.values() for w in warns],
               "ignored": ignored, "limits": limits, "students": {}}
    for student in students:
        notebooks = {}
        for stem, info in course.items():
            run = student_runs.get((student, stem))
            if run is None:
                notebooks[stem] = _total({"file": None, "submitted": False, "status": "missing", "notes": [],
                                          "items": [_zero(i, "missing", "notebook not submitted.")
                                                    for i in info["items"]]})
            else:
                notebooks[stem] = score_submission(run, info["items"], solutions[stem], timeout)
        results["students"][student] = {
            "notebooks": notebooks,
            "points": round(sum(r["points"] for r in notebooks.values()), 6),
            "max_points": round(sum(c["max_points"] for c in course.values()), 6),
        }
    return results


# --------------------------------------------------------------------------- reports
def write_gradebook(results, out_dir):
    """Write gradebook.csv, grades.json and feedback/<student>.md into ``out_dir``."""
    out = Path(out_dir)
    (out / "feedback").mkdir(parents=True, exist_ok=True)
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
    for student, entry in results["students"].items():
        (out / "feedback" / f"{safe_name(student)}.md").write_text(feedback_markdown(student, entry),
                                                                   encoding="utf-8")


def feedback_markdown(student, entry):
    """The per-student feedback report (Markdown)."""
    lines = [f"# Feedback for {student}", "",
             f"**Total: {entry['points']:g} / {entry['max_points']:g} points**", ""]
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


# --------------------------------------------------------------------------- command line
def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["--one"]:
        return _worker_main(argv[1:])
    parser = argparse.ArgumentParser(prog="lessons-grade", description=__doc__.split("\n")[0])
    parser.add_argument("submissions", metavar="SUBMISSIONS_DIR")
    parser.add_argument("--solutions", default="solutions", help="folder of solution notebooks (default: solutions)")
    parser.add_argument("--out", default="gradebook", help="output folder (default: gradebook)")
    parser.add_argument("--timeout", type=float, default=60, help="seconds per cell (default: 60)")
    parser.add_argument("--total-timeout", type=float, default=600, help="seconds per notebook (default: 600)")
    parser.add_argument("--memory", type=float, default=2048, help="memory limit per notebook in MB (default: 2048)")
    parser.add_argument("--jobs", type=int, default=2, help="notebooks graded in parallel (default: 2)")
    args = parser.parse_args(argv)
    try:
        results = grade_course(args.submissions, args.solutions, args.timeout, args.total_timeout,
                               args.memory, args.jobs)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    write_gradebook(results, args.out)
    for line in results["ignored"] + results["warnings"]:
        print(f"warning: {line}", file=sys.stderr)
    print(f"graded {len(results['students'])} student(s); see {args.out}/gradebook.csv and {args.out}/feedback/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
