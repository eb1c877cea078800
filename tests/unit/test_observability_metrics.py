"""The metrics: what the hub, the listeners and the live hub count, the correlation id on
the counters as an exemplar (never a label), shown in the OpenMetrics format that
``/metrics`` answers when asked for it."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from aiokafka import TopicPartition
from prometheus_client import REGISTRY
from starlette.applications import Starlette
from ulid import ULID

from bff.restaurant.demo import RESTAURANTS
from events import OrderPlaced, to_wire
from observability import serve
from observability.hub import consumed_records, observe_lag, produced
from observability.listening import observe_batch, view_writes
from observability.live import pushed, watch_subscribers
from observability.logs import StoryFields
from observability.metrics import EVENTS_PRODUCED, exemplar, observe_backlog
from observability.tracing import story
from tests.support import upstream

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE}-00f067aa0ba902b7-01"
KITCHEN = RESTAURANTS[0]
OPENMETRICS = "application/openmetrics-text; version=1.0.0"


def placed(traced: bool = True) -> OrderPlaced:
    order = upstream.order_from_menu(KITCHEN.restaurant.id, KITCHEN.restaurant.name, KITCHEN.items)
    if not traced:
        return upstream.placed(order)
    with story("mutation placeOrder", traceparent=PARENT):
        return upstream.placed(order)


def unique(prefix: str) -> str:
    return f"{prefix}-{str(ULID()).lower()}"


def value(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture
def served() -> Iterator[httpx.AsyncClient]:
    app = Starlette(routes=[serve.route()])
    yield httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test")


async def test_metrics_show_the_story_as_an_exemplar_in_openmetrics_only(
    served: httpx.AsyncClient,
) -> None:
    event = placed()
    produced(to_wire(event))
    story_labels = f'correlation_id="{event.tags.correlation_id}",trace_id="{TRACE}"'
    async with served as client:
        open_metrics = await client.get("/metrics", headers={"accept": OPENMETRICS})
        plain = await client.get("/metrics")
    assert open_metrics.headers["content-type"].startswith("application/openmetrics-text")
    line = next(
        line
        for line in open_metrics.text.splitlines()
        if line.startswith('fd_events_produced_total{type="order-placed"}')
    )
    assert f"# {{{story_labels}}}" in line
    assert open_metrics.text.rstrip().endswith("# EOF")
    assert plain.headers["content-type"].startswith("text/plain")
    assert 'fd_events_produced_total{type="order-placed"}' in plain.text
    assert "correlation_id" not in plain.text  # exemplars are OpenMetrics only, never labels


def test_a_published_record_is_counted_by_the_type_it_names() -> None:
    before = value("fd_events_produced_total", type="order-placed")
    produced(to_wire(placed(traced=False)))
    assert value("fd_events_produced_total", type="order-placed") == before + 1
    unknown = value("fd_events_produced_total", type="unknown")
    produced(b"{not json")
    produced(b'{"id":"x","type":"no-such-type"}')
    assert value("fd_events_produced_total", type="unknown") == unknown + 2


def test_an_untraced_event_carries_its_correlation_alone() -> None:
    event = placed(traced=False)
    produced(to_wire(event))
    sample = EVENTS_PRODUCED.labels("order-placed")._value.get_exemplar()
    assert sample is not None
    assert sample.labels == {"correlation_id": event.tags.correlation_id}


def test_an_exemplar_stays_within_the_openmetrics_limit() -> None:
    assert exemplar("c" * 26, TRACE) == {"correlation_id": "c" * 26, "trace_id": TRACE}
    assert exemplar("c" * 100, TRACE) == {"trace_id": TRACE}
    assert exemplar(None, None) is None


def test_a_listener_counts_what_it_read_applied_and_failed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    consumer = unique("listener")
    good, failing, untraced = placed(), placed(), placed(traced=False)
    no_rule = upstream.cancelled(good.order)
    caplog.handler.addFilter(StoryFields())
    with caplog.at_level(logging.INFO, logger="listeners.applied"):
        observe_batch(
            consumer,
            records=7,  # 4 events, 1 of an unknown type, 2 malformed
            events=[good, failing, untraced, no_rule],
            malformed=2,
            failed=[(failing, "ValueError: boom")],
            has_rule=lambda kind: kind == "order-placed",
        )
    assert value("fd_events_consumed_total", consumer=consumer, type="order-placed") == 3
    assert value("fd_events_consumed_total", consumer=consumer, type="order-cancelled") == 1
    assert value("fd_events_consumed_total", consumer=consumer, type="unknown") == 1
    assert value("fd_events_consumed_total", consumer=consumer, type="malformed") == 2
    faults = "fd_listener_faults_total"
    assert value(faults, consumer=consumer, type="none", reason="malformed") == 2
    assert value(faults, consumer=consumer, type="order-placed", reason="rule") == 1
    # applied (timed and logged): the events with a rule that did not fail
    assert value("fd_event_age_seconds_count", consumer=consumer, type="order-placed") == 2
    assert value("fd_event_age_seconds_count", consumer=consumer, type="order-cancelled") == 0
    lines = [r for r in caplog.records if r.name == "listeners.applied"]
    assert [r.getMessage() for r in lines] == [
        f"{consumer}: applied order-placed {good.id}",
        f"{consumer}: applied order-placed {untraced.id}",
    ]
    first, second = (story_of(r) for r in lines)
    assert first == (good.tags.correlation_id, TRACE)
    assert second == (untraced.tags.correlation_id, None)


def test_view_writes_are_timed() -> None:
    consumer = unique("listener")
    with view_writes(consumer):
        pass
    assert value("fd_view_write_seconds_count", consumer=consumer) == 1


def test_the_lake_counts_records_by_the_type_they_name() -> None:
    consumer = unique("lake")
    consumed_records(consumer, [to_wire(placed()), b"garbage", None])
    assert value("fd_events_consumed_total", consumer=consumer, type="order-placed") == 1
    assert value("fd_events_consumed_total", consumer=consumer, type="unknown") == 2


@dataclass
class FakeConsumer:
    """What ``observe_lag`` reads of an aiokafka consumer."""

    ends: dict[TopicPartition, int | None]
    positions: dict[TopicPartition, int]

    def assignment(self) -> set[TopicPartition]:
        return set(self.ends)

    def highwater(self, tp: TopicPartition) -> int | None:
        return self.ends[tp]

    async def position(self, tp: TopicPartition) -> int:
        return self.positions[tp]


async def test_consumer_lag_is_the_end_offset_minus_the_position_per_partition() -> None:
    name = unique("listener")
    p0, p1, p2 = (TopicPartition("t", n) for n in range(3))
    consumer = FakeConsumer({p0: 10, p1: 5, p2: None}, {p0: 4, p1: 5})
    await observe_lag(name, consumer)
    assert value("fd_consumer_lag", consumer=name, partition="0") == 6
    assert value("fd_consumer_lag", consumer=name, partition="1") == 0
    assert (
        REGISTRY.get_sample_value("fd_consumer_lag", {"consumer": name, "partition": "2"}) is None
    )
    await observe_lag(name, FakeConsumer({p1: 7}, {p1: 5}))  # p0 moved to another member
    assert (
        REGISTRY.get_sample_value("fd_consumer_lag", {"consumer": name, "partition": "0"}) is None
    )
    assert value("fd_consumer_lag", consumer=name, partition="1") == 2


def test_live_subscribers_are_counted_when_scraped() -> None:
    service = unique("service")
    subscribers = [1, 2]
    watch_subscribers(service, lambda: len(subscribers))
    assert value("fd_live_subscribers", service=service) == 2
    subscribers.append(3)
    assert value("fd_live_subscribers", service=service) == 3


def test_a_push_is_logged_in_the_story_of_its_event(caplog: pytest.LogCaptureFixture) -> None:
    event = placed()
    message = {
        "view": "orders_view",
        "id": event.order.id,
        "type": event.type,
        "eventId": event.id,
        "correlationId": event.tags.correlation_id,
        "traceparent": event.tags.traceparent,
    }
    caplog.handler.addFilter(StoryFields())
    with caplog.at_level(logging.INFO, logger="bff.kit.live.push"):
        pushed("customer:c-1", message, 0)  # nobody here to push to: nothing logged
        pushed("customer:c-1", message, 2)
    (line,) = caplog.records
    assert (
        line.getMessage() == "live push to customer:c-1: order-placed (orders_view, 2 subscribers)"
    )
    assert story_of(line) == (event.tags.correlation_id, TRACE)


def test_the_outbox_backlog_is_what_the_last_sweep_found() -> None:
    service = unique("service")
    observe_backlog(service, 3)
    observe_backlog(service, 0)
    assert value("fd_outbox_backlog", service=service) == 0


def test_a_metrics_port_taken_by_another_process_is_no_reason_to_stop(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with caplog.at_level(logging.WARNING, logger="observability.serve"):
            assert serve.serve_metrics(port) is None
    assert "metrics not served" in caplog.text


def story_of(record: logging.LogRecord) -> tuple[object, object]:
    """The (correlation, trace) ``StoryFields`` gave a record."""
    return getattr(record, "correlation", None), getattr(record, "trace", None)
