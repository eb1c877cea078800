"""The story a process is working on: a correlation id and a W3C trace context.

A *story* is what one order (one restaurant's menu, one driver's shift) goes through,
across every service. Its **correlation id** is the id of the event that started it
(``events.Event.record``); every later event of it carries the same one (commands
continue it explicitly, ``caused_by`` does, and so does this module's context). Each step
also carries a **traceparent** (W3C Trace Context, ``00-<trace id>-<span id>-<flags>``):
a GraphQL mutation continues the caller's ``traceparent`` header or starts a new trace,
every event it records carries the mutation's span, and a listener applying the event
continues that trace in a child span.

``story(...)`` sets both for a block, in a context variable (each asyncio task sees its
own) and as OpenTelemetry's current span: the event envelope records them, the log lines
show them (``observability.logs``), metrics attach them as exemplars. With no
OpenTelemetry SDK configured the API's tracer records nothing and hands back its parent's
span; the story then makes its own child span id (and a new trace id when there is no
parent), so a traceparent always flows. With an SDK, its spans are used as they are.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import NonRecordingSpan, SpanContext, TraceFlags
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

if TYPE_CHECKING:
    from events.envelope import Event

#: the HTTP header (and event tag) of the W3C trace context
TRACEPARENT = "traceparent"
#: what a correlation id may look like to be logged and attached as is (ULIDs, order
#: ids); anything else (a hand-made event's) is shown as ``UNSAFE``
_SAFE_ID = re.compile(r"[A-Za-z0-9._:@-]{1,80}")
UNSAFE = "unsafe-id"

_PROPAGATOR = TraceContextTextMapPropagator()
_TRACER = trace.get_tracer("food-delivery")
_random = random.Random()


@dataclass(frozen=True)
class TraceParent:
    """A W3C ``traceparent``: 32 hex digits of trace id, 16 of span id, 2 of flags."""

    trace_id: str
    span_id: str
    flags: str = "01"

    def __str__(self) -> str:
        return f"00-{self.trace_id}-{self.span_id}-{self.flags}"

    @classmethod
    def parse(cls, text: str | None) -> TraceParent | None:
        """The trace context of a ``traceparent`` header or tag; None when it is absent or
        invalid (wrong shape, version ``ff``, an all-zero id), as the W3C spec says."""
        context = _span_context(text)
        return None if context is None else cls.of(context)

    @classmethod
    def of(cls, context: SpanContext) -> TraceParent:
        return cls(
            format(context.trace_id, "032x"),
            format(context.span_id, "016x"),
            format(context.trace_flags, "02x"),
        )

    @classmethod
    def new_trace(cls) -> TraceParent:
        """A new trace, sampled: the first span of a story nobody traced before."""
        return cls(format(_new_trace_id(), "032x"), format(_new_span_id(), "016x"))

    def child(self) -> TraceParent:
        """A new span of the same trace (what continuing a traceparent means)."""
        return TraceParent(self.trace_id, format(_new_span_id(), "016x"), self.flags)

    def span_context(self, *, remote: bool = False) -> SpanContext:
        return SpanContext(
            trace_id=int(self.trace_id, 16),
            span_id=int(self.span_id, 16),
            is_remote=remote,
            trace_flags=TraceFlags(int(self.flags, 16)),
        )


@dataclass
class Story:
    """The story of the running block: this process's span of it and its correlation."""

    span: TraceParent
    #: the story continued (a listener: its event's); events recorded without a
    #: correlation of their own take it. A command's starts empty: which story it
    #: continues is the command's to say (an order's stored correlation id).
    correlation_id: str | None = None
    #: what a command wrote with the outbox: (type, id, correlation id) of each event
    written: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def trace_id(self) -> str:
        return self.span.trace_id

    @property
    def traceparent(self) -> str:
        return str(self.span)

    @property
    def correlation(self) -> str | None:
        """The correlation id to show (``safe_id``): the story's, else that of the first
        event written."""
        if self.correlation_id is not None:
            return safe_id(self.correlation_id)
        return safe_id(self.written[0][2]) if self.written else None


_STORY: ContextVar[Story | None] = ContextVar("fd_story", default=None)


def current_story() -> Story | None:
    """The story of the running block, if any."""
    return _STORY.get()


@contextmanager
def story(
    name: str, *, traceparent: str | None = None, correlation_id: str | None = None
) -> Iterator[Story]:
    """Work on a story for the block: a span named ``name``, the child of ``traceparent``
    (a new trace when there is none or it is invalid), correlated by ``correlation_id``
    (None: the block's events start or name their own)."""
    parent = _span_context(traceparent)
    parent_context = (
        trace.set_span_in_context(NonRecordingSpan(parent))
        if parent is not None
        else otel_context.Context()
    )
    span = _TRACER.start_span(name, context=parent_context, kind=trace.SpanKind.INTERNAL)
    made = span.get_span_context()
    if not made.is_valid or (parent is not None and made.span_id == parent.span_id):
        # the API without an SDK: no span of its own; make the child span id here
        mine = TraceParent.of(parent).child() if parent is not None else TraceParent.new_trace()
        span = NonRecordingSpan(mine.span_context())
        made = span.get_span_context()
    current = Story(TraceParent.of(made), correlation_id)
    attached = otel_context.attach(trace.set_span_in_context(span, parent_context))
    token = _STORY.set(current)
    try:
        yield current
    finally:
        _STORY.reset(token)
        otel_context.detach(attached)
        span.end()


@contextmanager
def story_of(event: Event) -> Iterator[Story]:
    """Continue an event's story while handling it (its correlation id and trace)."""
    with story(
        f"apply {event.type}",
        traceparent=event.tags.traceparent,
        correlation_id=event.tags.correlation_id,
    ) as current:
        yield current


def note_written(events: Iterable[Event]) -> None:
    """A command wrote these events (the outbox calls this after its write)."""
    current = _STORY.get()
    if current is not None:
        current.written.extend(
            (event.type, event.id, event.tags.correlation_id) for event in events
        )


def inject(carrier: dict[str, str]) -> dict[str, str]:
    """``carrier`` with the current span's ``traceparent`` (OpenTelemetry's W3C
    propagator; nothing when no story runs)."""
    _PROPAGATOR.inject(carrier)
    return carrier


def safe_id(value: str | None) -> str | None:
    """``value`` when it is safe to log and attach (no spaces, newlines, 80 chars at most),
    ``UNSAFE`` otherwise; None stays None."""
    if value is None:
        return None
    return value if _SAFE_ID.fullmatch(value) else UNSAFE


def _span_context(text: str | None) -> SpanContext | None:
    if not text:
        return None
    extracted = _PROPAGATOR.extract({TRACEPARENT: text})
    context = trace.get_current_span(extracted).get_span_context()
    return context if context.is_valid else None


def _new_trace_id() -> int:
    while not (value := _random.getrandbits(128)):
        pass
    return value


def _new_span_id() -> int:
    while not (value := _random.getrandbits(64)):
        pass
    return value
