"""The student release: lessons, exercises and the package, with no solutions, hidden tests or instructor cells.

    python -m lessons_lib.authoring release [--root .] [--out dist/release]   (``make release``)

Writes ``OUT/`` (a folder you can zip or publish) and ``OUT.tar.gz``. Notebooks lose every cell
tagged ``instructor``; exercises are regenerated from the solutions first, so the bundle never
holds a stale copy.
"""
import json
import shutil
import tarfile
from pathlib import Path

from .markers import INSTRUCTOR_TAG, generate_exercises

FILES = ("README.md", "LICENSE", "pyproject.toml", "environment.yml")
FOLDERS = ("notebooks", "exercises", "lessons_lib")
NEVER = ("solutions", "hidden_tests", "__pycache__", ".ipynb_checkpoints")


def _public_notebook(text):
    """A notebook's JSON text without instructor cells (the file is otherwise kept as it is)."""
    nb = json.loads(text)
    nb["cells"] = [c for c in nb["cells"] if INSTRUCTOR_TAG not in c.get("metadata", {}).get("tags", [])]
    return json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def build_release(root=".", out="dist/release"):
    """Build the student bundle in ``out`` (replaced if present); returns the path of ``out``.tar.gz."""
    root, out = Path(root).resolve(), Path(out)
    out = out if out.is_absolute() else root / out
    generate_exercises(root)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in FILES:
        if (root / name).is_file():
            shutil.copy2(root / name, out / name)
    for folder in FOLDERS:
        for path in sorted((root / folder).rglob("*")):
            rel = path.relative_to(root)
            if not path.is_file() or any(part in NEVER or part.startswith(".") for part in rel.parts):
                continue
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if path.suffix == ".ipynb":
                target.write_text(_public_notebook(path.read_text(encoding="utf-8")), encoding="utf-8")
            else:
                shutil.copy2(path, target)
    archive = out.with_name(out.name + ".tar.gz")
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(out, arcname=out.name)
    return archive
