"""Live updates: how many subscriptions an API process pushes to, and one log line per
notification it pushed, in the story of the event behind it.

A listener's notification names its event's story (``correlationId``, ``traceparent``:
``listeners.runtime``); ``pushed`` logs ``live push to customer:c-1: order-accepted
(orders_view, 1 subscriber) correlation=<id> trace=<id>`` when at least one subscriber of
this process got it (``FD_LOG_EVENTS``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from observability.metrics import LIVE_SUBSCRIBERS
from observability.settings import observability_settings
from observability.tracing import TraceParent, safe_id

log = logging.getLogger("bff.kit.live.push")


def watch_subscribers(service: str, count: Callable[[], int]) -> None:
    """``fd_live_subscribers{service}`` reads ``count()`` whenever it is scraped (from the
    metrics server's thread, in a process without HTTP: a count that changed while it was
    read is taken again)."""

    def current() -> float:
        for _ in range(3):
            try:
                return float(count())
            except RuntimeError:  # the subscribers changed while they were counted
                continue
        return float("nan")

    LIVE_SUBSCRIBERS.labels(service).set_function(current)


def pushed(scope: str, message: Mapping[str, object], subscribers: int) -> None:
    """A notification of ``scope`` went to ``subscribers`` subscribers of this process."""
    if not subscribers or not observability_settings().log_events:
        return
    correlation = message.get("correlationId")
    traceparent = message.get("traceparent")
    parent = TraceParent.parse(traceparent) if isinstance(traceparent, str) else None
    story = {
        "correlation": safe_id(correlation) if isinstance(correlation, str) else None,
        "trace": parent.trace_id if parent is not None else None,
    }
    log.info(
        "live push to %s: %s (%s, %d subscriber%s)",
        safe_id(scope),
        _text(message.get("type")),
        _text(message.get("view")),
        subscribers,
        "" if subscribers == 1 else "s",
        extra=story,
    )


def _text(value: object) -> str:
    return (safe_id(value) or "-") if isinstance(value, str) else "-"
