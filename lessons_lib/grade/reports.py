"""Reports: gradebook.csv, grades.json, feedback/<student>.md, the class report (with a score histogram).

Every file is written through a temporary file and a rename, so a reader (or an interrupted run)
never sees half a file.
"""
import csv
import io
import json
import os
import re
import tempfile
from collections import Counter
from pathlib import Path

from .scoring import ICONS, status_label


def write_text_atomic(path, text):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json_atomic(path, data):
    write_text_atomic(path, json.dumps(data, indent=1, sort_keys=True) + "\n")


def safe_name(student):
    """A file-name-safe version of a student name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", student).strip("._") or "student"


def feedback_names(students):
    """``{student: file name}`` (without .md), unique even when two names differ only in odd characters."""
    names, used = {}, set()
    for student in sorted(students):
        base = name = safe_name(student)
        k = 2
        while name.lower() in used:
            name, k = f"{base}-{k}", k + 1
        used.add(name.lower())
        names[student] = name
    return names


def student_status(entry):
    """The CSV status column: everything that went wrong for one student, ``;``-separated ('ok' if nothing)."""
    parts = []
    for stem, report in entry["notebooks"].items():
        if report["status"] != "graded":
            parts.append(f"{stem} {report['status'].replace('_', ' ')}")
        for note in report.get("cells", []):
            parts.append(f"{stem} cell {note['status']}")
        for item in report["items"]:
            if item["status"] in ("timeout", "crashed", "memory", "missing_answer", "reference_used"):
                parts.append(f"{stem}:{item['id']} {item['status'].replace('_', ' ')}")
    parts += [f"ignored {msg.split(' was not graded')[0]}" for msg in entry.get("ignored_files", [])]
    return "; ".join(dict.fromkeys(parts)) or "ok"


def gradebook_csv(results):
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["student", "status"]
    for stem in results["assignment"]:
        header += [stem] + [f"{stem}:{item['id']}" for item in results["course"][stem]["items"]]
    writer.writerow(header + ["total", "max"])
    for student, entry in sorted(results["students"].items()):
        row = [student, student_status(entry)]
        for stem in results["assignment"]:
            report = entry["notebooks"][stem]
            row += [f"{report['points']:g}"] + [f"{i['points']:g}" for i in report["items"]]
        writer.writerow(row + [f"{entry['points']:g}", f"{entry['max_points']:g}"])
    return out.getvalue()


def feedback_markdown(student, entry):
    """The per-student feedback (Markdown): totals, every status, hidden tests as description + pass/fail."""
    lines = [f"# Feedback for {student}", "", f"**Total: {entry['points']:g} / {entry['max_points']:g} points**", ""]
    lines += [f"- ⚠️ Ignored file: {msg}." for msg in entry.get("ignored_files", [])]
    if entry.get("ignored_files"):
        lines.append("")
    for stem, report in entry["notebooks"].items():
        lines += [f"## {stem}: {report['points']:g} / {report['max_points']:g} points", ""]
        if not report["submitted"]:
            lines += ["📭 Not submitted.", ""]
            continue
        lines += [f"- {note}" for note in report["notes"]]
        lines += [f"- {ICONS.get(n['status'], '⚠️')} {n['status'].replace('_', ' ').capitalize()}: {n['text']}."
                  for n in report.get("cells", [])]
        for item in report["items"]:
            icon = ICONS.get(item["status"], "")
            score = f"({item['points']:g}/{item['max_points']:g})"
            if item["kind"] == "hidden":
                verdict = "passed" if item["status"] == "passed" else item["status"].replace("_", " ")
                what = (item.get("description") or item["id"]).rstrip(".")
                lines.append(f"- {icon} Hidden test {score}: {what}: {verdict}.")
            else:
                why = f" *(misconception: {item['misconception']})*" if item.get("misconception") else ""
                lines.append(f"- {icon} Exercise `{item['id']}` {score} [{status_label(item['status'])}]: "
                             f"{item['message']}{why}")
        lines.append("")
    return "\n".join(lines)


def class_report(results):
    """``(markdown, per-item stats)``: pass rate and the most frequent misconceptions of each item."""
    stats = []
    lines = ["# Class report", "", f"Assignment: {', '.join(results['assignment'])}; "
             f"{len(results['students'])} student(s).", ""]
    for stem in results["assignment"]:
        lines += [f"## {stem}", "", "| item | points | pass rate | most frequent misconceptions |",
                  "|---|---|---|---|"]
        for k, item in enumerate(results["course"][stem]["items"]):
            got = [e["notebooks"][stem]["items"][k] for e in results["students"].values()
                   if e["notebooks"][stem]["submitted"]]
            passed = sum(i["status"] == "passed" for i in got)
            common = Counter(i["misconception"] for i in got if i.get("misconception")).most_common(3)
            text = ", ".join(f"{name} ({n})" for name, n in common) or "-"
            rate = f"{passed}/{len(got)} ({100 * passed / len(got):.0f}%)" if got else "-"
            lines.append(f"| {item['id']} | {item['max_points']:g} | {rate} | {text} |")
            stats.append({"notebook": stem, "item": item["id"], "passed": passed, "graded": len(got),
                          "misconceptions": dict(common)})
        lines.append("")
    lines += ["![Score histogram](histogram.png)", ""]
    return "\n".join(lines), stats


def histogram_png(results, path):
    """A histogram of the students' totals (matplotlib, PNG)."""
    import matplotlib
    matplotlib.use("Agg", force=True)
    from matplotlib.figure import Figure

    totals = [e["points"] for e in results["students"].values()]
    top = max((e["max_points"] for e in results["students"].values()), default=1) or 1
    fig = Figure(figsize=(6, 3.5), layout="constrained")
    ax = fig.subplots()
    ax.hist(totals, bins=min(20, max(5, int(top) + 1)), range=(0, top), color="#4477aa", edgecolor="white")
    ax.set_xlabel(f"total points (out of {top:g})")
    ax.set_ylabel("students")
    ax.set_title(f"Scores: {', '.join(results['assignment'])}")
    fig.savefig(path, format="png", dpi=100)


def write_gradebook(results, out_dir):
    """gradebook.csv, grades.json, class_report.md + histogram.png and feedback/<student>.md in ``out_dir``."""
    out = Path(out_dir)
    (out / "feedback").mkdir(parents=True, exist_ok=True)
    names = feedback_names(results["students"])
    for old in (out / "feedback").glob("*.md"):
        if old.stem not in names.values():
            old.unlink()
    write_json_atomic(out / "grades.json", results)
    write_text_atomic(out / "gradebook.csv", gradebook_csv(results))
    for student, name in names.items():
        write_text_atomic(out / "feedback" / f"{name}.md", feedback_markdown(student, results["students"][student]))
    text, _ = class_report(results)
    write_text_atomic(out / "class_report.md", text)
    histogram_png(results, out / "histogram.png")


def summary_lines(results):
    """One line per student: total and status."""
    width = max((len(s) for s in results["students"]), default=7)
    return [f"  {s:<{width}}  {e['points']:>6g} / {e['max_points']:g}   {student_status(e)}"
            for s, e in sorted(results["students"].items())]
