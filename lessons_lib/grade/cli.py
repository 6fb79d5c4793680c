"""Command line: ``lessons-grade SUBMISSIONS_DIR [--assignment 02_mse,...] [--jobs 2] [--resume] ...``."""
import argparse
import sys
import time
from pathlib import Path

from .batch import grade_course
from .reports import summary_lines, write_gradebook
from .sandbox import Limits

DESCRIPTION = "Grade student notebooks in sandboxes; write a gradebook, feedback and a class report."
EPILOG = """\
layouts: SUBMISSIONS_DIR/alice/02_mse.ipynb (a folder per student) or SUBMISSIONS_DIR/alice__02_mse.ipynb.
output (in --out): gradebook.csv (a row per student: status, points per notebook and exercise, total),
  grades.json (every detail; saved after each notebook), feedback/<student>.md, class_report.md, histogram.png.
exit status: 0 graded; 2 bad arguments or nothing to grade; 130 interrupted (the gradebook so far is valid).
Learner code runs in a resource-limited child process; verdicts are computed outside it."""


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = argparse.ArgumentParser(prog="lessons-grade", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("submissions", metavar="SUBMISSIONS_DIR", help="folder of student submissions")
    parser.add_argument("--assignment", metavar="NB[,NB...]",
                        help="notebooks of this homework, e.g. 02_mse (default: the notebooks submitted)")
    parser.add_argument("--solutions", default="solutions", metavar="DIR",
                        help="solution notebooks and hidden_tests/ (default: solutions)")
    parser.add_argument("--out", default="gradebook", metavar="DIR", help="output folder (default: gradebook)")
    parser.add_argument("--timeout", type=float, default=60, metavar="S",
                        help="seconds per cell or call before the sandbox is killed (default: 60)")
    parser.add_argument("--total-timeout", type=int, default=600, metavar="S",
                        help="CPU seconds per notebook (default: 600)")
    parser.add_argument("--memory", type=int, default=2048, metavar="MB",
                        help="memory per notebook in MB, 0 for none (default: 2048)")
    parser.add_argument("--jobs", type=int, default=2, metavar="N", help="notebooks graded in parallel (default: 2)")
    parser.add_argument("--resume", action="store_true",
                        help="reuse grades in --out for notebooks whose file has not changed")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    started = time.monotonic()
    bar = None
    try:
        limits = Limits(cell_timeout=args.timeout, cpu_seconds=args.total_timeout, memory_mb=args.memory)
        assignment = [s.strip() for s in args.assignment.split(",") if s.strip()] if args.assignment else None

        def progress(done, total, text):
            nonlocal bar
            if args.quiet:
                return
            if bar is None:
                from tqdm import tqdm
                bar = tqdm(total=total, unit="notebook", file=sys.stderr)
            bar.set_postfix_str(text[:40])
            bar.update(1)

        results = grade_course(args.submissions, args.solutions, assignment=assignment, limits=limits,
                               jobs=args.jobs, out_dir=args.out, resume=args.resume, progress=progress)
        write_gradebook(results, args.out)
    except (ValueError, OSError) as exc:
        print(f"lessons-grade: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"\nlessons-grade: interrupted; the notebooks graded so far are in {Path(args.out) / 'grades.json'} "
              "(run again with --resume to go on).", file=sys.stderr)
        return 130
    finally:
        if bar is not None:
            bar.close()
    for line in results["ignored"]:
        print(f"warning: {line}", file=sys.stderr)
    n_nb = sum(r["submitted"] for e in results["students"].values() for r in e["notebooks"].values())
    print(f"Graded {n_nb} notebook(s) of {len(results['students'])} student(s) "
          f"({', '.join(results['assignment'])}) in {time.monotonic() - started:.1f} s:")
    print("\n".join(summary_lines(results)))
    out = Path(args.out)
    print(f"Wrote {out / 'gradebook.csv'}, {out / 'grades.json'}, {out / 'class_report.md'} and {out / 'feedback'}/.")
    return 0
