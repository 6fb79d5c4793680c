"""Every entry of the misconception catalogue (generated from the registry) is reproduced through ``check``.

Declared misconceptions are shown by their ``example`` (a learner answer that makes that mistake); the
contract's own entries (wrong return type, changed input, state between calls, wrong exception, missing
shape check, wrong default) are shown by wrapping a correct answer from the corpus in the slip.
"""
import numpy as np
import pytest

from lessons_lib.checks import catalogue, get_exercise, list_exercises

from checks_helpers import run
from corpus import (answers_classification, answers_likelihood, answers_optimisation,  # noqa: F401
                    answers_practice, answers_quiz, answers_regression, answers_training)
from corpus.base import CORPUS, as_list, in_a_list, mutating, no_shape_check, stateful, with_assert

CONTRACT_NAMES = {"wrong_return_type", "changed_input", "state_between_calls", "wrong_exception",
                  "missing_shape_check", "wrong_default"}


def _declared():
    cases = []
    for ex in list_exercises():
        seen = set()
        for m in ex.misconceptions:
            if m.name in seen or m.name in CONTRACT_NAMES:
                continue
            seen.add(m.name)
            cases.append((ex.exercise_id, m.name, m.example))
    return cases


DECLARED = _declared()


def test_every_declared_entry_has_an_example():
    missing = [(e, n) for e, n, example in DECLARED if example is None]
    assert not missing, f"catalogue entries without a learner example: {missing}"


@pytest.mark.parametrize("exercise, name, example", DECLARED, ids=[f"{e}-{n}" for e, n, _ in DECLARED])
def test_declared_misconception_is_named_through_check(exercise, name, example):
    result = run(exercise, example)
    assert result.status == "failed" and result.misconception == name, result


def _correct(exercise):
    return next(answer for ex, answer, good, _, _ in CORPUS if ex == exercise and good and callable(answer))


def _contract_cases():
    cases = []
    for ex in list_exercises():
        if ex.contract is None:
            continue
        base = _correct(ex.exercise_id)
        scalar = ex.exercise_id not in {"mse_grad", "mae_grad", "softmax", "gd_step", "dense_forward",
                                        "dense_backward", "train_linear", "asymmetric_loss_grad",
                                        "momentum_step", "adam_step"}
        tuples = ex.exercise_id in {"dense_backward", "train_linear", "momentum_step", "adam_step"}
        if tuples:
            cases.append((ex.exercise_id, "wrong_return_type", _parts_as_lists(base)))
            cases.append((ex.exercise_id, "state_between_calls", _stateful_first_part(base)))
        else:
            cases.append((ex.exercise_id, "wrong_return_type", in_a_list(base) if scalar else as_list(base)))
            cases.append((ex.exercise_id, "state_between_calls", stateful(base)))
        index = 0 if ex.exercise_id in {"softmax", "gd_step", "gd_run", "train_linear"} else 1
        cases.append((ex.exercise_id, "changed_input", mutating(base, index)))
        if ex.contract.raises:
            formula = {"mse": lambda y, p: np.mean((y - p) ** 2), "mae": lambda y, p: np.mean(np.abs(y - p)),
                       "binary_cross_entropy": answers_classification.bce_formula}[ex.exercise_id]
            cases.append((ex.exercise_id, "wrong_exception", with_assert(formula)))
            cases.append((ex.exercise_id, "missing_shape_check", _flattening(formula)))
        if ex.contract.defaults:
            cases.append((ex.exercise_id, "wrong_default", _without_default(base, ALL_ARGUMENTS.get(ex.exercise_id, 3))))
    return cases


def _parts_as_lists(base):
    """Returns every array of the tuple as a nested Python list (.tolist())."""
    def answer(*args):
        return tuple(np.asarray(part).tolist() for part in base(*args))
    return answer


def _stateful_first_part(base):
    """Counts its calls in a closure, and the count leaks into the first returned array."""
    calls = [0]

    def answer(*args):
        calls[0] += 1
        first, *rest = base(*args)
        return (np.asarray(first) * (1 + 0.01 * (calls[0] - 1)), *rest)
    return answer


ALL_ARGUMENTS = {"train_linear": 5, "momentum_step": 5, "adam_step": 9}
"""How many arguments the exercises whose signature is not (y_true, y_pred, <default>) take in all."""


def _without_default(base, needed):
    """The correct answer with its defaulted arguments made required: def f(y_true, y_pred, delta)."""
    def answer(*args):
        if len(args) < needed:
            raise TypeError(f"answer() missing 1 required positional argument (got {len(args)} arguments)")
        return base(*args)
    return answer


def _flattening(formula):
    """Quietly reshapes predictions with as many values as the targets, instead of raising ValueError."""
    def answer(y_true, y_pred):
        y, p = np.asarray(y_true, float), np.asarray(y_pred, float)
        if p.size == y.size:
            p = p.reshape(y.shape)
        elif p.size == 1:
            p = np.full(y.shape, p.item())
        return formula(y, p)
    return answer


CONTRACT_CASES = _contract_cases()


@pytest.mark.parametrize("exercise, name, answer", CONTRACT_CASES, ids=[f"{e}-{n}" for e, n, _ in CONTRACT_CASES])
def test_contract_entry_is_named_through_check(exercise, name, answer):
    result = run(exercise, answer)
    assert result.status == "failed" and result.misconception == name, result


def test_every_catalogue_entry_is_tested():
    tested = {(e, n) for e, n, _ in DECLARED} | {(e, n) for e, n, _ in CONTRACT_CASES}
    listed = {(e, n) for e, _, found in catalogue.catalogue() for n in found}
    assert listed - tested == set(), sorted(listed - tested)


def test_registry_objects_have_the_grader_fields():
    for ex in list_exercises():
        assert ex.exercise_id and ex.title and ex.points >= 0
        assert get_exercise(ex.exercise_id) is ex
