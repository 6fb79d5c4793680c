"""The library's layering (README, "The library"): which module may import which.

Two checks. A static one reads every module's imports and compares them with the allowed layers
below; a dynamic one imports the numerical modules in a fresh interpreter and asserts that no
plotting or widget library got loaded along the way (sys.modules), so a learner reading ``losses``
or ``nn`` never depends on matplotlib, and the checks run where no display exists.
"""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import lessons_lib

PACKAGE = Path(lessons_lib.__file__).parent

# module -> the lessons_lib modules it may import (itself excluded). "figures" means the package.
NUMERIC = {
    "_validate": set(),
    "activations": {"_validate"},
    "_kernels": {"_validate"},
    "losses": {"_validate", "activations", "_kernels"},
    "metrics": {"_validate", "losses"},
    "optimizers": {"_validate"},
    "gradcheck": {"_validate"},
    "_nn_validate": {"_validate", "losses", "metrics"},
    "nn": {"_validate", "_nn_validate", "activations", "losses", "metrics", "optimizers"},
    "datasets": {"_validate"},
    "landscape": {"_validate", "activations", "losses"},
    "demos": {"nn", "optimizers"},
    "practical_losses": {"_validate"},
    "likelihood": {"_validate"},
    "valley": {"_validate"},
}
HEAVY = ("matplotlib", "ipywidgets", "IPython")


def _internal_imports(path):
    """The lessons_lib modules a top-level module imports: "losses" for ``from .losses import x``,
    "_kernels" for ``from . import _kernels``, "figures" for ``from lessons_lib.figures import y``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if not node.level and module.split(".")[0] == "lessons_lib":
                module = module.partition(".")[2]
            elif not node.level:
                continue
            found.update([module.split(".")[0]] if module else [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            found.update(alias.name.split(".")[1] for alias in node.names
                         if alias.name.startswith("lessons_lib."))
    return found - {path.stem}


def _third_party_imports(path):
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", sorted(NUMERIC))
def test_numerical_module_imports_only_lower_layers(module):
    path = PACKAGE / f"{module}.py"
    imported = _internal_imports(path)
    extra = imported - NUMERIC[module]
    assert not extra, f"lessons_lib.{module} imports {sorted(extra)}, which the layering does not allow " \
                      f"(allowed: {sorted(NUMERIC[module]) or 'nothing from lessons_lib'})"
    heavy = _third_party_imports(path) & set(HEAVY)
    assert not heavy, f"lessons_lib.{module} imports {sorted(heavy)}; numerical modules must not"


def test_every_module_has_a_place_in_the_layering():
    known = set(NUMERIC) | {"__init__", "checks", "figures", "widgets",
                            "authoring", "grade"}
    modules = {p.stem for p in PACKAGE.glob("*.py")} | {p.name for p in PACKAGE.iterdir()
                                                         if p.is_dir() and (p / "__init__.py").exists()}
    assert modules <= known, f"modules missing from the layering table: {sorted(modules - known)}"


def test_no_numerical_module_imports_figures_or_tools():
    for module in NUMERIC:
        imported = _internal_imports(PACKAGE / f"{module}.py")
        assert not imported & {"figures", "widgets", "checks", "authoring", "grade"}, module


def test_numerical_modules_load_no_plotting_or_widget_library():
    code = (
        "import sys, json\n"
        "import lessons_lib, lessons_lib.losses, lessons_lib.nn, lessons_lib.landscape, lessons_lib.datasets\n"
        "import lessons_lib.demos, lessons_lib.checks\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    assert loaded == [], f"importing losses, nn, landscape, datasets, demos or checks loaded {loaded}"


def test_figures_draw_only_numbers_from_lower_layers():
    siblings = {p.stem for p in (PACKAGE / "figures").glob("*.py")}
    for path in (PACKAGE / "figures").glob("*.py"):
        extra = _internal_imports(path) - siblings - set(NUMERIC)
        assert not extra, f"lessons_lib.figures.{path.stem} imports {sorted(extra)}; figures may only use " \
                          "the numerical modules and each other"


def test_widgets_load_no_plotting_library_until_they_draw():
    code = ("import sys, lessons_lib.widgets as w; w.static_mode(); "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} and m != 'ipywidgets'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "matplotlib" not in done.stdout, done.stdout
