"""The lesson notebooks form one clean, reproducible sequence that covers every seed topic.

Static checks only (nothing is executed here; nbval re-runs the notebooks): numbering and titles,
the lesson template, imports from lessons_lib instead of pasted copies, no sys.path edits, explicit
randomness, committed outputs without errors or timings, labelled figures, and the seed-topic
checklist in tests/seed_topics.yml.
"""
import ast
import importlib
import inspect
import json
import pkgutil
import re
from functools import cache
from pathlib import Path

import nbformat
import pytest
import yaml

import lessons_lib

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
STEMS = (
    "00_welcome",
    "01_intuition",
    "02_mse",
    "03_mae_and_outliers",
    "04_binary_cross_entropy",
    "05_categorical_cross_entropy",
    "06_loss_landscape",
    "07_training_loop_from_scratch",
    "08_choosing_a_loss",
    "09_quiz_and_review",
    # "Going further": lessons after the quiz
    "10_optimisers",
    "11_why_these_losses",
    "12_losses_in_practice",
)
WITH_EXERCISES = (*STEMS[1:10], "12_losses_in_practice")  # 00 is the welcome tour; 01..09 and 12 have exercises
WITHOUT_FIGURES = ("00_welcome",)  # every other lesson must show at least one stored picture
FRONT_CELLS = 4  # "near the top": the learning goals, prerequisites and time sit in the first cells


# --------------------------------------------------------------------------- helpers

@cache
def load(stem):
    """The notebook notebooks/<stem>.ipynb (fails clearly when it does not exist)."""
    path = NOTEBOOKS / f"{stem}.ipynb"
    if not path.is_file():
        pytest.fail(f"notebooks/{stem}.ipynb is missing; the course sequence needs it")
    return nbformat.read(path, as_version=4)


def source(cell):
    return cell.source if isinstance(cell.source, str) else "".join(cell.source)


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def markdown(nb, cells=None):
    return "\n".join(source(c) for c in (nb.cells if cells is None else cells) if c.cell_type == "markdown")


