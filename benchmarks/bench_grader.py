"""Benchmark: grade 40 generated submissions of exercises/02_mse.ipynb (mixed quality) with --jobs 2.

    python benchmarks/bench_grader.py [--students 40] [--jobs 2] [--nbgrader] [--whole-class]

Prints the wall-clock time (fork server start-up included), seconds per submission and the peak
memory of one sandbox child beyond the fork server. Target on 2 cores: all 40 in <= 6 s. With
``--nbgrader`` (and nbgrader installed) the same notebooks are also autograded by nbgrader, one
after the other, for comparison.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANSWERS = {
    "02-mse-by-hand-answer": ["mse_by_hand = 400", "mse_by_hand = 20", "mse_by_hand = ..."],
    "02-mse-penalty-ratio-answer": ["mse_ratio, mae_ratio = 100.0, 10.0", "mse_ratio, mae_ratio = 10.0, 10.0"],
    "02-mse-answer": [
        "def mse(y_true, y_pred):\n    y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)\n"
        "    if y_true.shape != y_pred.shape:\n        raise ValueError('shapes differ')\n"
        "    return float(np.mean((y_true - y_pred) ** 2))",
        "def mse(y_true, y_pred):\n    return float(np.sum((np.asarray(y_true) - np.asarray(y_pred)) ** 2))",
        "def mse(y_true, y_pred):\n    return float(np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2))",
    ],
    "02-mse-grad-answer": [
        "def mse_grad(y_true, y_pred):\n    return 2 * (np.asarray(y_pred, float) - y_true) / np.size(y_pred)",
        "def mse_grad(y_true, y_pred):\n    return 2 * (np.asarray(y_true, float) - y_pred) / np.size(y_pred)",
    ],
    "02-rmse-answer": ["def rmse(y_true, y_pred):\n    return float(np.sqrt(mse(y_true, y_pred)))",
                       "def rmse(y_true, y_pred):\n    return mse(y_true, y_pred)"],
}


def make_class(folder, n):
    """``n`` students, each a different mix of right and wrong answers (deterministic)."""
    nb = json.loads((ROOT / "exercises" / "02_mse.ipynb").read_text(encoding="utf-8"))
    for k in range(n):
        mine = json.loads(json.dumps(nb))
        for j, cell in enumerate(mine["cells"]):
            options = ANSWERS.get(cell["id"])
            if options:
                cell["source"] = options[(k * (j + 3)) % len(options)]
        (Path(folder) / f"student{k:02d}").mkdir(parents=True)
        (Path(folder) / f"student{k:02d}" / "02_mse.ipynb").write_text(json.dumps(mine), encoding="utf-8")


def make_whole_class(folder, n):
    """``n`` students with every exercise notebook: alternately the solutions and the untouched exercises."""
    for k in range(n):
        source = ROOT / ("solutions" if k % 2 == 0 else "exercises")
        (Path(folder) / f"student{k:02d}").mkdir(parents=True)
        for path in sorted(source.glob("*.ipynb")):
            shutil.copy(path, Path(folder) / f"student{k:02d}" / path.name)


def run_nbgrader(course, *args):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    subprocess.run([str(Path(sys.executable).parent / "nbgrader"), *args], cwd=course, env=env, check=True,
                   capture_output=True)


def prepare_nbgrader_course(course, submitted):
    """An nbgrader course with 02_mse released (course configuration) and the same submissions."""
    (course / "source" / "02_mse").mkdir(parents=True)
    shutil.copy(ROOT / "solutions" / "02_mse.ipynb", course / "source" / "02_mse")
    (course / "nbgrader_config.py").write_text(
        "from lessons_lib.grade.interchange import configure\n"
        f"c = get_config()\nconfigure(c, hidden_tests={str(ROOT / 'solutions' / 'hidden_tests')!r})\n"
        f"c.CourseDirectory.root = {str(course)!r}\n", encoding="utf-8")
    run_nbgrader(course, "generate_assignment", "02_mse", "--force")
    for student in sorted(p.name for p in Path(submitted).iterdir()):
        target = course / "submitted" / student / "02_mse"
        target.mkdir(parents=True)
        shutil.copy(Path(submitted) / student / "02_mse.ipynb", target)


def child_memory_mb(limits):
    """Resident memory a sandbox child adds beyond the fork server after running a perfect notebook."""
    from lessons_lib.grade.sandbox import Sandbox

    with Sandbox(limits) as box:
        box.request({"op": "run", "source": "import numpy as np\nfrom lessons_lib.checks import check"})
        reply = box.request({"op": "run", "source": "import resource\nprint(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"})
        return int(reply["output"].split()[0]) / 1024


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--nbgrader", action="store_true", help="also time nbgrader autograde when installed")
    parser.add_argument("--whole-class", action="store_true",
                        help="also grade every student's exercise notebooks (target: 40 students in <= 60 s)")
    args = parser.parse_args(argv)
    from lessons_lib.grade import Limits, grade_course

    with tempfile.TemporaryDirectory() as tmp:
        subs = Path(tmp) / "submitted"
        make_class(subs, args.students)
        limits = Limits(cell_timeout=30)
        start = time.perf_counter()
        results = grade_course(subs, ROOT / "solutions", assignment=["02_mse"], limits=limits, jobs=args.jobs)
        took = time.perf_counter() - start
        totals = sorted(e["points"] for e in results["students"].values())
        print(f"lessons-grade --jobs {args.jobs}: {args.students} submissions in {took:.2f} s "
              f"({took / args.students:.3f} s each; target: all in <= 6 s); totals from {totals[0]:g} to {totals[-1]:g}")
        print(f"one sandbox child: {child_memory_mb(limits):.0f} MB peak resident (shared pages of the fork server included)")
        if args.whole_class:
            whole = Path(tmp) / "whole"
            make_whole_class(whole, args.students)
            start = time.perf_counter()
            grade_course(whole, ROOT / "solutions", limits=limits, jobs=args.jobs)
            took_all = time.perf_counter() - start
            notebooks = len(list((ROOT / "solutions").glob("*.ipynb")))
            print(f"whole class: {args.students} students x {notebooks} notebooks in {took_all:.1f} s "
                  "(target: <= 60 s)")
        if args.nbgrader:
            if not (Path(sys.executable).parent / "nbgrader").exists():
                print("nbgrader: not installed, comparison skipped")
                return 0
            course = Path(tmp) / "nbgrader"
            prepare_nbgrader_course(course, subs)
            start = time.perf_counter()
            run_nbgrader(course, "autograde", "02_mse", "--create", "--force")
            nb_took = time.perf_counter() - start
            print(f"nbgrader autograde: {nb_took:.2f} s ({nb_took / args.students:.3f} s each); "
                  f"lessons-grade is {nb_took / took:.1f}x faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
