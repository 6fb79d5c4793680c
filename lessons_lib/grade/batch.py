"""Grading a class: load the course (solutions and hidden tests), grade each submission, resume, checkpoint.

``grade_course`` returns the results dict that ``grades.json`` holds; after every graded notebook it
is saved atomically (``reports.write_json_atomic``) when ``out_dir`` is given, so an interrupted run
leaves a valid gradebook and ``resume=True`` skips notebooks whose file hash is unchanged.
"""
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from . import sandbox
from .hidden import load_hidden_tests
from .runner import run_plan
from .sandbox import Limits
from .scoring import course_items, merge, plan_cells, reference_reasons, total, zero_item
from .submissions import Unreadable, file_hash, find_submissions, read_cells


def load_course(solutions_dir, stems=None):
    """``{stem: {"plan", "items", "hidden", "max_points"}}`` for the solution notebooks (``stems`` only)."""
    paths = sorted(Path(solutions_dir).glob("*.ipynb"))
    if not paths:
        raise ValueError(f"--solutions {str(solutions_dir)!r} holds no .ipynb files; point it at the course's "
                         "solutions/ folder.")
    course = {}
    for path in paths:
        if stems is not None and path.stem not in stems:
            course[path.stem] = None  # known, not loaded
            continue
        try:
            nb = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ValueError(f"solution notebook {path} could not be read: {exc}") from None
        plan = plan_cells(nb)
        tests = load_hidden_tests(solutions_dir, path.stem)
        hidden = {}
        for test in tests:
            hidden.setdefault(test.after, []).append(test)
        items = course_items(plan, tests)
        course[path.stem] = {"plan": plan, "items": items, "hidden": hidden,
                             "max_points": round(sum(i["max_points"] for i in items), 6),
                             "answer_ids": {c["id"] for c in plan if c["kind"] == "answer"}}
    return course


def _looks_like(cells, course, stem):
    ids = {cid for cid, _, _ in cells}
    best = max(((len(ids & info["answer_ids"]), other) for other, info in course.items()
                if info is not None and other != stem), default=(0, None))
    if best[0]:
        return best[1]
    prefixes = {cid.split("-")[0] for cid in ids if cid}
    return next((other for other in course if other != stem and other.split("_")[0] in prefixes), None)


def grade_submission(course, stem, path, limits):
    """Grade one notebook file: a report dict (never raises for anything in the file)."""
    info = course[stem]
    report = {"file": str(path), "hash": file_hash(path), "submitted": True, "status": "graded", "notes": [],
              "cells": []}
    try:
        cells = read_cells(path)
    except Unreadable as exc:
        report["status"] = exc.status
        report["notes"].append(f"Your file could not be graded: {exc}. Re-download the notebook from Jupyter "
                               "(File > Download) and submit it again.")
        report["items"] = [zero_item(i, "error", "the file could not be read, so nothing in it could be graded.")
                           for i in info["items"]]
        return total(report)
    to_run, missing = merge(info["plan"], cells)
    if info["answer_ids"] and len(missing) == len(info["answer_ids"]):
        other = _looks_like(cells, course, stem)
        report["status"] = "wrong_notebook"
        hint = (f"It looks like notebook {other}: did you submit the wrong file?" if other else
                "Work in the notebook from exercises/ rather than a new one (cells are matched by their hidden id).")
        report["notes"].append(f"None of the answer cells of {stem} were found in your file. {hint}")
        report["items"] = [zero_item(i, "missing_answer", "no answer for this exercise was found in your file.")
                           for i in info["items"]]
        return total(report)
    if missing:
        report["notes"].append(f"{len(missing)} answer cell(s) were deleted; those exercises score 0.")
    reasons = reference_reasons(info["plan"], to_run)
    results, cell_notes = run_plan(info["plan"], to_run, limits, info["hidden"], reasons)
    report["cells"] = cell_notes
    items = []
    for item in info["items"]:
        res = results.get(item["id"])
        if res is None:
            items.append(zero_item(item, "error", "this item was never reached (the notebook stopped early)."))
        else:
            items.append(dict(res, id=item["id"], kind=item["kind"], description=item.get("description"),
                              max_points=item["max_points"]))
    report["items"] = items
    return total(report)


