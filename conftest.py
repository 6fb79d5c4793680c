"""Test-session set-up shared by pytest, nbval and the doctests."""
import os

import matplotlib

# Notebooks executed under test draw their static figures instead of live widgets
# (lessons_lib.widgets), and nothing tries to open a window.
os.environ.setdefault("LESSONS_STATIC", "1")
os.environ.setdefault("MPLBACKEND", "Agg")
matplotlib.use("Agg")
