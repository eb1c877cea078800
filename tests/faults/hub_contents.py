"""What is on the running system's hub and in its lake, read from Kafka and from the lake's
files themselves (the readers drop repeats; the files show them)."""

from __future__ import annotations

import gzip
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiokafka import ConsumerRecord

from events import Event, UnknownEventType, parse_event
from listeners.lake.layout import SUFFIX, UNKNOWN, event_files, folder
from tests.integration.test_outbox_relay import read_topic
from tests.system.whole import System


@dataclass
class Hub:
    """Every record on the topic, each partition in offset order."""

    records: list[ConsumerRecord] = field(default_factory=list)
    #: the records that are events, in the same order (repeats included)
    events: list[Event] = field(default_factory=list)
    #: the records that are not (malformed, or of a type the catalog does not know)
    others: list[ConsumerRecord] = field(default_factory=list)

    @property
    def ids(self) -> Counter[str]:
        """Event id -> how many records carry it."""
        return Counter(event.id for event in self.events)

    def of_type(self, kind: str) -> list[Event]:
        return [event for event in self.events if event.type == kind]


async def read_hub(system: System) -> Hub:
    records = await read_topic(system.settings.kafka_bootstrap, system.settings.kafka_topic)
    hub = Hub(records)
    for record in records:
        try:
            hub.events.append(parse_event(record.value))
        except (UnknownEventType, ValueError):
            hub.others.append(record)
    return hub


def lake_lines(lake_dir: Path) -> list[dict[str, Any]]:
    """Every line of every event file (``date=<day>``), repeats included."""
    lines: list[dict[str, Any]] = []
    for path in event_files(lake_dir):
        with gzip.open(path, "rb") as data:
            lines += [json.loads(line) for line in data]
    return lines


def unknown_lines(lake_dir: Path) -> list[dict[str, Any]]:
    """Every line kept raw under ``date=unknown`` (records that are not events)."""
    lines: list[dict[str, Any]] = []
    for path in sorted(folder(lake_dir, UNKNOWN).glob(f"*{SUFFIX}")):
        with gzip.open(path, "rb") as data:
            lines += [json.loads(line) for line in data]
    return lines


def lake_ids(lake_dir: Path) -> Counter[str]:
    """Event id -> how many lines of the lake's files carry it."""
    return Counter(str(line.get("id")) for line in lake_lines(lake_dir))
