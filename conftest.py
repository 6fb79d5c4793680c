"""Test-session set-up shared by pytest, nbval and the doctests."""
import os

import matplotlib

# Notebook kernels started under test inherit LESSONS_STATIC and draw their static figures instead
# of live widgets (lessons_lib.widgets). MPLBACKEND is deliberately not exported: kernels must keep
# their inline backend so figures are stored and compared; only this process uses Agg.
os.environ.setdefault("LESSONS_STATIC", "1")
matplotlib.use("Agg")
