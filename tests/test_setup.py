"""The project can be installed and run from its own files alone.

pyproject.toml is the single source of dependencies; environment.yml (the conda / Binder route) must
say the same thing; the README's commands are real Makefile targets; CI runs the README's test
command; and the course library works without the optional PyTorch reference.
"""
import re
import subprocess
import sys
import textwrap
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
CONDA_ONLY = {"python", "pip"}  # environment.yml entries that are not Python packages of the project


def _pyproject():
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)


def _environment():
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def lower_bound(req):
    """The version after ``>=`` in a requirement (None when it has none)."""
    bounds = [Version(s.version) for s in req.specifier if s.operator == ">="]
    return max(bounds) if bounds else None


def _pyproject_requirements():
    project = _pyproject()["project"]
    lines = list(project.get("dependencies", [])) + list(project.get("optional-dependencies", {}).get("dev", []))
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def _conda_requirements():
    """(requirements by name, pip section) from environment.yml's dependency list."""
    conda, pip = {}, []
    for entry in _environment()["dependencies"]:
        if isinstance(entry, dict):
            pip.extend(entry.get("pip", []))
            continue
        # conda writes "numpy>=2.4" (or "numpy >=2.4"); packaging reads both once spaces go.
        req = Requirement(str(entry).replace(" ", ""))
        conda[canonicalize_name(req.name)] = req
    return conda, pip


def test_pyproject_and_environment_agree():
    """Every runtime and dev dependency is in environment.yml with the same lower bound, and nothing else is."""
    wanted = _pyproject_requirements()
    conda, _ = _conda_requirements()
    problems = []
    for name, req in sorted(wanted.items()):
        if name not in conda:
            problems.append(f"{name}: in pyproject.toml ({req}) but missing from environment.yml; add '{req}'")
        elif lower_bound(conda[name]) != lower_bound(req):
            problems.append(
                f"{name}: lower bounds differ, pyproject.toml says {lower_bound(req)}, "
                f"environment.yml says {lower_bound(conda[name])}; make them equal")
    for name in sorted(set(conda) - set(wanted) - CONDA_ONLY):
        problems.append(f"{name}: in environment.yml but not in pyproject.toml; add it there first "
                        "(pyproject.toml is the single source of dependencies) or drop it")
    assert not problems, "pyproject.toml and environment.yml disagree:\n  " + "\n  ".join(problems)


def test_every_dependency_has_a_lower_bound():
    """A bare name would let an untested old version in; pin the version the course was tested with."""
    missing = [str(r) for r in _pyproject_requirements().values() if lower_bound(r) is None]
    assert not missing, f"give these a '>=' lower bound in pyproject.toml: {missing}"


def test_environment_installs_the_project_itself():
    _, pip = _conda_requirements()
    assert any(re.fullmatch(r"-e\s+\.(\[[\w,-]+\])?", p.strip()) for p in pip), (
        "environment.yml must install the course package: add '- pip: [\"-e .\"]' to its dependencies")
    conda, _ = _conda_requirements()
    assert "python" in conda and "pip" in conda, "environment.yml must list python and pip"
    assert lower_bound(conda["python"]) == Version("3.11"), "environment.yml should ask for python>=3.11"


def test_requires_python_is_at_least_3_11():
    spec = SpecifierSet(_pyproject()["project"]["requires-python"])
    assert "3.11" in spec and "3.12" in spec, f"requires-python {spec} must allow Python 3.11 and newer"
    assert "3.10" not in spec, f"requires-python {spec} must exclude Python 3.10 (the course uses tomllib, 3.11 typing)"


def _makefile_targets():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([A-Za-z_][\w-]*)\s*:(?!=)", text, flags=re.MULTILINE))


def test_readme_commands_are_makefile_targets():
    """The README promises two commands, `make lab` and `make test`; both must be real targets."""
    readme = ROOT / "README.md"
    assert readme.is_file(), "README.md is missing: it must tell a newcomer to run `make lab` and `make test`"
    promised = set(re.findall(r"\bmake\s+([a-z][\w-]*)", readme.read_text(encoding="utf-8")))
    assert {"lab", "test"} <= promised, f"README.md should show `make lab` and `make test`; it shows {sorted(promised)}"
    missing = promised - _makefile_targets()
    assert not missing, f"README.md mentions `make {sorted(missing)[0]}` but the Makefile has no such target"


def test_ci_runs_the_readme_test_command():
    ci = ROOT / ".ci" / "run"
    assert ci.is_file(), ".ci/run is missing"
    commands = [line.split("#", 1)[0].strip() for line in ci.read_text(encoding="utf-8").splitlines()]
    assert "make test" in commands, ".ci/run must run `make test`, the same command the README gives"


BLOCK_TORCH = textwrap.dedent("""
    import importlib, importlib.abc, pkgutil, sys

    class BlockTorch(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "torch" or name.startswith("torch."):
                raise ModuleNotFoundError("No module named 'torch' (blocked by test_setup)", name=name)
            return None

    sys.meta_path.insert(0, BlockTorch())
    try:
        import torch
    except ModuleNotFoundError:
        pass
    else:
        sys.exit("the torch blocker does not work")

    import lessons_lib
    names = ["lessons_lib"]
    for info in pkgutil.walk_packages(lessons_lib.__path__, prefix="lessons_lib."):
        importlib.import_module(info.name)
        names.append(info.name)
    print(len(names), "modules imported without torch")
""")


def test_lessons_lib_imports_without_torch():
    """The course never needs PyTorch: import lessons_lib and every submodule with `import torch` failing."""
    done = subprocess.run([sys.executable, "-c", BLOCK_TORCH], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)
    assert done.returncode == 0, (
        "some lessons_lib module needs torch (only tests may use it, via pytest.importorskip):\n" + done.stderr[-3000:])
    assert "modules imported without torch" in done.stdout


@pytest.mark.parametrize("spec, expected", [(">=2.4", "2.4"), (">=1.0,<3", "1.0"), ("<3", None)])
def test_lower_bound_helper(spec, expected):
    """The helper the checks above rely on reads '>=' bounds correctly."""
    req = Requirement("pkg" + spec)
    assert lower_bound(req) == (Version(expected) if expected else None)
