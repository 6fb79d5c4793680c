"""Hidden tests: instructor-only tests kept as data beside the solutions (``solutions/hidden_tests/<stem>.py``).

They are loaded by the grader (trusted side) only; the package and the sandbox never contain them.
A hidden test is a function whose parameters name the learner's variables it needs; the grader
passes those values (functions as proxies that call into the sandbox) and the test passes when it
returns without raising. The learner sees only the first line of its docstring and pass/fail::

    @hidden_test("square-hidden", after="01-square-check", points=1)
    def square_hidden(square):
        '''square: one value worked out by hand.'''
        assert square(3.0) == 9.0

``after`` is the id of the solution cell after which the test runs (the learner's state at that
point); ``passes(exercise_id, value)`` tells whether a value passes an exercise's check.
"""
import importlib.util
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Callable


@dataclass(frozen=True)
class HiddenTest:
    """One hidden test: id, the cell it runs after, points, description, the names it needs, the function."""

    id: str
    after: str
    points: float
    description: str
    needs: tuple
    fn: Callable


def hidden_test(test_id, *, after, points):
    """Decorator marking a function as a hidden test (see the module docstring)."""
    def decorate(fn):
        doc = (inspect.getdoc(fn) or "").strip().splitlines()
        fn.hidden_test = HiddenTest(test_id, after, float(points), doc[0] if doc else test_id,
                                    tuple(inspect.signature(fn).parameters), fn)
        return fn
    return decorate


def passes(exercise_id, value):
    """True when ``value`` passes the check of ``exercise_id`` (computed by the grader, never by learner code)."""
    from .runner import evaluate
    return evaluate(exercise_id, value).passed


def run_in_notebook(stem, test_id, namespace):
    """Run one hidden test in a notebook kernel (nbgrader's way): an AssertionError naming only its
    description when it fails. The tests are read from ``$LESSONS_HIDDEN_TESTS`` (set by
    ``interchange.configure``), else from ``hidden_tests`` or ``solutions/hidden_tests`` under the
    working folder."""
    import os

    folder = os.environ.get("LESSONS_HIDDEN_TESTS")
    folder = Path(folder) if folder else next((p for p in (Path("hidden_tests"), Path("solutions") / "hidden_tests")
                                                if p.is_dir()), Path("hidden_tests"))
    test = {t.id: t for t in load_hidden_tests(folder.parent, stem, folder.name)}[test_id]
    try:
        test.fn(*(namespace[name] for name in test.needs))
    except Exception:
        raise AssertionError(f"hidden test failed: {test.description}") from None


def load_hidden_tests(solutions_dir, stem, folder="hidden_tests"):
    """The ``HiddenTest`` list of notebook ``stem`` (empty when it has no hidden-test file)."""
    path = Path(solutions_dir) / folder / f"{stem}.py"
    if not path.is_file():
        return []
    spec = importlib.util.spec_from_file_location(f"_lessons_hidden_{stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return [obj.hidden_test for obj in vars(module).values() if hasattr(obj, "hidden_test")]
