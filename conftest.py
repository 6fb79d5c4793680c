"""Test-session set-up shared by pytest, nbval and the doctests."""
import os

import matplotlib
import pytest

# Notebook kernels started under test inherit LESSONS_STATIC and draw their static figures instead
# of live widgets (lessons_lib.widgets). MPLBACKEND is deliberately not exported: kernels must keep
# their inline backend so figures are stored and compared; only this process uses Agg.
os.environ.setdefault("LESSONS_STATIC", "1")
matplotlib.use("Agg")


def _retry_kernel_start(start):
    """nbval's kernel start, retried when the kernel loses the race for a TCP port (see
    lessons_lib.authoring.kernel_lost_start_race): parallel test workers start many kernels at once."""
    from lessons_lib.authoring import retry_lost_start_race

    def start_with_retries(*args, **kwargs):
        return retry_lost_start_race(lambda: start(*args, **kwargs))
    return start_with_retries


try:
    import nbval.kernel
except ImportError:  # nbval is a dev dependency; without it there is nothing to patch
    pass
else:
    nbval.kernel.start_new_kernel = _retry_kernel_start(nbval.kernel.start_new_kernel)


@pytest.fixture
def ax():
    """A fresh matplotlib Axes under the default style, closed after the test (figure tests)."""
    import matplotlib.pyplot as plt

    with matplotlib.rc_context():
        fig, ax = plt.subplots()
        yield ax
        plt.close(fig)
