"""Every Prometheus metric of the system, defined in one place (docs/observability.md).

Labels are few and bounded: a consumer's name, an event type of the catalog, a partition,
a service, a GraphQL operation (at most ``OPERATIONS_KEPT`` distinct names a process).
What identifies one story, its correlation id and trace id, goes on the samples as an
**exemplar** (``exemplar``), never as a label: exemplars show in the OpenMetrics format
(``Accept: application/openmetrics-text``), each series keeping its latest one.

The metrics live in prometheus_client's default registry, with its process and Python
collectors; ``observability.serve`` exposes them.
"""

from __future__ import annotations

import re
import threading

from prometheus_client import Counter, Gauge, Histogram

from events.catalog import EVENT_TYPES

#: seconds, for things that take milliseconds (a view write, a GraphQL request)
FAST_SECONDS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
#: seconds, for how old an event is when it is applied (milliseconds to minutes behind)
AGE_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)

EVENTS_CONSUMED = Counter(
    "fd_events_consumed",
    "Records a consumer read from the hub, per event type ('unknown': a type the catalog "
    "does not know, 'malformed': not a valid event).",
    ["consumer", "type"],
)
EVENTS_PRODUCED = Counter(
    "fd_events_produced",
    "Events published to the hub and acknowledged, per event type.",
    ["type"],
)
CONSUMER_LAG = Gauge(
    "fd_consumer_lag",
    "Records on a partition a consumer has not read yet: end offset - position.",
    ["consumer", "partition"],
)
FAULTS = Counter(
    "fd_listener_faults",
    "Records a listener could not apply (reason 'malformed': not a valid event; 'rule': "
    "its rule failed), each stored and reported by a fault event.",
    ["consumer", "type", "reason"],
)
VIEW_WRITE_SECONDS = Histogram(
    "fd_view_write_seconds",
    "Time a listener took to store one batch's view writes.",
    ["consumer"],
    buckets=FAST_SECONDS,
)
EVENT_AGE_SECONDS = Histogram(
    "fd_event_age_seconds",
    "Age of an event (now - its timestamp) when a listener applied it.",
    ["consumer", "type"],
    buckets=AGE_SECONDS,
)
GRAPHQL_SECONDS = Histogram(
    "fd_graphql_request_seconds",
    "GraphQL operations (queries and mutations) from the request to the answer, per "
    "operation name, type and outcome ('ok', or 'error' when the answer has errors).",
    ["service", "operation", "type", "outcome"],
    buckets=FAST_SECONDS,
)
LIVE_SUBSCRIBERS = Gauge(
    "fd_live_subscribers",
    "Live GraphQL subscriptions this API process is pushing updates to.",
    ["service"],
)
OUTBOX_BACKLOG = Gauge(
    "fd_outbox_backlog",
    "Documents with events waiting in their outbox, found by the relay's latest sweep.",
    ["service"],
)

#: at most this many distinct operation names per process; later ones are 'other'
OPERATIONS_KEPT = 200
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_+]{0,79}")
#: the runes an exemplar's label set may have (OpenMetrics)
_EXEMPLAR_RUNES = 128


def event_type(text: str | None) -> str:
    """A type label: a catalog type, else ``unknown`` (no client-made label values)."""
    return text if text in EVENT_TYPES else "unknown"


class OperationNames:
    """The first ``limit`` distinct operation names a process sees, as labels; a name
    after those (or one that is no GraphQL name) is ``other``: a client that names
    operations at random cannot grow the metrics without bound."""

    def __init__(self, limit: int = OPERATIONS_KEPT) -> None:
        self._limit = limit
        self._kept: set[str] = set()
        self._lock = threading.Lock()

    def label(self, name: str) -> str:
        if name in self._kept:
            return name
        if not _NAME.fullmatch(name):
            return "other"
        with self._lock:
            if len(self._kept) >= self._limit:
                return "other"
            self._kept.add(name)
        return name


OPERATIONS = OperationNames()


def exemplar(correlation_id: str | None, trace_id: str | None) -> dict[str, str] | None:
    """The exemplar labels of one story (None when there is nothing to attach); an id
    too long for an exemplar's 128 runes is left out."""
    labels: dict[str, str] = {}
    if correlation_id:
        labels["correlation_id"] = correlation_id
    if trace_id:
        labels["trace_id"] = trace_id
    while labels and sum(len(k) + len(v) for k, v in labels.items()) > _EXEMPLAR_RUNES:
        labels.pop(next(iter(labels)))
    return labels or None


def observe_backlog(service: str, documents: int) -> None:
    """The relay's sweep found ``documents`` documents with pending events."""
    OUTBOX_BACKLOG.labels(service).set(documents)
