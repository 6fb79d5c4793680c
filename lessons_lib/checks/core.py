"""One import point for exercise authors (and older code): the check machinery, re-exported.

The machinery lives in modules with one job each: ``registry`` (exercises and their declared
misconceptions), ``engine`` (``evaluate``/``check``/``hint`` and ``CheckResult``), ``timeguard`` (the
time limit) and ``diagnosis`` (comparison with the reference, contracts, the replay rule).

How to register a function exercise (in a topic module such as ``checks/regression.py``)::

    FORGOT_MEAN = Misconception("forgot_mean", "You summed the squared errors; divide by n.",
                                lambda y_true, y_pred: np.sum((y_true - y_pred) ** 2))
    MSE_CONTRACT = Contract(raises=[...], random=regression_probes, seed=2)

    @register("mse", title="Implement mse", points=2, hints=["..."], misconceptions=[FORGOT_MEAN],
              contract=MSE_CONTRACT)
    def check_mse(submission):
        return diagnose_function(submission, losses.mse, PROBES, [FORGOT_MEAN], contract=MSE_CONTRACT)
"""
from .diagnosis import (  # noqa: F401
    CHANGED_INPUT, MIN_FREE_TEXT, NO_EXCEPTION, STATE_BETWEEN_CALLS, WRONG_DEFAULT, WRONG_EXCEPTION, WRONG_TYPE,
    Contract, Misconception, Probe, _call_if_function, _copy_inputs, _describe_inputs, accept_free_text,
    compare_choice, compare_ranking, compare_value, describe, diagnose_function,
)
from .engine import (  # noqa: F401
    STATUS_LABELS, STATUSES, CheckResult, NotAttempted, StudentError, Verdict, check, evaluate, failed,
    guarded_call, hint, passed, reset_hints,
)
from .registry import DEFAULT_TIMEOUT, Exercise, get_exercise, list_exercises, register  # noqa: F401
from .timeguard import CheckTimeout, TimeGuard  # noqa: F401

__all__ = [
    "CheckResult", "Verdict", "Misconception", "Probe", "Contract", "register", "check", "evaluate", "hint",
    "reset_hints", "list_exercises", "get_exercise", "diagnose_function", "compare_value", "compare_choice",
    "compare_ranking", "accept_free_text", "guarded_call", "passed", "failed", "describe", "NotAttempted",
    "StudentError", "CheckTimeout", "STATUSES", "DEFAULT_TIMEOUT",
]
