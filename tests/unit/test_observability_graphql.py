"""The kit's GraphQL extension (``bff.kit.observed``): each operation timed with bounded
labels, each query and mutation in a story continuing the caller's ``traceparent``, and
one log line per mutation naming the events it wrote, in its story."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any, cast

import pytest
import strawberry
from prometheus_client import REGISTRY
from starlette.requests import Request
from starlette.responses import Response
from strawberry.types import Info

from bff.kit.context import Context
from bff.kit.schema import make_schema
from bff.restaurant.demo import RESTAURANTS
from events import OrderPlaced
from observability.logs import StoryFields
from observability.metrics import OperationNames
from observability.tracing import current_story, note_written
from tests.support import upstream

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE}-00f067aa0ba902b7-01"
SERVICE = "observed-test"
KITCHEN = RESTAURANTS[0]
recorded: list[OrderPlaced] = []


@strawberry.type
class Query:
    @strawberry.field
    def trace(self) -> str:
        found = current_story()
        return found.trace_id if found else ""

    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("a bug")


@strawberry.type
class Mutation:
    @strawberry.mutation
    def place(self, info: Info[Context, None]) -> str:
        order = upstream.order_from_menu(
            KITCHEN.restaurant.id, KITCHEN.restaurant.name, KITCHEN.items
        )
        event = upstream.placed(order)
        note_written([event])  # what the outbox does after its write
        recorded.append(event)
        return event.id

    @strawberry.mutation
    def fail(self) -> str:
        raise RuntimeError("a bug")


SCHEMA = make_schema(query=Query, mutation=Mutation)


def context(traceparent: str | None = None) -> Context:
    headers = [(b"traceparent", traceparent.encode())] if traceparent else []
    request = Request({"type": "http", "method": "POST", "path": "/graphql", "headers": headers})
    services = SimpleNamespace(spec=SimpleNamespace(service=SERVICE))
    return Context(request=request, response=Response(), services=cast(Any, services))


def count(operation: str, kind: str, outcome: str) -> float:
    labels = {"service": SERVICE, "operation": operation, "type": kind, "outcome": outcome}
    return REGISTRY.get_sample_value("fd_graphql_request_seconds_count", labels) or 0.0


async def test_a_mutation_continues_the_callers_trace_and_logs_what_it_wrote(
    caplog: pytest.LogCaptureFixture,
) -> None:
    before = count("PlaceIt", "mutation", "ok")
    caplog.handler.addFilter(StoryFields())
    with caplog.at_level(logging.INFO, logger="bff.kit.commands"):
        result = await SCHEMA.execute("mutation PlaceIt { place }", context_value=context(PARENT))
    assert result.errors is None
    event = recorded[-1]
    assert result.data == {"place": event.id}
    assert event.tags.traceparent is not None and event.tags.traceparent.split("-")[1] == TRACE
    assert count("PlaceIt", "mutation", "ok") == before + 1
    (line,) = [r for r in caplog.records if r.name == "bff.kit.commands"]
    assert line.getMessage() == f"mutation PlaceIt ok: order-placed {event.id}"
    assert story_of(line) == (event.tags.correlation_id, TRACE)


async def test_a_mutation_without_a_traceparent_starts_a_new_trace() -> None:
    await SCHEMA.execute("mutation { place }", context_value=context())
    await SCHEMA.execute("mutation { place }", context_value=context("garbage"))
    first, second = (e.tags.traceparent or "" for e in recorded[-2:])
    assert first.split("-")[1] != second.split("-")[1]
    assert TRACE not in (first, second)


async def test_a_query_runs_in_no_story() -> None:
    result = await SCHEMA.execute("query { trace }", context_value=context(PARENT))
    assert result.data == {"trace": ""}


async def test_a_failed_mutation_that_wrote_nothing_is_not_logged_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="bff.kit.commands"):
        result = await SCHEMA.execute("mutation { fail }", context_value=context())
    assert result.errors
    assert not [r for r in caplog.records if r.name == "bff.kit.commands"]


async def test_operations_are_labelled_by_name_else_by_root_fields_and_outcome() -> None:
    before = {
        key: count(*key)
        for key in (
            ("trace", "query", "ok"),
            ("Broken", "query", "error"),
            ("invalid", "unknown", "error"),
        )
    }
    await SCHEMA.execute("{ trace }", context_value=context())
    await SCHEMA.execute("query Broken { broken }", context_value=context())
    await SCHEMA.execute("query {", context_value=context())  # does not parse
    for key, was in before.items():
        assert count(*key) == was + 1, key


def test_at_most_so_many_operation_names_become_labels() -> None:
    names = OperationNames(limit=2)
    assert [names.label(n) for n in ("a", "b", "c", "a")] == ["a", "b", "other", "a"]
    assert names.label("not a name") == "other"


def story_of(record: logging.LogRecord) -> tuple[object, object]:
    """The (correlation, trace) ``StoryFields`` gave a record."""
    return getattr(record, "correlation", None), getattr(record, "trace", None)