def python_source(cell):
    """A code cell's source as plain Python: IPython magics and shell escapes are turned into calls."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source(cell))


def parse(cell, stem):
    try:
        return ast.parse(python_source(cell))
    except SyntaxError as err:
        pytest.fail(f"notebooks/{stem}.ipynb: a code cell is not valid Python ({err}):\n{source(cell)[:300]}")


def where(stem, cell):
    first = source(cell).strip().splitlines()[0] if source(cell).strip() else "<empty>"
    return f"notebooks/{stem}.ipynb, cell {cell.get('id', '?')} starting {first[:60]!r}"


@cache
def library_public_functions():
    """Names of the public functions and classes of every lessons_lib module (what cells must not redefine)."""
    modules = [lessons_lib] + [importlib.import_module(m.name)
                               for m in pkgutil.walk_packages(lessons_lib.__path__, prefix="lessons_lib.")]
    names = set()
    for module in modules:
        for name, obj in vars(module).items():
            if name.startswith("_") or not (inspect.isfunction(obj) or inspect.isclass(obj)):
                continue
            if getattr(obj, "__module__", "").startswith("lessons_lib"):
                names.add(name)
    return frozenset(names)


def labelling_helpers():
    """lessons_lib.figures functions that draw *and* label (plot_*, label*)."""
    figures = importlib.import_module("lessons_lib.figures")
    return frozenset(n for n, f in vars(figures).items()
                     if inspect.isfunction(f) and (n.startswith("plot_") or n.startswith("label")))


# --------------------------------------------------------------------------- the sequence

def test_sequence_is_exactly_the_lessons():
    found = sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb"))
    missing, extra = sorted(set(STEMS) - set(found)), sorted(set(found) - set(STEMS))
    assert not missing and not extra, (
        f"notebooks/ must hold exactly the lessons {list(STEMS)}; missing: {missing}, unexpected: {extra}")


@pytest.mark.parametrize("stem", STEMS)
def test_notebook_is_valid_and_has_stable_cell_ids(stem):
    nb = load(stem)
    nbformat.validate(nb)
    ids = [c.get("id") for c in nb.cells]
    assert all(ids), f"notebooks/{stem}.ipynb: every cell needs an id (nbformat >= 4.5); rebuild it with nbformat"
    assert len(set(ids)) == len(ids), f"notebooks/{stem}.ipynb: duplicate cell ids"


@pytest.mark.parametrize("stem", STEMS)
def test_title_matches_number(stem):
    nb = load(stem)
    first = nb.cells[0] if nb.cells else None
    assert first is not None and first.cell_type == "markdown", f"notebooks/{stem}.ipynb must start with a markdown title cell"
    title = source(first).strip().splitlines()[0]
    match = re.fullmatch(r"#\s+(\d\d)\s+·\s+\S.*", title)
    assert match, f"notebooks/{stem}.ipynb: the first line should read '# {stem[:2]} · <Title>', found {title!r}"
    assert match.group(1) == stem[:2], f"notebooks/{stem}.ipynb: the title says lesson {match.group(1)}, the file is lesson {stem[:2]}"


@pytest.mark.parametrize("stem", STEMS)
def test_front_matter(stem):
    """Learning goals, prerequisites and an estimated time near the top; a Summary section later."""
    nb = load(stem)
    top = markdown(nb, nb.cells[:FRONT_CELLS])
    for heading in ("learning goals", "prerequisites"):
        assert re.search(heading, top, re.IGNORECASE), (
            f"notebooks/{stem}.ipynb: say '{heading.capitalize()}' in the first {FRONT_CELLS} cells")
    assert re.search(r"\b\d+\s*(-|–|to)?\s*\d*\s*(min|minutes)\b", top, re.IGNORECASE), (
        f"notebooks/{stem}.ipynb: give an estimated time (e.g. '25 minutes') in the first {FRONT_CELLS} cells")
    assert re.search(r"^#+\s*summary\b", markdown(nb), re.IGNORECASE | re.MULTILINE), (
        f"notebooks/{stem}.ipynb: add a '## Summary' section")


@pytest.mark.parametrize("stem", WITH_EXERCISES)
def test_links_its_exercise_notebook(stem):
    nb = load(stem)
    target = f"exercises/{stem}.ipynb"
    assert target in markdown(nb), f"notebooks/{stem}.ipynb: point the learner to {target} (e.g. in the last cell)"
    assert (ROOT / target).is_file(), (
        f"{target} does not exist: write solutions/{stem}.ipynb and run `python -m lessons_lib.authoring exercises`")


# --------------------------------------------------------------------------- code hygiene

@pytest.mark.parametrize("stem", STEMS)
def test_imports_lessons_lib(stem):
    nb = load(stem)
    for cell in code_cells(nb):
        for node in ast.walk(parse(cell, stem)):
            if isinstance(node, ast.Import) and any(a.name.split(".")[0] == "lessons_lib" for a in node.names):
                return
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "lessons_lib":
                return
    pytest.fail(f"notebooks/{stem}.ipynb never imports lessons_lib; lessons call the library, they don't paste it")


@pytest.mark.parametrize("stem", STEMS)
def test_does_not_redefine_library_functions(stem):
    public = library_public_functions()
    clashes = []
    for cell in code_cells(load(stem)):
        for node in ast.walk(parse(cell, stem)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name in public:
                clashes.append(f"{node.name} ({where(stem, cell)})")
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
                clashes += [f"{t.id} ({where(stem, cell)})" for t in node.targets
                            if isinstance(t, ast.Name) and t.id in public]
    assert not clashes, ("these cells re-define lessons_lib functions; import them instead (or, to let the "
                         "learner build one, use another name such as my_mse): " + "; ".join(clashes))


@pytest.mark.parametrize("stem", STEMS)
def test_no_sys_path_edits(stem):
    bad = [where(stem, c) for c in code_cells(load(stem))
           if re.search(r"\bsys\s*\.\s*path\b|\baddsitedir\b|PYTHONPATH|\bos\.chdir\b", source(c))]
    assert not bad, "don't edit sys.path / PYTHONPATH or chdir; lessons_lib is installed (pip install -e .): " + "; ".join(bad)


GLOBAL_RANDOM = re.compile(r"\b(np|numpy)\s*\.\s*random\s*\.\s*(?!default_rng\b|Generator\b|SeedSequence\b|PCG64\b)\w+")
UNSEEDED_RNG = re.compile(r"default_rng\(\s*\)")
STDLIB_RANDOM = re.compile(r"^\s*(import\s+random\b|from\s+random\s+import)", re.MULTILINE)


@pytest.mark.parametrize("stem", STEMS)
def test_randomness_is_explicit(stem):
    """Only seeded generators: rng = np.random.default_rng(seed); no global np.random state, no stdlib random."""
    problems = []
    for cell in code_cells(load(stem)):
        text = source(cell)
        for pattern, advice in ((GLOBAL_RANDOM, "uses numpy's global random state"),
                                (UNSEEDED_RNG, "calls default_rng() without a seed"),
                                (STDLIB_RANDOM, "imports the stdlib random module")):
            if pattern.search(text):
                problems.append(f"{where(stem, cell)} {advice}")
    assert not problems, "use rng = np.random.default_rng(0) and rng.normal(...) etc.:\n  " + "\n  ".join(problems)


# --------------------------------------------------------------------------- committed outputs

@pytest.mark.parametrize("stem", STEMS)
def test_no_error_outputs_or_timings(stem):
    problems = []
    for cell in code_cells(load(stem)):
        for out in cell.get("outputs", []):
            if out.output_type == "error":
                problems.append(f"{where(stem, cell)} stores an error: {out.get('ename')}: {out.get('evalue')}")
            elif out.output_type == "stream" and out.get("name") == "stderr" and "Traceback" in out.get("text", ""):
                problems.append(f"{where(stem, cell)} stores a traceback on stderr")
        if "execution" in cell.metadata:
            problems.append(f"{where(stem, cell)} stores execution timings in metadata.execution")
    assert not problems, "re-execute with the authoring tool after fixing:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("stem", STEMS)
def test_executed_top_to_bottom(stem):
    """Outputs are committed from one clean run: execution counts (where kept) rise cell by cell."""
    counts = [c.execution_count for c in code_cells(load(stem)) if c.execution_count is not None]
    assert counts == sorted(set(counts)), (
        f"notebooks/{stem}.ipynb: execution counts {counts} show cells run out of order; restart and run all")


def _top_level_calls(tree):
    """Names of functions called by expression statements at the top level of a cell (print, plt.show, ...)."""
    names = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            names.append(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


@pytest.mark.parametrize("stem", STEMS)
def test_outputs_are_committed(stem):
    """Cells that print or show a figure carry their stored output; each lesson except 00 stores a picture."""
    nb = load(stem)
    missing, images = [], 0
    for cell in code_cells(nb):
        has_image = any("image/png" in out.get("data", {}) or "image/svg+xml" in out.get("data", {})
                        for out in cell.get("outputs", []))
        images += has_image
        calls = _top_level_calls(parse(cell, stem))
        if "print" in calls and not cell.get("outputs"):
            missing.append(f"{where(stem, cell)} prints but has no stored output")
        if ("show" in calls or "explore" in calls) and not has_image:
            missing.append(f"{where(stem, cell)} shows a figure but stores no image")
    assert not missing, "execute the notebook and commit it with its outputs:\n  " + "\n  ".join(missing)
    if stem not in WITHOUT_FIGURES:
        assert images, f"notebooks/{stem}.ipynb stores no figure; every lesson needs at least one labelled picture"


# Raw matplotlib drawing on plt or on an Axes-like name (ax, ax_loss, axes[0], ...).
DRAWS = re.compile(r"\b(plt|ax\w*|axes\[[^\]]*\])\s*\.\s*"
                   r"(plot|scatter|hist|bar|barh|imshow|contour|contourf|fill_between|errorbar|pcolormesh)\(")


@pytest.mark.parametrize("stem", STEMS)
def test_figures_are_labelled(stem):
    """A cell that draws with raw matplotlib also sets a title and both axis labels (or uses a labelling helper)."""
    helpers = labelling_helpers()
    unlabelled = []
    for cell in code_cells(load(stem)):
        text = source(cell)
        if not DRAWS.search(text):
            continue
        if any(re.search(rf"\b{h}\(", text) for h in helpers):
            continue
        lacking = [w for w in ("xlabel", "ylabel", "title") if w not in text]
        if lacking:
            unlabelled.append(f"{where(stem, cell)} lacks {', '.join(lacking)}")
    assert not unlabelled, "label every figure (title, axis labels with units, legend):\n  " + "\n  ".join(unlabelled)


# --------------------------------------------------------------------------- seed-topic checklist

CHECKLIST = ROOT / "tests" / "seed_topics.yml"


def load_topics():
    return yaml.safe_load(CHECKLIST.read_text(encoding="utf-8"))["topics"]


TOPICS = load_topics()


def notebook_text(path):
    """Markdown and code sources of one notebook, joined (outputs are not teaching text)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                       for c in cells if c["cell_type"] in ("markdown", "code"))


