"""A real install has the whole library: build the wheel, install it into a fresh virtual environment,
import every module from there and run one exercise check.

``pip install -e .`` hides a missing subpackage (the source tree is on the path); a wheel does not.
Run with ``make test-wheel`` (CI runs it after ``make test``).
"""
import subprocess
import sys
import sysconfig
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.wheel


def _source_modules():
    """Dotted names of every module of lessons_lib in the source tree."""
    names = []
    for path in sorted((ROOT / "lessons_lib").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _source_data_files():
    """Files under lessons_lib that are not Python source (read at run time, so they must ship)."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "lessons_lib").rglob("*")
                  if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "-w", str(dist), str(ROOT)], check=True, cwd=dist)
    (path,) = dist.glob("lessons_lib-*.whl")
    return path


def test_wheel_holds_every_module_and_data_file_and_nothing_else(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [m for m in _source_modules() if m.replace(".", "/") + ".py" not in names
               and m.replace(".", "/") + "/__init__.py" not in names]
    assert not missing, f"modules missing from the wheel: {missing}"
    missing_data = [f for f in _source_data_files() if f not in names]
    assert not missing_data, f"data files missing from the wheel: {missing_data}"
    strays = sorted(n for n in names if n.split("/")[0] in {"tests", "solutions", "exercises", "notebooks"})
    assert not strays, f"course material that must not be installed as a package: {strays[:5]}"


def test_wheel_works_in_a_fresh_virtual_environment(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
                    str(wheel)], check=True)
    # The third-party dependencies are borrowed from this environment through a plain path entry (its own
    # .pth files, among them the editable install of the source tree, are not processed), so the course
    # library itself can only come from the wheel.
    site = Path(subprocess.check_output([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                                        text=True).strip())
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    script = textwrap.dedent(f"""
        import importlib, pathlib, sys
        import numpy as np
        import lessons_lib
        where = pathlib.Path(lessons_lib.__file__).resolve()
        assert where.is_relative_to(pathlib.Path({str(venv)!r}).resolve()), f"imported from {{where}}"
        for name in {_source_modules()!r}:
            importlib.import_module(name)
        from lessons_lib.checks import check

        def mse(y_true, y_pred):
            y_true, y_pred = np.asarray(y_true, float), np.asarray(y_pred, float)
            if y_true.shape != y_pred.shape:
                raise ValueError(f"shapes differ: {{y_true.shape}} vs {{y_pred.shape}}")
            return float(np.mean((y_true - y_pred) ** 2))

        result = check("mse", mse, quiet=True)
        assert result.passed, str(result)
        print("ok", len({_source_modules()!r}))
    """)
    out = subprocess.run([str(python), "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.startswith("ok")
    assert (venv / "bin" / "lessons-grade").exists(), "the grader's command is not installed"
