"""An adversarial corpus of learner answers, written from the exercise statements (not from the checks).

Each module registers answers with ``ok`` (a correct answer: must pass) and ``bad`` (a wrong answer:
must not pass; ``names`` lists the misconception names that would be an honest diagnosis, and naming
anything else is a misleading name). ``python tests/corpus/report.py`` prints the counts per exercise.
"""
