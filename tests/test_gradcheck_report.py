"""The gradient checker's one-line verdict names the test it applied and never contradicts itself."""
import numpy as np

from lessons_lib.gradcheck import check_gradient


def square_sum(v):
    return float((v ** 2).sum())


def test_passing_report_states_the_test_and_no_contradicting_measure():
    result = check_gradient(square_sum, lambda v: 2 * v, np.array([1.0, -2.0, 0.5]))
    text = str(result)
    assert result.ok and text.startswith("gradient OK")
    assert "|analytic - numeric| <= 1e-07 + 1e-05 * |numeric|" in text
    assert "all 3 entries pass" in text
    assert "relative error" not in text  # the measure it does not use is not printed beside the one it uses


def test_failing_report_counts_the_failures_and_shows_the_worst_entry():
    x = np.array([1.0, 2.0, 3.0])
    analytic = lambda v: np.array([2.0, 4.0, 6.3]) * v / x  # noqa: E731  (last entry 5 % too large)
    result = check_gradient(square_sum, analytic, x)
    text = str(result)
    assert not result.ok and text.startswith("gradient MISMATCH")
    assert "1 of 3 entries fail" in text and "Worst entry (2,)" in text
    assert "analytic 6.3, numeric 6" in text and "difference 3.00e-01" in text
    allowed = 1e-7 + 1e-5 * 6.0
    assert f"allowed {allowed:.2e}" in text


def test_tolerances_are_the_ones_passed_and_decide_the_verdict():
    x = np.array([1.0])
    nearly = lambda v: 2 * v * (1 + 1e-4)  # noqa: E731  relative error 1e-4
    assert not check_gradient(square_sum, nearly, x)                    # default rtol 1e-5
    loose = check_gradient(square_sum, nearly, x, rtol=1e-3)
    assert loose and "1e-07 + 0.001 * |numeric|" in str(loose) and "the one entry passes" in str(loose)
    assert loose.allowed()[0] == 1e-7 + 1e-3 * abs(loose.numeric[0])
