"""Authoring tools: generate student exercises from solutions (``markers``) and execute lessons
reproducibly (``kernels``).

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
  a cell left empty, or holding only a docstring, is dropped). The grader's hidden tests are
  data in ``solutions/hidden_tests/``, never in a notebook.
* cells tagged ``instructor`` are instructor notes (removed).
"""
from .kernels import (CELL_METADATA_KEPT, CELL_TIMEOUT, KERNEL_START_ATTEMPTS, NB_METADATA_KEPT, SKIP_SLIDES_TAG,
                      execute_notebook, kernel_env, kernel_lost_start_race, normalise, retry_lost_start_race, run,
                      slide_type)
from .markers import (EXERCISE_CELL_METADATA_KEPT, INSTRUCTOR_TAG, KERNEL_NAME, MARKDOWN_STUB, MarkerError,
                      code_stub, exercise_pairs, expected_exercise_text, generate_exercises, has_region,
                      is_answer_cell, is_instructor_cell, make_exercise, replace_regions, require_cell_ids,
                      stale_exercises, student_cell)
from .cli import main

__all__ = ["CELL_METADATA_KEPT", "CELL_TIMEOUT", "KERNEL_START_ATTEMPTS", "NB_METADATA_KEPT", "SKIP_SLIDES_TAG",
           "execute_notebook", "kernel_env", "kernel_lost_start_race", "normalise", "retry_lost_start_race", "run",
           "slide_type", "EXERCISE_CELL_METADATA_KEPT", "INSTRUCTOR_TAG", "KERNEL_NAME", "MARKDOWN_STUB",
           "MarkerError", "code_stub", "exercise_pairs", "expected_exercise_text", "generate_exercises",
           "has_region", "is_answer_cell", "is_instructor_cell", "make_exercise", "replace_regions",
           "require_cell_ids", "stale_exercises", "student_cell", "main"]
