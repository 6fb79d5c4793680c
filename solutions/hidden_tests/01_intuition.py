"""Hidden tests of 01_intuition (instructor only: never in the student release or the sandbox)."""
from lessons_lib.grade.hidden import hidden_test, passes


@hidden_test("intuition_misses", after="01-intuition-11", points=2)
def intuition_misses(mean_miss, mean_squared_miss):
    """The two numbers are right, and the signed mean (0) would not pass."""
    assert passes("throw_mean_miss", mean_miss)
    assert passes("throw_mean_squared_miss", mean_squared_miss)
    assert not passes("throw_mean_miss", 0.0)
