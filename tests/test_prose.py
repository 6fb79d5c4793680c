"""The course's prose is its own: no run of 9+ words copied from the seed tutorials.

The seeds and the overlap tool live beside the repository (in the shared folder) for the course's
authors; where they are not present (e.g. a learner's clone) there is nothing to compare against.
"""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TOOL = ROOT.parent / "shared" / "tools" / "seed_overlap.py"


@pytest.mark.skipif(not TOOL.exists(), reason="seed tutorials not beside the repository (authors only)")
def test_no_sentence_is_copied_from_the_seeds():
    result = subprocess.run([sys.executable, str(TOOL), str(ROOT)], capture_output=True, text=True)
    assert result.returncode == 0, "prose copied from the seeds:\n" + result.stdout
