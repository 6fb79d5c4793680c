"""The time guard cannot be swallowed, and the stated limit is the real one (within 1 s)."""
import threading
import time

import numpy as np
import pytest

from lessons_lib import losses
from lessons_lib.checks import evaluate, registry
from lessons_lib.checks.diagnosis import Contract, diagnose_function
from lessons_lib.checks.registry import register

LIMIT = 1.0
PROBES = [{"y_true": np.array([1.0, 2.0, 3.0]), "y_pred": np.array([1.5, 2.0, 2.0])}]


@pytest.fixture
def slow_exercise():
    @register("demo_guard", title="demo", points=1, timeout=LIMIT)
    def checker(submission):
        return diagnose_function(submission, losses.mse, PROBES, contract=Contract())

    yield "demo_guard"
    registry._REGISTRY.pop("demo_guard", None)


def correct(y_true, y_pred):
    return float(np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2))


def swallows_then_answers(y_true, y_pred):
    try:
        while True:
            pass
    except BaseException:  # a learner's catch-all, then carries on as if nothing happened
        pass
    return correct(y_true, y_pred)


def retries_forever(y_true, y_pred):
    while True:
        try:
            time.sleep(10)
        except:  # noqa: E722  a bare except inside a retry loop
            pass


def retries_five_times(y_true, y_pred):
    for _ in range(5):
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                pass
        except:  # noqa: E722
            continue
    return correct(y_true, y_pred)


def nested_catchers(y_true, y_pred):
    for _ in range(2):
        try:
            try:
                time.sleep(2)
            except BaseException:
                time.sleep(2)
        except BaseException:
            pass
    return correct(y_true, y_pred)


@pytest.mark.parametrize("answer", [swallows_then_answers, retries_forever, retries_five_times])
def test_swallowing_the_interruption_is_still_a_timeout_within_the_limit(slow_exercise, answer):
    start = time.monotonic()
    result = evaluate(slow_exercise, answer)
    took = time.monotonic() - start
    assert result.status == "timeout" and not result.passed and result.points == 0, result
    assert f"{LIMIT:g} s" in result.message
    assert took < LIMIT + 1.0, f"the {LIMIT} s limit took {took:.2f} s"


def test_two_nested_catch_alls_still_get_a_timeout_verdict(slow_exercise):
    """The documented limit: the run may outlast the limit, but the verdict is decided by the guard's record."""
    result = evaluate(slow_exercise, nested_catchers)
    assert result.status == "timeout" and result.points == 0, result


def test_a_swallowed_timeout_does_not_leak_into_the_next_check(slow_exercise):
    assert evaluate(slow_exercise, swallows_then_answers).status == "timeout"
    result = evaluate(slow_exercise, correct)
    assert result.status == "passed", result
    assert evaluate(slow_exercise, swallows_then_answers).status == "timeout"


def test_limit_is_real_not_stretched_or_shortened(slow_exercise):
    def sleeps(seconds):
        def answer(y_true, y_pred):
            time.sleep(seconds)
            return correct(y_true, y_pred)
        return answer
    assert evaluate(slow_exercise, sleeps(0.2)).status == "passed"
    start = time.monotonic()
    assert evaluate(slow_exercise, sleeps(30)).status == "timeout"
    assert abs(time.monotonic() - start - LIMIT) < 1.0


def test_guard_outside_the_main_thread(slow_exercise):
    box = {}
    worker = threading.Thread(target=lambda: box.setdefault("r", evaluate(slow_exercise, retries_forever)))
    worker.start()
    worker.join(LIMIT + 3)
    assert box["r"].status == "timeout"
