"""Interchange with nbgrader: the configuration that makes the solution notebooks a working nbgrader course.

In an nbgrader course, put the solution notebooks in ``source/<assignment>/`` and write this
``nbgrader_config.py``::

    from lessons_lib.grade.interchange import configure
    configure(c, hidden_tests="path/to/solutions/hidden_tests")

It (1) removes cells tagged ``instructor`` from the student release, (2) keeps any
``hidden_tests`` folder out of the release, (3) makes each graded ``check(...)`` cell raise under
``nbgrader autograde`` when the check does not pass (nbgrader scores a cell by whether it raises)
and (4) tells the hidden-test cells where the hidden tests are (``LESSONS_HIDDEN_TESTS``). The
scores then agree with ``lessons-grade`` for answers that are fully right or fully wrong (nbgrader
has no partial credit for a cell).
"""
import os

from nbconvert.preprocessors import Preprocessor

from .runner import check_call

INSTRUCTOR_TAG = "instructor"


class RemoveInstructorCells(Preprocessor):
    """Drop the cells tagged ``instructor`` (timings, rubrics, discussion notes)."""

    enabled = True  # nbconvert preprocessors are off unless enabled

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if INSTRUCTOR_TAG not in c.get("metadata", {}).get("tags", [])]
        return nb, resources


def raising_check_source(source):
    """``source`` of a check cell, plus an ``assert`` that fails when the check does not pass (else None).

    The cell is read the way the grader reads it (``runner.check_call``)."""
    found = check_call(source)
    if found is None:
        return None
    exercise, argument, name = found
    if name is not None:
        return f"{source}\nassert {name}.status == 'passed', {name}.message"
    return (f"_lessons_check = check({exercise!r}, {argument})\n"
            "assert _lessons_check.status == 'passed', _lessons_check.message")


class RaiseOnFailedCheck(Preprocessor):
    """Before nbgrader executes a submission: graded check cells assert that their check passed."""

    enabled = True

    def preprocess_cell(self, cell, resources, index):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            new = raising_check_source(cell.source)
            if new is not None:
                cell.source = new
        return cell, resources


def configure(c, hidden_tests=None):
    """Apply the course's settings to an nbgrader config object ``c`` (see the module docstring)."""
    from nbgrader.converters.autograde import Autograde
    from nbgrader.converters.generate_assignment import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory

    def default(cls, name):
        return list(cls.class_traits()[name].default())

    c.GenerateAssignment.preprocessors = [RemoveInstructorCells] + default(GenerateAssignment, "preprocessors")
    c.Autograde.autograde_preprocessors = [RaiseOnFailedCheck] + default(Autograde, "autograde_preprocessors")
    c.CourseDirectory.ignore = default(CourseDirectory, "ignore") + ["hidden_tests"]
    if hidden_tests is not None:
        os.environ["LESSONS_HIDDEN_TESTS"] = os.path.abspath(hidden_tests)
