"""One realistic sample event per catalog type, as JSON files beside this module.

They are the "old events" every future schema must still accept, and ready-made upstream
events for tests that simulate other services.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from events.codec import parse_event
from events.envelope import Event

SAMPLES_DIR = Path(__file__).parent


def sample_path(event_type: str) -> Path:
    return SAMPLES_DIR / f"{event_type}.json"


def sample_dict(event_type: str) -> dict[str, Any]:
    """The sample of one type as a fresh, freely mutable JSON dict."""
    data: dict[str, Any] = json.loads(sample_path(event_type).read_text(encoding="utf-8"))
    return data


def sample_event(event_type: str) -> Event:
    """The sample of one type, parsed and validated."""
    return parse_event(sample_path(event_type).read_bytes())
