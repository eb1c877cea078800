"""Metrics where events meet the hub: each event published (``produced``), each record a
consumer read (``consumed``, ``consumed_records``), and each consumer's lag per partition
(``observe_lag``).

The publisher sends wire bytes (the relay publishes the outbox's stored JSON as it is),
so ``produced`` reads the type, correlation id and trace id from the record's first bytes
(``sniff``) instead of parsing it: the envelope's fields come first on the wire (``events.to_wire``:
``id``, ``type``, ``timestamp``, ``partitionKey``, ``tags``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from aiokafka.errors import IllegalStateError

from events.envelope import Event
from observability.metrics import (
    CONSUMER_LAG,
    EVENTS_CONSUMED,
    EVENTS_PRODUCED,
    event_type,
    exemplar,
)
from observability.tracing import safe_id

#: how much of a record ``produced`` reads: the envelope, with room to spare
_HEAD = 2048
_TYPE = re.compile(rb'"type":"([a-z][a-z-]{0,59})"')
_CORRELATION = re.compile(rb'"correlationId":"([A-Za-z0-9._:@-]{1,80})"')
_TRACE = re.compile(rb'"traceparent":"[0-9a-f]{2}-([0-9a-f]{32})-')

#: the partitions each consumer reported last (to drop the series of revoked ones)
_reported: dict[str, set[int]] = {}


def produced(value: bytes) -> None:
    """Count one published record (its type, or ``unknown``), with its story's exemplar."""
    kind, story = sniff(value)
    EVENTS_PRODUCED.labels(kind).inc(exemplar=story)


def consumed_records(consumer: str, values: Iterable[bytes | None]) -> None:
    """Count records a consumer read without parsing them (the lake writer), by the type
    their first bytes name (``unknown`` when none of the catalog's)."""
    for value in values:
        kind, story = sniff(value or b"")
        EVENTS_CONSUMED.labels(consumer, kind).inc(exemplar=story)


def sniff(value: bytes) -> tuple[str, dict[str, str] | None]:
    """The type label and the story's exemplar of a record on the wire."""
    head = value[:_HEAD]
    kind = _TYPE.search(head)
    correlation = _CORRELATION.search(head)
    trace = _TRACE.search(head)
    return event_type(kind.group(1).decode() if kind else None), exemplar(
        correlation.group(1).decode() if correlation else None,
        trace.group(1).decode() if trace else None,
    )


def consumed(
    consumer: str, events: Iterable[Event], *, unknown: int = 0, malformed: int = 0
) -> None:
    """Count the records a consumer read: its events by type (each with its story's
    exemplar), and the records of unknown types and the malformed ones."""
    for event in events:
        EVENTS_CONSUMED.labels(consumer, event_type(event.type)).inc(exemplar=event_exemplar(event))
    if unknown:
        EVENTS_CONSUMED.labels(consumer, "unknown").inc(unknown)
    if malformed:
        EVENTS_CONSUMED.labels(consumer, "malformed").inc(malformed)


def event_exemplar(event: Event) -> dict[str, str] | None:
    """The exemplar of an event's story: its correlation id and trace id."""
    return exemplar(safe_id(event.tags.correlation_id), trace_id(event))


def trace_id(event: Event) -> str | None:
    """The trace id of an event's ``traceparent`` tag (its shape is checked when the event
    is made or parsed: ``00-<32 hex>-<16 hex>-<2 hex>``)."""
    traceparent = event.tags.traceparent
    return traceparent[3:35] if traceparent else None


async def observe_lag(consumer_name: str, consumer: Any) -> None:
    """Set ``fd_consumer_lag`` for each partition ``consumer`` (an aiokafka consumer) holds
    whose end offset it knows (from its fetches: no request is made), and drop the series
    of partitions it no longer holds."""
    if not hasattr(consumer, "highwater"):  # a test's stand-in knows no offsets
        return
    seen: set[int] = set()
    for tp in consumer.assignment():
        try:
            end = consumer.highwater(tp)
            if end is None:  # not fetched yet: its position may not be known either
                continue
            position = await consumer.position(tp)
        except (AssertionError, IllegalStateError):  # revoked meanwhile
            continue
        CONSUMER_LAG.labels(consumer_name, str(tp.partition)).set(max(end - position, 0))
        seen.add(tp.partition)
    for gone in _reported.get(consumer_name, set()) - seen:
        CONSUMER_LAG.remove(consumer_name, str(gone))
    _reported[consumer_name] = seen