@cache
def texts(folder):
    return {f"{folder}/{p.name}": notebook_text(p) for p in sorted((ROOT / folder).glob("*.ipynb"))}


def covering(topic):
    """Notebooks (folder/name) that match every pattern of the topic."""
    patterns = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in topic["patterns"]]
    return [name for folder in topic.get("where", ["notebooks"]) for name, text in texts(folder).items()
            if all(p.search(text) for p in patterns)]


def test_checklist_is_well_formed():
    ids = [t["id"] for t in TOPICS]
    assert len(ids) == len(set(ids)), "seed_topics.yml: topic ids must be unique"
    for t in TOPICS:
        assert set(t) <= {"id", "topic", "source", "patterns", "where"}, f"{t['id']}: unknown keys {set(t)}"
        assert t["source"] in {"robot", "darts", "faq"}, f"{t['id']}: source must be robot, darts or faq"
        assert set(t.get("where", ["notebooks"])) <= {"notebooks", "solutions"}, f"{t['id']}: bad 'where'"
        assert t["patterns"], f"{t['id']}: needs at least one pattern"
        for p in t["patterns"]:
            assert not re.search(p, "", re.IGNORECASE), f"{t['id']}: pattern {p!r} matches empty text, so it proves nothing"
    assert {t["source"] for t in TOPICS} == {"robot", "darts", "faq"}, "every source tutorial needs topics"


