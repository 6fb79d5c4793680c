"""Scoring: what a notebook's items are, which cells run, whether an answer just calls the reference, totals.

Statuses (one vocabulary for items, cells, notebooks and files, with their icons in ``ICONS``):

    item:     the checks' own (passed failed not_attempted error timeout, ``checks.engine.STATUSES``), and
              the grader's: crashed memory missing_answer reference_used missing stopped
    notebook: graded not_submitted empty invalid_json not_a_notebook wrong_notebook
    file:     ignored (with a reason: not a notebook, wrong name, duplicate, not in this assignment)
"""
import ast

from ..authoring.markers import has_region, is_answer_cell, is_instructor_cell
from ..checks.engine import STATUS_LABELS, STATUSES
from .runner import check_call, exercise_points

GRADER_STATUSES = ("crashed", "memory", "missing_answer", "reference_used", "missing", "stopped")
ITEM_STATUSES = (*STATUSES, *GRADER_STATUSES)
ICONS = {"passed": "✅", "failed": "❌", "not_attempted": "⏳", "error": "⚠️", "timeout": "⏱️",
         "crashed": "💥", "memory": "🧠", "missing_answer": "🕳️", "reference_used": "🚫", "missing": "📭",
         "stopped": "⏹️"}


def status_label(status):
    """The words a report shows for a status: the notebook's own for the checks' statuses (PASSED,
    NOT YET, ...), so a learner reads the same verdict in the notebook and in the feedback."""
    return STATUS_LABELS.get(status, status.replace("_", " "))


# --------------------------------------------------------------------------- the solution's plan
def plan_cells(solution_nb):
    """The solution's code cells in order, each ``{"id", "kind", "source", "exercise", "check"}``.

    kind: ``answer`` (holds a SOLUTION region), ``check`` (a ``check("id", expr)`` call), ``hidden``
    (a hidden-test cell for nbgrader: never run, the grader runs hidden tests itself, outside the
    sandbox) or ``setup`` (any other course cell). Instructor cells are left out.
    """
    plan = []
    for cell in solution_nb["cells"]:
        source = _text(cell.get("source", ""))
        if cell.get("cell_type") != "code" or is_instructor_cell(cell):
            continue
        meta = cell.get("metadata", {})
        entry = {"id": cell.get("id"), "source": source, "exercise": meta.get("exercise"), "check": None}
        if has_region(source, "HIDDEN TESTS"):
            entry["kind"] = "hidden"  # known, never run: the grader runs hidden tests itself
        elif is_answer_cell({"source": source}):
            entry["kind"] = "answer"
        elif check_call(source):
            entry["kind"], entry["check"] = "check", check_call(source)
        else:
            entry["kind"] = "setup"
        plan.append(entry)
    return plan


def course_items(plan, hidden_tests):
    """Scored items in order: ``[{"id", "kind": check|hidden, "max_points", "description"}]``."""
    items, seen = [], set()
    order = {cell["id"]: i for i, cell in enumerate(plan)}
    for cell in plan:
        if cell["kind"] == "check" and cell["check"][0] not in seen:
            seen.add(cell["check"][0])
            items.append({"id": cell["check"][0], "kind": "check", "max_points": exercise_points(cell["check"][0]),
                          "description": None, "at": order[cell["id"]]})
    for test in hidden_tests:
        items.append({"id": test.id, "kind": "hidden", "max_points": test.points, "description": test.description,
                      "at": order.get(test.after, len(plan)) + 0.5})
    items.sort(key=lambda item: item["at"])
    for item in items:
        del item["at"]
    return items


def _text(source):
    return "".join(source) if isinstance(source, list) else str(source)


