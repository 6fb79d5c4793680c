"""Automatic, diagnosing checks for the exercise notebooks.

``check("mse", mse)`` runs the learner's answer, shows one verdict (naming the misconception behind a
wrong answer, but only one that replaying reproduces) and returns a ``CheckResult``; ``hint("mse")``
prints the next hint. ``evaluate(exercise_id, submission)`` does the same silently (for the grader).

Modules: ``registry`` (exercises), ``engine`` (evaluate/check/hint, CheckResult), ``timeguard`` (the
time limit), ``diagnosis`` (comparison, contracts, the replay rule), ``parts`` (answers that return
several things), ``catalogue`` (the README table),
and the topic modules below (``optimisation``, ``likelihood`` and ``practice`` hold lessons 10, 11 and 12's),
imported explicitly so that the registry is complete. Importing this package loads neither matplotlib
nor ipywidgets (the quiz's interactive ``ask`` is in ``lessons_lib.widgets``).

How to register a function exercise (in a topic module such as ``checks/regression.py``)::

    FORGOT_MEAN = Misconception("forgot_mean", "You summed the squared errors; divide by n.",
                                lambda y_true, y_pred: np.sum((y_pred - y_true) ** 2))
    MSE_CONTRACT = Contract(raises=[...], random=regression_probes, seed=2)

    @register("mse", title="Implement mse", points=2, hints=["..."], misconceptions=[FORGOT_MEAN],
              contract=MSE_CONTRACT)
    def check_mse(submission):
        return diagnose_function(submission, losses.mse, PROBES, [FORGOT_MEAN], contract=MSE_CONTRACT)

(``Misconception``, ``Contract`` and ``diagnose_function`` come from ``diagnosis``, ``register`` from
``registry``.)
"""
from . import (  # noqa: F401  (each registers its exercises)
    classification, likelihood, optimisation, practice, quiz, regression, training,
)
from .engine import CheckResult, check, evaluate, hint, reset_hints
from .registry import get_exercise, list_exercises

__all__ = ["check", "hint", "evaluate", "CheckResult", "get_exercise", "list_exercises", "reset_hints"]
