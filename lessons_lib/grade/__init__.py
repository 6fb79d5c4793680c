"""Batch grading that learner code cannot fool: verdicts are computed outside the learner's process.

    lessons-grade SUBMISSIONS_DIR [--assignment 02_mse[,03_...]] [--jobs 2] [--resume] [--out gradebook]

Parts: ``submissions`` (which file is whose notebook, ignored files), ``sandbox`` (the resource-limited
child that runs learner cells, forked from a pre-started fork server; ``Limits``), ``wire`` (the
JSON data format between the two), ``runner`` (the trusted side: checks and hidden tests on values
fetched from the sandbox, crash isolation), ``hidden`` (hidden tests, data kept with solutions/),
``scoring`` (items, statuses, answers that call the reference), ``batch`` (a class, resumable),
``reports`` (gradebook, feedback, class report) and ``cli``.
"""
from .batch import grade_course, grade_submission, load_course
from .cli import main
from .reports import write_gradebook
from .sandbox import Limits

__all__ = ["grade_course", "grade_submission", "load_course", "main", "write_gradebook", "Limits"]
