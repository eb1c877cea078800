"""How long the fault suite pushes: short in the normal test run, long with
``FD_FAULTS_LONG=1`` (documented in docs/faults.md). Nothing is skipped at either scale:
the same tests run, with more load, more examples and longer outages."""

from __future__ import annotations

import os

LONG = os.environ.get("FD_FAULTS_LONG", "") == "1"


def scaled(short: float, long: float) -> float:
    """``long`` when the long fault suite runs, else ``short``."""
    return long if LONG else short


def scaled_int(short: int, long: int) -> int:
    return long if LONG else short