def _not_submitted(info):
    return total({"file": None, "hash": None, "submitted": False, "status": "not_submitted", "notes": [],
                  "cells": [], "items": [zero_item(i, "missing", "notebook not submitted.") for i in info["items"]]})


def _student_entry(student, notebooks, ignored, course, assignment):
    entry = {"notebooks": notebooks, "ignored_files": [i.message() for i in ignored if i.student == student]}
    entry["points"] = round(sum(r["points"] for r in notebooks.values()), 6)
    entry["max_points"] = round(sum(course[s]["max_points"] for s in assignment), 6)
    return entry


def grade_course(submissions_dir, solutions_dir="solutions", *, assignment=None, limits=None, jobs=2,
                 out_dir=None, resume=False, progress=None):
    """Grade every submission of the assignment; returns the results dict (what grades.json holds).

    ``assignment``: notebook stems (default: those submitted). ``progress(done, total, text)`` is
    called after each notebook. With ``out_dir`` the results so far are saved after each notebook.
    """
    from .reports import write_json_atomic

    limits = limits or Limits()
    sandbox.fork_server()  # starts importing in its own process while this one loads the course
    if jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {jobs}.")
    known = {p.stem for p in Path(solutions_dir).glob("*.ipynb")}
    if not known:
        raise ValueError(f"--solutions {str(solutions_dir)!r} holds no .ipynb files; point it at the course's "
                         "solutions/ folder.")
    if assignment is not None:
        unknown = sorted(set(assignment) - known)
        if unknown:
            raise ValueError(f"--assignment names unknown notebook(s) {', '.join(unknown)}; the course has "
                             f"{', '.join(sorted(known))}.")
    students, ignored, assignment = find_submissions(submissions_dir, known, assignment and set(assignment))
    if not students or not assignment:
        raise ValueError(f"no student submissions found in {str(submissions_dir)!r}; expected one sub-folder "
                         "per student (alice/02_mse.ipynb) or files named alice__02_mse.ipynb.")
    course = load_course(solutions_dir, set(assignment))
    previous = {}
    if resume and out_dir and (Path(out_dir) / "grades.json").is_file():
        try:
            old = json.loads((Path(out_dir) / "grades.json").read_text(encoding="utf-8"))
            for s, entry in old.get("students", {}).items():
                for stem, rep in entry.get("notebooks", {}).items():
                    if rep.get("hash"):
                        previous[(s, stem)] = rep
        except (ValueError, AttributeError):
            previous = {}
    results = {"assignment": assignment, "complete": False, "limits": asdict(limits),
               "course": {s: {"items": course[s]["items"], "max_points": course[s]["max_points"]} for s in assignment},
               "ignored": [i.message() for i in ignored if i.student is None], "students": {}}
    graded, lock = {}, threading.Lock()
    jobs_list = [(s, stem, subs[stem]) for s, subs in students.items() for stem in assignment if stem in subs]

    def snapshot():
        results["students"] = {
            s: _student_entry(s, {stem: graded.get((s, stem)) or _not_submitted(course[stem]) for stem in assignment},
                              ignored, course, assignment) for s in students}
        return results

    def grade(job):
        student, stem, path = job
        old = previous.get((student, stem))
        ids = [i["id"] for i in course[stem]["items"]]
        if old and old.get("hash") == file_hash(path) and [i.get("id") for i in old.get("items", [])] == ids:
            report = old
        else:
            report = grade_submission(course, stem, path, limits)
        with lock:
            graded[(student, stem)] = report
            if out_dir:
                write_json_atomic(Path(out_dir) / "grades.json", snapshot())
            if progress:
                progress(len(graded), len(jobs_list), f"{student} {stem}: {report['points']:g}/{report['max_points']:g}")
        return report

    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        list(pool.map(grade, jobs_list))
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        sandbox.close_all()
        with lock:
            results["interrupted"] = True
            if out_dir:
                write_json_atomic(Path(out_dir) / "grades.json", snapshot())
        raise
    pool.shutdown()
    results["complete"] = True
    return snapshot()