# --------------------------------------------------------------------------- the learner's cells
def merge(plan, student_cells):
    """The cells to run for one learner: the plan with their answer cells and added cells.

    ``student_cells`` are ``[(id, cell_type, source)]`` in the learner's order. Answer cells are
    matched by id (a missing one becomes ``{"kind": "missing"}``); the learner's other code cells
    with unknown ids are kept after the course cell they followed. Returns ``(cells, missing ids)``.
    """
    known = {cell["id"] for cell in plan}
    by_id = {cid: (ctype, src) for cid, ctype, src in student_cells if cid}
    extras, anchor = {}, None
    for cid, ctype, src in student_cells:
        if cid in known:
            anchor = cid
        elif ctype == "code" and src.strip():
            extras.setdefault(anchor, []).append({"id": cid, "kind": "extra", "source": src})
    cells, missing = list(extras.get(None, [])), []
    for cell in plan:
        if cell["kind"] == "hidden":
            pass
        elif cell["kind"] == "answer":
            mine = by_id.get(cell["id"])
            if mine is None or mine[0] != "code":
                missing.append(cell["id"])
                cells.append(dict(cell, kind="missing"))
            else:
                cells.append(dict(cell, source=mine[1]))
        else:
            cells.append(dict(cell))
        cells.extend(extras.get(cell["id"], []))
    return cells, missing


# --------------------------------------------------------------------------- answers that call the reference
_OPEN_DOORS = ("__import__", "importlib", "__globals__", "__builtins__", "sys.modules", "get_objects", "__subclasses__")


def _tree(source):
    try:
        return ast.parse(source)
    except SyntaxError:
        return None


def library_names(source):
    """Names a cell binds to parts of ``lessons_lib`` (imports other than ``lessons_lib.checks``)."""
    tree, names = _tree(source), set()
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "lessons_lib" and not alias.name.startswith("lessons_lib.checks"):
                    names.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "lessons_lib":
            if not (node.module or "").startswith("lessons_lib.checks"):
                names.update(alias.asname or alias.name for alias in node.names)
    return names


def reference_uses(source, library):
    """What in ``source`` reaches the course library: names of ``library`` it reads, imports of it, and
    ways around a plain import (``__import__``, ``importlib``, ``sys.modules``...)."""
    tree, found = _tree(source), set()
    if tree is None:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id in library:
            found.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "lessons_lib" in node.value:
            found.add("lessons_lib")
    found |= library_names(source)
    found |= {door for door in _OPEN_DOORS if door in source}
    return found


def _bound(source):
    tree, names = _tree(source), set()
    for node in ast.walk(tree) if tree else ():
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def reference_reasons(plan, cells):
    """``{exercise id: reason}`` for answers that use the course's own implementation (no credit).

    Decided from source on the grader's side: an answer cell that reads a name imported from
    ``lessons_lib`` (or reaches it another way) beyond what the solution's own answer cell uses, or
    a cell the learner added that imports from the library and rebinds a name a check reads.
    """
    setup_library = set()
    for cell in plan:
        if cell["kind"] == "setup":
            setup_library |= library_names(cell["source"])
    solution_answer = {cell["exercise"]: cell["source"] for cell in plan if cell["kind"] == "answer"}
    checked_names = {}
    for cell in plan:
        if cell["kind"] == "check":
            tree = _tree(cell["check"][1] or "")
            for node in ast.walk(tree) if tree else ():
                if isinstance(node, ast.Name):
                    checked_names.setdefault(node.id, set()).add(cell["check"][0])
    library, reasons = set(setup_library), {}
    for cell in cells:
        if cell["kind"] not in ("answer", "extra"):
            continue
        library |= library_names(cell["source"])
        used = reference_uses(cell["source"], library)
        if cell["kind"] == "answer":
            allowed = reference_uses(solution_answer.get(cell["exercise"], ""), library | setup_library)
            extra = sorted(used - allowed)
            if extra and cell["exercise"]:
                reasons[cell["exercise"]] = f"your answer uses the course's own code ({', '.join(extra)})"
        elif used:
            for name in _bound(cell["source"]) & set(checked_names):
                for exercise in checked_names[name]:
                    reasons.setdefault(exercise, f"a cell you added gives `{name}` the course's own code "
                                                 f"({', '.join(sorted(used))})")
    return reasons


# --------------------------------------------------------------------------- totals
def zero_item(item, status, message):
    return {"id": item["id"], "kind": item["kind"], "max_points": item["max_points"], "points": 0.0,
            "status": status, "message": message, "misconception": None, "description": item.get("description")}


def total(report):
    report["points"] = round(sum(i["points"] for i in report["items"]), 6)
    report["max_points"] = round(sum(i["max_points"] for i in report["items"]), 6)
    return report
