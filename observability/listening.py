"""What a listener reports about each batch: the records it consumed, the events it
applied (their age, and one log line each in the event's story), its faults, and how long
its view writes took.

``observe_batch`` is called by the live runtime (``listeners.runtime``) once per batch;
``view_writes`` times ``listeners.writes.apply_writes``. The per-event log line
(``FD_LOG_EVENTS``, on by default) is what lets one follow an order through every
listener: ``<listener>: applied order-accepted <event id> correlation=<id> trace=<id>``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from events.envelope import Event
from observability.hub import consumed, event_exemplar, trace_id
from observability.metrics import EVENT_AGE_SECONDS, FAULTS, VIEW_WRITE_SECONDS, event_type
from observability.settings import observability_settings
from observability.tracing import safe_id

log = logging.getLogger("listeners.applied")


def observe_batch(
    consumer: str,
    *,
    records: int,
    events: Sequence[Event],
    malformed: int,
    failed: Sequence[tuple[Event, str]],
    has_rule: Callable[[str], object],
) -> None:
    """One batch of ``records`` read: ``events`` valid (in partition order), ``malformed``
    not, ``failed`` the events whose rule failed; ``has_rule(type)`` tells the events the
    listener applies from those it passes over."""
    consumed(consumer, events, unknown=records - len(events) - malformed, malformed=malformed)
    if malformed:
        FAULTS.labels(consumer, "none", "malformed").inc(malformed)
    failed_ids = {event.id for event, _ in failed}
    for event, _ in failed:
        FAULTS.labels(consumer, event_type(event.type), "rule").inc(exemplar=event_exemplar(event))
    now = time.time()
    each = observability_settings().log_events
    for event in events:
        if event.id in failed_ids or not has_rule(event.type):
            continue
        age = max(now - event.timestamp / 1000, 0.0)
        EVENT_AGE_SECONDS.labels(consumer, event_type(event.type)).observe(
            age, exemplar=event_exemplar(event)
        )
        if each:  # the story's fields as the record's own: cheaper than entering it
            story = {"correlation": safe_id(event.tags.correlation_id), "trace": trace_id(event)}
            log.info("%s: applied %s %s", consumer, event.type, event.id, extra=story)


@contextmanager
def view_writes(consumer: str) -> Iterator[None]:
    """Time one batch's view writes (``fd_view_write_seconds``)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        VIEW_WRITE_SECONDS.labels(consumer).observe(time.perf_counter() - started)
