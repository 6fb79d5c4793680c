"""The README's generated parts match what they describe."""
from pathlib import Path

from lessons_lib.checks import catalogue

README = Path(__file__).resolve().parents[1] / "README.md"


def test_misconception_catalogue_in_readme_is_current():
    block = catalogue.readme_block(README.read_text(encoding="utf-8"))
    assert block is not None, "README.md lost its catalogue markers"
    assert block == catalogue.markdown(), (
        "The README's misconception table is out of date: run "
        "`python -m lessons_lib.checks.catalogue --readme README.md`.")


def test_catalogue_covers_every_exercise_that_diagnoses_mistakes():
    from lessons_lib.checks import list_exercises

    rows = {exercise_id: found for exercise_id, _, found in catalogue.catalogue()}
    assert set(rows) == {e.id for e in list_exercises()}
    # the core mistakes the course promises to recognise are all in the table
    named = set().union(*rows.values())
    for name in ["forgot_mean", "forgot_square", "used_abs", "used_square", "returned_rmse", "missing_minus",
                 "swapped_args", "log_base_10", "no_clamp", "softmax_overflow", "softmax_wrong_axis",
                 "cce_wrong_axis", "broadcast_trap", "grad_missing_2", "grad_missing_1_over_n",
                 "gradient_ascent"]:
        assert name in named, name


def test_update_readme_rewrites_only_the_block(tmp_path):
    path = tmp_path / "README.md"
    path.write_text(f"intro\n{catalogue.BEGIN}\nstale\n{catalogue.END}\noutro\n", encoding="utf-8")
    assert catalogue.update_readme(path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("intro\n") and text.endswith("outro\n") and "stale" not in text
    assert catalogue.readme_block(text) == catalogue.markdown()
    assert not catalogue.update_readme(path)  # idempotent
