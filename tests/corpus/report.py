"""Run every corpus answer through ``lessons_lib.checks.evaluate`` and count what went wrong, per exercise.

    python tests/corpus/report.py           # one line per exercise, then the totals
    python tests/corpus/report.py -v        # also every false accept, false reject and misleading name

false accept: a wrong answer passed. false reject: a correct answer did not pass. misleading name: a wrong
answer was diagnosed as a misconception its author did not make. ("*" marks a wrong option of a multiple-
choice question: the option's own catalogued misconception is, by construction, what the learner chose.)
"""
import sys
import time
from collections import defaultdict
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    __package__ = "corpus"

from lessons_lib.checks import evaluate  # noqa: E402

from . import (answers_classification, answers_likelihood, answers_optimisation,  # noqa: E402,F401
                answers_practice, answers_quiz, answers_regression, answers_torch, answers_training)
from .base import CORPUS  # noqa: E402


def run():
    """{exercise: {"ok": n, "bad": n, "false_accept": [...], "false_reject": [...], "misleading": [...], "seconds": [...]}}."""
    rows = defaultdict(lambda: {"ok": 0, "bad": 0, "false_accept": [], "false_reject": [], "misleading": [],
                                "seconds": []})
    for exercise, answer, should_pass, names, label in CORPUS:
        row = rows[exercise]
        start = time.perf_counter()
        result = evaluate(exercise, answer)
        row["seconds"].append(time.perf_counter() - start)
        if should_pass:
            row["ok"] += 1
            if not result.passed:
                row["false_reject"].append((label, result.status, result.message))
        else:
            row["bad"] += 1
            if result.passed:
                row["false_accept"].append((label, result.message))
            elif result.misconception is not None and result.misconception not in names and "*" not in names:
                row["misleading"].append((label, result.misconception, result.message))
    return dict(rows)


def main(argv=None):
    verbose = "-v" in (argv if argv is not None else sys.argv[1:])
    rows = run()
    print(f"{'exercise':36} {'ok':>4} {'bad':>4} {'FA':>3} {'FR':>3} {'MN':>3} {'median s':>9}")
    totals = [0, 0, 0, 0, 0]
    for exercise in sorted(rows):
        r = rows[exercise]
        fa, fr, mn = len(r["false_accept"]), len(r["false_reject"]), len(r["misleading"])
        med = sorted(r["seconds"])[len(r["seconds"]) // 2]
        print(f"{exercise:36} {r['ok']:4} {r['bad']:4} {fa:3} {fr:3} {mn:3} {med:9.4f}")
        for i, v in enumerate((r["ok"], r["bad"], fa, fr, mn)):
            totals[i] += v
        if verbose:
            for item in r["false_accept"]:
                print("   FALSE ACCEPT", item)
            for item in r["false_reject"]:
                print("   FALSE REJECT", item)
            for item in r["misleading"]:
                print("   MISLEADING", item)
    print(f"{'total':36} {totals[0]:4} {totals[1]:4} {totals[2]:3} {totals[3]:3} {totals[4]:3}")
    return totals


if __name__ == "__main__":
    main()
