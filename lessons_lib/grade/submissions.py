"""Finding and reading submissions: which file is whose notebook, and which files are ignored (and why).

Layouts: ``SUBMISSIONS_DIR/alice/02_mse.ipynb`` (a folder per student) or ``SUBMISSIONS_DIR/alice__02_mse.ipynb``.
Reading a notebook never runs or unpickles anything: it is JSON, checked for the few fields the grader uses.
"""
import hashlib
import json
import re
from pathlib import Path

FLAT_SEPARATOR = "__"


class Ignored:
    """A file that was not graded: ``student`` (or None), ``path`` (relative) and the reason."""

    def __init__(self, student, path, reason):
        self.student, self.path, self.reason = student, path, reason

    def message(self):
        return f"{self.path} was not graded: {self.reason}"


def find_submissions(submissions_dir, course_stems, assignment=None):
    """``(students, ignored, assignment)``: ``{student: {stem: path}}``, ``[Ignored]``, the stems graded.

    ``assignment`` (a set of stems, default: every course notebook someone submitted) selects the
    notebooks; files of other course notebooks are ignored as "not part of this assignment". A
    student with several files for one notebook gets the least nested one (then the first by name).
    """
    root = Path(submissions_dir)
    if not root.is_dir():
        raise ValueError(f"SUBMISSIONS_DIR {str(root)!r} is not a folder; pass the folder holding one "
                         "sub-folder per student (alice/02_mse.ipynb) or files named alice__02_mse.ipynb.")
    candidates, ignored, students = [], [], []
    for entry in sorted(root.iterdir()):
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            students.append(entry.name)
            paths = [p for p in entry.rglob("*") if p.is_file() and ".ipynb_checkpoints" not in p.parts
                     and not any(part.startswith(".") for part in p.relative_to(root).parts)]
            for path in sorted(paths, key=lambda p: (len(p.parts), p.as_posix())):
                candidates.append((entry.name, path, path.stem if path.suffix == ".ipynb" else None))
        elif FLAT_SEPARATOR in entry.stem:
            student, stem = entry.stem.split(FLAT_SEPARATOR, 1)
            students.append(student)
            candidates.append((student, entry, stem if entry.suffix == ".ipynb" else None))
        else:
            ignored.append(Ignored(None, entry.name, "not a student folder or a student__notebook.ipynb file"))
    course = set(course_stems)
    if assignment is None:
        assignment = {stem for _, _, stem in candidates if stem in course}
    found = {s: {} for s in dict.fromkeys(students)}
    for student, path, stem in candidates:
        where = path.relative_to(root).as_posix()
        if stem is None:
            ignored.append(Ignored(student, where, f"only Jupyter notebooks (.ipynb) are graded, this is a "
                                                   f"{path.suffix or 'file without extension'} file"
                                                   + _suggest(path.stem, assignment)))
        elif stem not in course:
            ignored.append(Ignored(student, where, "its name matches no notebook of this assignment"
                                   + _suggest(stem, assignment)))
        elif stem not in assignment:
            ignored.append(Ignored(student, where, "that notebook is not part of this assignment"))
        elif stem in found[student]:
            ignored.append(Ignored(student, where, f"{found[student][stem].relative_to(root).as_posix()} is "
                                                   "graded for that notebook instead (duplicate)"))
        else:
            found[student][stem] = path
    return found, ignored, sorted(assignment)


def _suggest(name, stems):
    key = re.sub(r"[^a-z0-9]", "", name.lower())
    for stem in sorted(stems):
        if re.sub(r"[^a-z0-9]", "", stem.lower()) in key or key and key in stem.replace("_", ""):
            return f" (expected {stem}.ipynb: rename the file and submit again)"
    return f" (expected one of {', '.join(f'{s}.ipynb' for s in sorted(stems))})" if stems else ""


def file_hash(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class Unreadable(ValueError):
    """A submitted file that is not a usable notebook; ``status`` is empty, invalid_json or not_a_notebook."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def read_cells(path, max_bytes=50 * 1024 * 1024):
    """``[(id, cell_type, source)]`` of a notebook file; ``Unreadable`` for anything that is not one."""
    data = Path(path).read_bytes()
    if not data.strip():
        raise Unreadable("empty", "the file is empty")
    if len(data) > max_bytes:
        raise Unreadable("not_a_notebook", f"the file is larger than {max_bytes // 2**20} MB")
    if data.startswith(b"%PDF"):
        raise Unreadable("not_a_notebook", "the file is a PDF, not a notebook (submit the .ipynb file itself)")
    try:
        nb = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise Unreadable("invalid_json", f"the file is not valid notebook JSON ({type(exc).__name__}: "
                                         f"{' '.join(str(exc).split())[:120]})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise Unreadable("not_a_notebook", "the file is JSON but not a Jupyter notebook (no list of cells)")
    cells = []
    for cell in nb["cells"]:
        if not isinstance(cell, dict):
            continue
        source = cell.get("source", "")
        if isinstance(source, list):
            source = "".join(s for s in source if isinstance(s, str))
        if not isinstance(source, str):
            continue
        cid = cell.get("id") if isinstance(cell.get("id"), str) else None
        cells.append((cid, cell.get("cell_type"), source))
    return cells
