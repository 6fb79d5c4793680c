"""The misconception catalogue: which named mistakes each exercise's check can diagnose.

    python -m lessons_lib.checks.catalogue                    # print the Markdown table
    python -m lessons_lib.checks.catalogue --readme README.md  # refresh the README's copy of it

Generated from the registry (``Exercise.catalogue()``: the misconceptions declared with each exercise,
plus the contract's own entries such as ``changed_input`` or ``state_between_calls``); no source code
is read.
"""
from pathlib import Path

from .registry import list_exercises


def catalogue():
    """[(exercise id, title, {misconception name: one-line description})] for every registered exercise."""
    return [(e.exercise_id, e.title, dict(e.catalogue())) for e in list_exercises()]


def markdown():
    """The catalogue as a Markdown table: one row per exercise that names misconceptions."""
    lines = ["| exercise | what it asks | misconceptions the check names |", "|---|---|---|"]
    for exercise_id, title, found in catalogue():
        if found:
            names = ", ".join(f"`{name}`" for name in sorted(found))
            lines.append(f"| `{exercise_id}` | {title} | {names} |")
    return "\n".join(lines)


BEGIN, END = "<!-- CATALOGUE:BEGIN -->", "<!-- CATALOGUE:END -->"


def readme_block(text):
    """The catalogue part of a README text (between the two markers), or None when absent."""
    start, stop = text.find(BEGIN), text.find(END)
    return text[start + len(BEGIN):stop].strip() if 0 <= start < stop else None


def update_readme(path):
    """Rewrite the catalogue between the markers of the README at ``path``; True when it changed."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if readme_block(text) is None:
        raise ValueError(f"{path} has no {BEGIN} ... {END} markers to fill in.")
    start, stop = text.find(BEGIN) + len(BEGIN), text.find(END)
    new = text[:start] + "\n" + markdown() + "\n" + text[stop:]
    path.write_text(new, encoding="utf-8")
    return new != text


def main(argv=None):
    import argparse

    from . import check  # noqa: F401  (importing the package registers every exercise)
    parser = argparse.ArgumentParser(prog="python -m lessons_lib.checks.catalogue",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--readme", metavar="PATH", help="rewrite the catalogue table in this README in place")
    args = parser.parse_args(argv)
    if args.readme:
        print(f"{args.readme}: {'updated' if update_readme(args.readme) else 'already up to date'}")
    else:
        print(markdown())


if __name__ == "__main__":
    main()
