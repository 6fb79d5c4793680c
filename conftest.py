"""Test-session set-up shared by pytest, nbval and the doctests."""
import os

import matplotlib

# Notebook kernels started under test inherit LESSONS_STATIC and draw their static figures instead
# of live widgets (lessons_lib.widgets). MPLBACKEND is deliberately not exported: kernels must keep
# their inline backend so figures are stored and compared; only this process uses Agg.
os.environ.setdefault("LESSONS_STATIC", "1")
matplotlib.use("Agg")


def _retry_kernel_start(start):
    """nbval's kernel start, retried when the kernel loses the race for a TCP port (see
    lessons_lib.authoring.kernel_lost_start_race): parallel test workers start many kernels at once."""
    from lessons_lib.authoring import KERNEL_START_ATTEMPTS, kernel_lost_start_race

    def start_with_retries(*args, **kwargs):
        for attempt in range(1, KERNEL_START_ATTEMPTS + 1):
            try:
                return start(*args, **kwargs)
            except RuntimeError as exc:
                if not kernel_lost_start_race(exc) or attempt == KERNEL_START_ATTEMPTS:
                    raise
    return start_with_retries


try:
    import nbval.kernel
except ImportError:  # nbval is a dev dependency; without it there is nothing to patch
    pass
else:
    nbval.kernel.start_new_kernel = _retry_kernel_start(nbval.kernel.start_new_kernel)
