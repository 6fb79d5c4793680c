"""Automatic, diagnosing checks for the exercise notebooks.

``check("mse", mse)`` runs the learner's answer, prints one friendly verdict (naming the
misconception behind a wrong answer) and returns a ``CheckResult``; ``hint("mse")`` prints the next
hint. The engine is in ``core``; each topic module (``regression``, ``classification``, ...)
registers its exercises. See ``core``'s docstring for how to add one.
"""
from .core import CheckResult, check, hint, list_exercises, reset_hints

__all__ = ["check", "hint", "CheckResult", "list_exercises", "reset_hints"]
