"""evaluate() for the grader, the CheckResult display, the import footprint and the check's speed."""
import json
import subprocess
import sys
import time

import numpy as np
import pytest

from lessons_lib.checks import CheckResult, check, evaluate, get_exercise, list_exercises

from corpus.base import CORPUS
from corpus import answers_regression  # noqa: F401


def mse(y_true, y_pred):
    y, p = np.asarray(y_true, float), np.asarray(y_pred, float)
    if y.shape != p.shape:
        raise ValueError("shapes differ")
    return float(np.mean((y - p) ** 2))


def test_evaluate_prints_and_logs_nothing_and_ignores_hints(capsys, tmp_path, monkeypatch):
    log = tmp_path / "log.jsonl"
    monkeypatch.setenv("LESSONS_GRADE_LOG", str(log))
    result = evaluate("mse", mse)
    assert isinstance(result, CheckResult) and result.passed and result.points == 2
    assert capsys.readouterr().out == "" and not log.exists()
    check("mse", mse)
    assert "PASSED" in capsys.readouterr().out
    assert json.loads(log.read_text().splitlines()[0])["status"] == "passed"


def test_evaluate_accepts_a_call_forwarding_proxy():
    """The grader's proxy: forwards calls, returns plain data, raises the reported exception type, never
    lets the check see the code (no __code__, no defaults, no signature)."""
    class Proxy:
        def __call__(self, *args):
            args = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
            return float(mse(*args))

        def __getattr__(self, name):
            raise AttributeError(f"the proxy has no {name}")

    assert evaluate("mse", Proxy()).passed


def test_every_exercise_has_the_fields_the_grader_reads():
    for ex in list_exercises():
        assert get_exercise(ex.exercise_id).title and ex.points >= 0


def test_str_is_plain_text_and_html_is_escaped():
    result = CheckResult("mse", "failed", False, 0.0, 2.0, "got <script>alert(1)</script> & more", "forgot_mean")
    text = str(result)
    assert text.startswith("[NOT YET] mse (0/2 points): got <script>")
    assert all(ord(ch) < 128 for ch in text)  # no emoji needed to read it in a terminal or a log
    html = result._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html and "NOT YET" in html and "forgot_mean" in html
    labels = {s: CheckResult("x", s, s == "passed", 0, 1, "m").label for s in
              ("passed", "failed", "error", "not_attempted", "timeout")}
    assert labels == {"passed": "PASSED", "failed": "NOT YET", "error": "ERROR", "not_attempted": "NOT ATTEMPTED",
                      "timeout": "TIME LIMIT"}


def test_importing_the_checks_loads_neither_matplotlib_nor_ipywidgets():
    code = ("import sys, lessons_lib.checks as c; c.check('mse', lambda y, p: 0.0, quiet=True); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_same_answer_same_verdict():
    wrong = lambda y, p: round(mse(y, p), 3)  # noqa: E731
    first, second = evaluate("mse", wrong), evaluate("mse", wrong)
    assert first.to_dict() == second.to_dict() and not first.passed


def test_a_typical_check_is_fast():
    """Median over the corpus's regression answers; a loose bound (shared CI machines), the target is 0.1 s."""
    answers = [(e, a) for e, a, *_ in CORPUS if e in ("mse", "mae", "huber", "mse_grad")][:20]
    times = []
    for exercise, answer in answers:
        start = time.perf_counter()
        evaluate(exercise, answer)
        times.append(time.perf_counter() - start)
    assert sorted(times)[len(times) // 2] < 0.3


@pytest.mark.parametrize("exercise", ["mse", "binary_cross_entropy", "softmax_cross_entropy", "gd_step"])
def test_torch_tensors_are_accepted(exercise):
    torch = pytest.importorskip("torch")
    from lessons_lib import losses
    from lessons_lib.activations import softmax  # noqa: F401
    ref = {"mse": lambda y, p: torch.mean((torch.as_tensor(np.asarray(y, float)) - torch.as_tensor(np.asarray(p,
                                                                                                              float))) ** 2)
           if np.shape(y) == np.shape(p) else (_ for _ in ()).throw(ValueError("shapes")),
           "binary_cross_entropy": lambda y, p: torch.as_tensor(losses.binary_cross_entropy(y, p)),
           "softmax_cross_entropy": lambda y, z: torch.as_tensor(losses.softmax_cross_entropy(y, z)),
           "gd_step": lambda w, g, lr: torch.as_tensor(np.asarray(w, float)) - lr * torch.as_tensor(np.asarray(g,
                                                                                                               float))}
    assert evaluate(exercise, ref[exercise]).passed
