"""The adversarial corpus (tests/corpus): zero false accepts, zero false rejects, zero misleading names."""
from collections import Counter

from corpus import report
from corpus.base import CORPUS

from lessons_lib.checks import list_exercises


def test_corpus_is_large_and_covers_every_function_exercise():
    assert len(CORPUS) >= 400
    per = Counter((e, good) for e, _, good, _, _ in CORPUS)
    labels = {}
    for e, _, good, _, label in CORPUS:
        if not good:
            labels.setdefault(e, set()).add(label)
    for ex in list_exercises():
        if ex.contract is not None:  # a function exercise
            assert per[(ex.exercise_id, True)] >= 4, ex.exercise_id
            assert len(labels.get(ex.exercise_id, ())) >= 8, ex.exercise_id


def test_no_false_accepts_no_false_rejects_no_misleading_names():
    rows = report.run()
    problems = {e: {k: r[k] for k in ("false_accept", "false_reject", "misleading") if r[k]} for e, r in rows.items()}
    problems = {e: p for e, p in problems.items() if p}
    assert not problems, problems
