"""The fault suite: the system under crashes, outages, duplicates, poison events, hostile
input, other actors' tokens and abuse. Every test here is marked ``faults`` (run them
alone with ``make test ARGS="-m faults"``) and runs in the normal test run at a short
scale; ``FD_FAULTS_LONG=1`` runs the same tests at the long scale (more load, more
examples, longer outages): see ``tests/faults/scale.py`` and docs/faults.md.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.faults)
