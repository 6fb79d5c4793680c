"""Opening an untouched lesson must not change it: JupyterLab stores the kernel's language_info and
kernelspec in every notebook it opens, so the committed lessons carry exactly what the kernel reports
(otherwise closing an unedited lesson asks "Save changes?"). ``make notebooks`` stores it; here a lesson
is executed the same way and its metadata compared with the committed file.
"""
import platform
import shutil
from pathlib import Path

import nbformat
import pytest
from lessons_lib.authoring import execute_notebook

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
FULL_LANGUAGE_INFO = {"name", "version", "mimetype", "file_extension", "codemirror_mode",
                      "pygments_lexer", "nbconvert_exporter"}


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_committed_lessons_store_the_full_kernel_metadata(path):
    meta = nbformat.read(path, as_version=4).metadata
    missing = FULL_LANGUAGE_INFO - set(meta.get("language_info", {}))
    assert not missing, (f"{path.name} stores only part of language_info (missing {sorted(missing)}); "
                         "JupyterLab would mark it changed on opening. Run `make notebooks`.")
    assert meta["kernelspec"] == {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def test_executing_a_lesson_leaves_its_metadata_unchanged(tmp_path):
    committed = ROOT / "notebooks" / "00_welcome.ipynb"
    copy = tmp_path / committed.name
    shutil.copy(committed, copy)
    before = nbformat.read(committed, as_version=4).metadata
    after = execute_notebook(copy).metadata
    # The interpreter's patch version is the one field that depends on the machine: compare it only
    # when this Python is the one the notebooks were executed with.
    if before["language_info"].get("version") != platform.python_version():
        before["language_info"].pop("version", None)
        after["language_info"].pop("version", None)
    assert after == before
