"""The story a process works on: W3C traceparents parsed, continued and started, the
correlation id and trace carried by the context into the events recorded, apart per task."""

from __future__ import annotations

import asyncio

import pytest
from opentelemetry import trace

from bff.restaurant.demo import RESTAURANTS
from events import Event, OrderCancelled, OrderPlaced
from observability.tracing import (
    UNSAFE,
    TraceParent,
    current_story,
    inject,
    note_written,
    safe_id,
    story,
    story_of,
)
from tests.support import upstream

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE}-00f067aa0ba902b7-01"
KITCHEN = RESTAURANTS[0]


def placed() -> OrderPlaced:
    menu = KITCHEN.items
    return upstream.placed(
        upstream.order_from_menu(KITCHEN.restaurant.id, KITCHEN.restaurant.name, menu)
    )


def test_a_traceparent_is_read_and_written_as_the_w3c_spec_says() -> None:
    parsed = TraceParent.parse(PARENT)
    assert parsed == TraceParent(TRACE, "00f067aa0ba902b7", "01")
    assert str(parsed) == PARENT


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "not a traceparent",
        f"ff-{TRACE}-00f067aa0ba902b7-01",  # version ff is invalid
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",  # all-zero trace id
        f"00-{TRACE}-0000000000000000-01",  # all-zero span id
        f"00-{TRACE}-00f067aa0ba902b7",  # no flags
    ],
)
def test_an_invalid_traceparent_is_none(text: str | None) -> None:
    assert TraceParent.parse(text) is None


def test_a_story_continues_the_callers_trace_in_a_span_of_its_own() -> None:
    with story("mutation placeOrder", traceparent=PARENT) as current:
        assert current.trace_id == TRACE
        assert current.span.span_id != "00f067aa0ba902b7"
        assert TraceParent.parse(current.traceparent) == current.span
        # OpenTelemetry sees the same span (libraries instrumented with it continue it)
        otel = trace.get_current_span().get_span_context()
        assert format(otel.trace_id, "032x") == TRACE
        assert format(otel.span_id, "016x") == current.span.span_id
        assert inject({}) == {"traceparent": current.traceparent}
    assert current_story() is None
    assert not trace.get_current_span().get_span_context().is_valid
    assert inject({}) == {}


@pytest.mark.parametrize("parent", [None, "garbage", f"ff-{TRACE}-00f067aa0ba902b7-01"])
def test_without_a_valid_parent_a_story_starts_a_new_trace(parent: str | None) -> None:
    with story("mutation goOnline", traceparent=parent) as first:
        pass
    with story("mutation goOnline", traceparent=parent) as second:
        pass
    assert TraceParent.parse(first.traceparent) is not None
    assert first.trace_id != second.trace_id


def test_stories_nest_and_the_outer_one_comes_back() -> None:
    with story("outer", correlation_id="c-outer") as outer:
        with story("inner", traceparent=outer.traceparent, correlation_id="c-inner") as inner:
            assert current_story() is inner
            assert inner.trace_id == outer.trace_id
        assert current_story() is outer


def test_an_event_recorded_in_a_command_carries_its_trace_and_starts_its_own_story() -> None:
    with story("mutation placeOrder", traceparent=PARENT) as current:
        event = placed()
        note_written([event])
    assert event.tags.traceparent == current.traceparent
    assert event.tags.correlation_id == event.id  # a new story: correlated by its own id
    assert current.written == [("order-placed", event.id, event.id)]
    assert current.correlation == event.id  # what the command's log line shows


def test_a_command_gives_the_correlation_of_the_story_it_continues() -> None:
    first = placed()
    with story("mutation acceptOrder", traceparent=PARENT):
        accepted = upstream.accepted(first.order, caused_by=first)
    assert accepted.tags.correlation_id == first.tags.correlation_id  # caused_by continues
    continued = TraceParent.parse(accepted.tags.traceparent)
    assert continued is not None and continued.trace_id == TRACE


def test_a_listener_continues_the_story_of_the_event_it_applies() -> None:
    with story("mutation placeOrder", traceparent=PARENT):
        event = placed()
    with story_of(event) as applying:
        assert applying.correlation == event.tags.correlation_id
        assert applying.trace_id == TRACE
        follow_up = upstream.cancelled(event.order)
        explicit = OrderCancelled.record(
            order=event.order.model_copy(update={"status": "cancelled"}),
            reason="test",
            source="test",
            actor="listener:test",
            correlation_id="c-explicit",
        )
    assert follow_up.tags.correlation_id == event.tags.correlation_id
    assert follow_up.tags.traceparent == applying.traceparent
    assert explicit.tags.correlation_id == "c-explicit"  # what a producer names wins


def test_outside_a_story_events_are_recorded_as_before() -> None:
    event = placed()
    assert event.tags.traceparent is None
    assert event.tags.correlation_id == event.id


async def test_each_task_has_its_own_story() -> None:
    seen: dict[str, str | None] = {}

    async def work(name: str) -> None:
        with story(name, correlation_id=f"c-{name}"):
            await asyncio.sleep(0.01)
            found = current_story()
            seen[name] = found.correlation if found else None

    await asyncio.gather(work("a"), work("b"))
    assert seen == {"a": "c-a", "b": "c-b"}
    assert current_story() is None


def test_ids_that_are_not_safe_to_log_are_replaced() -> None:
    assert safe_id("01K0ABCDEF") == "01K0ABCDEF"
    assert safe_id("o-123:x") == "o-123:x"
    assert safe_id("two words") == UNSAFE
    assert safe_id("line\nbreak") == UNSAFE
    assert safe_id("x" * 81) == UNSAFE
    assert safe_id(None) is None


def test_the_event_tag_pattern_accepts_what_a_story_writes() -> None:
    with story("any"):
        event: Event = placed()
    assert event.tags.traceparent is not None
