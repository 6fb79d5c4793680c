"""Running notebooks: kernels started (and restarted when they lose the race for a port), notebooks
executed in place and normalised so that re-running them gives the same file."""
import os
from pathlib import Path

from .markers import _DEFAULT_KERNELSPEC, INSTRUCTOR_TAG, KERNEL_NAME, _keep

CELL_TIMEOUT = 120
SKIP_SLIDES_TAG = "skip-slides"
# Metadata that survives normalisation; timings, widget state and editor settings change between runs
# and are dropped. The kernel's full language_info is kept: JupyterLab writes it into an opened
# notebook, so a notebook storing less is marked changed and asks "Save changes?" when an untouched
# lesson is closed.
CELL_METADATA_KEPT = ("tags", "slideshow", "nbgrader", "exercise", "deletable", "editable")
NB_METADATA_KEPT = ("kernelspec", "language_info")


def slide_type(cell):
    """reveal.js slide type: '#'/'##' headings start a slide, '###' a subslide, instructor cells skip."""
    tags = cell.get("metadata", {}).get("tags", [])
    if INSTRUCTOR_TAG in tags or SKIP_SLIDES_TAG in tags:
        return "skip"
    if cell.cell_type == "markdown":
        first = cell.source.lstrip().split("\n", 1)[0]
        if first.startswith(("# ", "## ")):
            return "slide"
        if first.startswith("### "):
            return "subslide"
    return "-"


def normalise(nb):
    """Strip volatile metadata (timings, widget state, versions), merge split stream outputs (how
    a print is cut into chunks depends on timing) and set slide metadata, in place."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CoalesceStreamsPreprocessor

    clear = ClearMetadataPreprocessor(preserve_cell_metadata_mask=set(CELL_METADATA_KEPT),
                                      preserve_nb_metadata_mask=set(NB_METADATA_KEPT))
    clear.preprocess(nb, {})
    CoalesceStreamsPreprocessor().preprocess(nb, {})
    if nb.metadata.get("kernelspec", {}).get("name", KERNEL_NAME) == KERNEL_NAME:
        nb.metadata["kernelspec"] = dict(_DEFAULT_KERNELSPEC)  # as the kernel (and JupyterLab) names it
    nb.metadata.setdefault("language_info", {"name": "python"})
    for cell in nb.cells:
        if cell.cell_type != "code":  # the preprocessor only cleans code cells
            cell.metadata = _keep(cell.metadata, CELL_METADATA_KEPT)
        cell.metadata["slideshow"] = {"slide_type": slide_type(cell)}
    return nb


def kernel_env(**extra):
    """Environment for a notebook kernel: static figures, inline matplotlib, one BLAS thread."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # let ipykernel pick the inline backend so figures are stored
    env.update({"LESSONS_STATIC": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
                "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    env.update(extra)
    return env


def _first_error(nb):
    for i, cell in enumerate(nb.cells):
        if "raises-exception" in cell.get("metadata", {}).get("tags", []):
            continue
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                return i, cell, out
    return None


KERNEL_START_ATTEMPTS = 3


def kernel_lost_start_race(exc):
    """True when a kernel died before replying to its first message: it lost a race for a TCP port.

    jupyter_client picks free ports and the kernel binds them a moment later, so when several
    kernels start at once (parallel tests, the grader's jobs) one can find its port taken. Starting
    it again is the remedy; nothing of the notebook has run yet.
    """
    return isinstance(exc, RuntimeError) and "before replying to kernel_info" in str(exc)


def retry_lost_start_race(attempt):
    """Return ``attempt()``, calling it again (up to ``KERNEL_START_ATTEMPTS`` times in all) while it
    fails because its kernel lost the start-up race for a port; any other error is raised at once."""
    for number in range(1, KERNEL_START_ATTEMPTS + 1):
        try:
            return attempt()
        except RuntimeError as exc:
            if not kernel_lost_start_race(exc) or number == KERNEL_START_ATTEMPTS:
                raise


def run(nb, folder, timeout=CELL_TIMEOUT, env=None, **client_kwargs):
    """Execute ``nb`` in place in a fresh kernel whose working folder is ``folder``; returns the client.

    ``env`` defaults to ``kernel_env()``; a kernel that loses the start-up race for its ports is
    started again (``retry_lost_start_race``). Raises what nbclient raises.
    """
    from nbclient import NotebookClient

    def attempt():
        client = NotebookClient(nb, timeout=timeout, kernel_name=KERNEL_NAME,
                                resources={"metadata": {"path": str(Path(folder).resolve())}}, **client_kwargs)
        client.execute(env=kernel_env() if env is None else env)
        return client

    return retry_lost_start_race(attempt)


def execute_notebook(path, timeout=CELL_TIMEOUT):
    """Run ``path`` top to bottom in a fresh kernel (cwd = its folder), normalise, save in place.

    Raises ``RuntimeError`` naming the notebook and the cell when a cell fails; the file is then
    left untouched.
    """
    from nbclient.exceptions import CellExecutionError

    import nbformat

    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    try:
        run(nb, path.parent, timeout=timeout, record_timing=False)
    except CellExecutionError as exc:
        found = _first_error(nb)
        where = f"cell {found[0]} (id {found[1].get('id')})" if found else "a cell"
        raise RuntimeError(f"{path}: {where} failed: {exc.ename}: {exc.evalue}") from exc
    normalise(nb)
    nbformat.write(nb, path)
    return nb

