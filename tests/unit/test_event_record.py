"""Producers record facts with one factory: fresh ULID, timestamp, partitionKey, tags."""

from __future__ import annotations

import time
from typing import Any

import pytest
from pydantic import ValidationError
from ulid import ULID

from events import (
    EVENT_TYPES,
    Event,
    Fault,
    FaultReported,
    OrderAccepted,
    OrderPlaced,
    parse_event,
    to_dict,
    to_wire,
)
from events.ids import ulid_ms
from events.samples import sample_dict, sample_event

ORDER_ID = sample_dict("order-placed")["order"]["id"]
# the rule, spelled out independently of the models: wire path of the key in the event
KEY_PATHS = {
    "restaurant-updated": "restaurant.id",
    "restaurant-opened": "restaurant.id",
    "restaurant-closed": "restaurant.id",
    "menu-updated": "menu.restaurantId",
    "menu-viewed": "view.restaurantId",
    "order-placed": "order.id",
    "order-cancelled": "order.id",
    "order-accepted": "order.id",
    "order-rejected": "order.id",
    "order-ready": "order.id",
    "driver-status-changed": "driver.id",
    "driver-location-changed": "position.driverId",
    "delivery-accepted": "delivery.orderId",
    "order-picked-up": "delivery.orderId",
    "order-delivered": "delivery.orderId",
    "fault": "fault.event.partitionKey",
}
PRODUCER: dict[str, Any] = {"source": "bff-test", "actor": "customer:c-1"}


def record_like(event_type: str, **kwargs: Any) -> Event:
    """Record a new event of this type carrying the same facts as its sample."""
    sample = sample_event(event_type)
    envelope = Event.model_fields
    facts = {k: getattr(sample, k) for k in type(sample).model_fields if k not in envelope}
    return EVENT_TYPES[event_type].record(**facts, **(PRODUCER | kwargs))


def dig(data: Any, path: str) -> Any:
    for step in path.split("."):
        data = data[step]
    return data


def test_key_rule_table_covers_the_catalog() -> None:
    assert set(KEY_PATHS) == set(EVENT_TYPES)


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_record_derives_partition_key_from_the_snapshot(event_type: str) -> None:
    event = record_like(event_type)
    wire = to_dict(event)
    assert wire["partitionKey"] == dig(wire, KEY_PATHS[event_type])
    assert parse_event(to_wire(event)) == event


ORDER_KEYED = [t for t in EVENT_TYPES if t.startswith(("order-", "delivery-"))]


def test_order_keyed_types_are_the_order_and_delivery_facts() -> None:
    assert len(ORDER_KEYED) == 8
    assert {"delivery-accepted", "order-picked-up", "order-delivered"} <= set(ORDER_KEYED)


@pytest.mark.parametrize("event_type", ORDER_KEYED)
def test_order_and_delivery_facts_share_the_order_partition(event_type: str) -> None:
    assert record_like(event_type).partition_key == ORDER_ID


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_sample_follows_the_key_rule(event_type: str) -> None:
    data = sample_dict(event_type)
    assert data["partitionKey"] == dig(data, KEY_PATHS[event_type])


def test_record_sets_a_fresh_ulid_timestamp_and_new_correlation() -> None:
    before = time.time_ns() // 1_000_000
    event = record_like("order-placed")
    after = time.time_ns() // 1_000_000
    assert len(event.id) == 26
    assert str(ULID.from_str(event.id)) == event.id
    assert before <= event.timestamp <= after
    assert ulid_ms(event.id) == event.timestamp
    assert event.type == "order-placed"
    assert event.tags.correlation_id == event.id
    assert event.tags.causation_id is None
    assert event.tags.source == "bff-test" and event.tags.actor == "customer:c-1"
    assert event.tags.region == "local"


def test_ids_sort_by_time_and_by_recording_order_within_one_millisecond() -> None:
    times = [1_750_000_000_000, 1_750_000_000_001, 1_750_000_000_001, 1_750_000_060_000]
    events = [record_like("menu-viewed", now_ms=t) for t in reversed(times)]
    assert sorted(e.id for e in events) == [e.id for e in sorted(events, key=lambda e: e.timestamp)]
    burst = [record_like("menu-viewed", now_ms=1_750_000_000_500).id for _ in range(50)]
    assert burst == sorted(burst) and len(set(burst)) == 50
    assert {ulid_ms(i) for i in burst} == {1_750_000_000_500}


def test_caused_by_continues_the_story() -> None:
    placed = record_like("order-placed")
    accepted = record_like("order-accepted", caused_by=placed)
    assert isinstance(accepted, OrderAccepted)
    assert accepted.tags.correlation_id == placed.tags.correlation_id == placed.id
    assert accepted.tags.causation_id == placed.id
    explicit = record_like("order-ready", correlation_id="corr-1", causation_id="cause-1")
    assert (explicit.tags.correlation_id, explicit.tags.causation_id) == ("corr-1", "cause-1")


def test_fault_about_an_event_without_a_key_is_keyed_by_its_own_id() -> None:
    fault = FaultReported.record(
        fault=Fault(listener="bff-customer.listener", error="not JSON", event={"raw": "x{"}),
        source="bff-customer",
        actor="service:bff-customer.listener",
    )
    assert fault.partition_key == fault.id


def test_record_rejects_a_snapshot_that_breaks_the_contract() -> None:
    order = sample_event("order-accepted")
    assert isinstance(order, OrderAccepted)
    with pytest.raises(ValidationError, match=r"order\.status must be 'placed'"):
        OrderPlaced.record(order=order.order, **PRODUCER)
