"""The registry of exercises: id, title, points, hints, time limit, checker and declared misconceptions.

Topic modules register their exercises with ``@register(...)``; ``lessons_lib.checks`` imports every
topic module explicitly, so the registry is complete as soon as the package is imported. The README's
misconception catalogue is generated from ``Exercise.catalogue()`` (see ``checks.catalogue``).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable

__all__ = ["Exercise", "register", "get_exercise", "list_exercises", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 5.0
"""Seconds a whole check may take before the learner's code is cut off."""


@dataclass(frozen=True)
class Exercise:
    """A registered exercise.

    ``misconceptions``: the named mistakes its check can diagnose (``Misconception`` objects, each with
    a name, a one-line description and a way to reproduce it); ``contract``: what a function answer
    must return, raise and default to (``Contract``), or None for value answers.
    """

    exercise_id: str
    title: str
    points: float
    hints: tuple
    checker: Callable
    timeout: float
    module: str
    misconceptions: tuple = ()
    contract: object = None

    @property
    def id(self):
        return self.exercise_id

    def catalogue(self):
        """[(name, one-line description)] of every mistake the check can name, first occurrence of each name."""
        seen = {}
        entries = list(self.misconceptions)
        if self.contract is not None:
            entries += list(self.contract.misconceptions())
        for m in entries:
            seen.setdefault(m.name, m.description)
        return list(seen.items())


_REGISTRY: dict[str, Exercise] = {}


def register(exercise_id, *, title, points=1, hints=(), timeout=DEFAULT_TIMEOUT, misconceptions=(), contract=None):
    """Decorator: register ``checker(submission)`` for ``exercise_id``. Returns the checker unchanged.

    Registering an id twice from different modules is a ValueError (ids are course-wide).
    ``misconceptions``: a list of ``Misconception``, or for multiple choice a dict {wrong letter: Misconception}.
    """
    if not isinstance(exercise_id, str) or not exercise_id.isidentifier():
        raise ValueError(f"exercise_id must be a short identifier such as 'mse_grad', got {exercise_id!r}.")
    if points < 0:
        raise ValueError(f"points must be >= 0, got {points}.")

    if isinstance(misconceptions, dict):  # multiple choice: {wrong letter: Misconception}; the letter shows it
        for letter, m in misconceptions.items():
            if getattr(m, "example", None) is None:
                m.example = letter
        misconceptions = list(misconceptions.values())

    def decorate(checker):
        old = _REGISTRY.get(exercise_id)
        if old is not None and old.module != checker.__module__:
            raise ValueError(f"exercise id {exercise_id!r} is already registered by {old.module}; pick another id.")
        _REGISTRY[exercise_id] = Exercise(exercise_id, title, float(points), tuple(hints), checker, timeout,
                                          checker.__module__, tuple(misconceptions), contract)
        return checker

    return decorate


def get_exercise(exercise_id):
    """The registered ``Exercise``; ValueError listing the valid ids for an unknown one."""
    try:
        return _REGISTRY[exercise_id]
    except (KeyError, TypeError):
        ids = sorted(_REGISTRY)
        close = difflib.get_close_matches(str(exercise_id), ids, n=1)
        guess = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown exercise {exercise_id!r}.{guess} Valid ids: {', '.join(ids)}.") from None


def list_exercises():
    """All registered exercises, sorted by id."""
    return [_REGISTRY[k] for k in sorted(_REGISTRY)]
