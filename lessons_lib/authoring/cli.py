"""``python -m lessons_lib.authoring execute|exercises|check-exercises|release``."""
import argparse
import sys

from .kernels import CELL_TIMEOUT, execute_notebook
from .markers import generate_exercises, stale_exercises
from .release import build_release


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m lessons_lib.authoring",
                                     description="Execute lessons reproducibly and generate student exercises "
                                                 "from solutions.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("execute", help="execute notebooks in place and normalise them")
    run.add_argument("notebooks", nargs="+")
    run.add_argument("--timeout", type=int, default=CELL_TIMEOUT, help="seconds per cell")
    for name, text in (("exercises", "regenerate exercises/ from solutions/"),
                       ("check-exercises", "fail if exercises/ is out of date")):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--root", default=".", help="course root holding solutions/ and exercises/")
    rel = sub.add_parser("release", help="build the student bundle (no solutions, hidden tests or instructor cells)")
    rel.add_argument("--root", default=".", help="course root")
    rel.add_argument("--out", default="dist/release", help="bundle folder (a .tar.gz is written beside it)")
    args = parser.parse_args(argv)

    if args.command == "release":
        print(f"wrote {build_release(args.root, args.out)}")
        return 0

    if args.command == "execute":
        failed = 0
        for nb_path in args.notebooks:
            try:
                execute_notebook(nb_path, timeout=args.timeout)
                print(f"executed {nb_path}")
            except (RuntimeError, OSError, ValueError) as exc:
                failed += 1
                print(f"ERROR {exc}", file=sys.stderr)
        return 1 if failed else 0
    try:
        if args.command == "exercises":
            for path in generate_exercises(args.root):
                print(f"wrote {path}")
            return 0
        problems = stale_exercises(args.root)
    except ValueError as exc:
        print(f"ERROR {exc}", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print("Run `make exercises` (python -m lessons_lib.authoring exercises) and commit the result.",
              file=sys.stderr)
        return 1
    print("exercises/ is in sync with solutions/")
    return 0

