"""Automatic, diagnosing checks for the exercise notebooks.

``check("mse", mse)`` runs the learner's answer, shows one verdict (naming the misconception behind a
wrong answer, but only one that replaying reproduces) and returns a ``CheckResult``; ``hint("mse")``
prints the next hint. ``evaluate(exercise_id, submission)`` does the same silently (for the grader).

Modules: ``registry`` (exercises), ``engine`` (evaluate/check/hint, CheckResult), ``timeguard`` (the
time limit), ``diagnosis`` (comparison, contracts, the replay rule), ``catalogue`` (the README table),
and the topic modules below, imported explicitly so that the registry is complete. Importing this
package loads neither matplotlib nor ipywidgets (the quiz's interactive ``ask`` is in
``lessons_lib.widgets``).
"""
from . import classification, practice, quiz, regression, training  # noqa: F401  (each registers its exercises)
from .engine import CheckResult, check, evaluate, hint, reset_hints
from .registry import get_exercise, list_exercises

__all__ = ["check", "hint", "evaluate", "CheckResult", "get_exercise", "list_exercises", "reset_hints"]