@pytest.mark.parametrize("stem, text, expected", [
    ("robot_basket", "A robot throws at a basket and we see how far it missed.", True),
    ("robot_basket", "A robot throws a ball.", False),
    ("house_prices", "A house priced at $500,000 is off by $50,000 rather than $5,000.", True),
    ("house_prices", "A house priced at $500,000 is off by $50,000.", False),
    ("score_90_70", "true score 90, predicted 70: (90 - 70)^2 = 400", True),
    ("keras_compile", 'model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])', True),
])
def test_checklist_patterns_behave(stem, text, expected):
    """Hand-written sentences: the patterns accept a real explanation and reject a half one."""
    topic = next(t for t in TOPICS if t["id"] == stem)
    matched = all(re.search(p, text, re.IGNORECASE | re.MULTILINE) for p in topic["patterns"])
    assert matched == expected


@pytest.mark.parametrize("topic", TOPICS, ids=[t["id"] for t in TOPICS])
def test_seed_topic_is_covered(topic):
    if covering(topic):
        return
    folders = topic.get("where", ["notebooks"])
    pytest.fail(f"seed topic '{topic['id']}' ({topic['topic']}) is not taught in {' or '.join(folders)}/: no notebook "
                f"matches all of {topic['patterns']}")


def test_seed_topics_summary(capsys):
    """One list of every uncovered topic (the per-topic tests above say the same one by one)."""
    uncovered = [t["id"] for t in TOPICS if not covering(t)]
    with capsys.disabled():
        print(f"\nseed topics covered: {len(TOPICS) - len(uncovered)}/{len(TOPICS)}"
              + (f"; uncovered: {', '.join(uncovered)}" if uncovered else ""))
    assert not uncovered, f"uncovered seed topics: {uncovered}"
