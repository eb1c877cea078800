"""Malformed events are rejected by the models (and the schemas) with the field named."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from events import InvalidEvent, OrderPlaced, UnknownEventType, parse_event
from events.samples import sample_dict
from events.schemas import SCHEMAS_DIR

Edit = Callable[[dict[str, Any]], None]


def edited(event_type: str, edit: Edit) -> dict[str, Any]:
    data = sample_dict(event_type)
    edit(data)
    return data


def schema_accepts(event_type: str, data: dict[str, Any]) -> bool:
    schema = json.loads((SCHEMAS_DIR / f"{event_type}.json").read_text("utf-8"))
    return bool(Draft202012Validator(schema).is_valid(data))


# (event type, edit, exact line expected in the InvalidEvent message)
FIELD_ERRORS: list[tuple[str, Edit, str]] = [
    (
        "order-placed",
        lambda d: d["order"]["items"][0].update(quantity=0),
        "order-placed: order.items.0.quantity: Input should be greater than or equal to 1",
    ),
    (
        "order-placed",
        lambda d: d["order"].pop("customerId"),
        "order-placed: order.customerId: Field required",
    ),
    (
        "order-placed",
        lambda d: d["order"]["items"][1].update(quantity="two"),
        "order-placed: order.items.1.quantity: Input should be a valid integer, "
        "unable to parse string as an integer",
    ),
    (
        "order-accepted",
        lambda d: d["order"].update(status="shipped"),
        "order-accepted: order.status: Input should be 'placed', 'accepted', 'rejected', "
        "'cancelled', 'ready', 'picked-up' or 'delivered'",
    ),
    (
        "menu-updated",
        lambda d: d["menu"]["items"][2]["price"].update(amount=-150),
        "menu-updated: menu.items.2.price.amount: Input should be greater than or equal to 0",
    ),
    (
        "order-placed",
        lambda d: d["order"]["total"].update(currency="eur"),
        "order-placed: order.total.currency: String should match pattern '^[A-Z]{3}$'",
    ),
    (
        "driver-location-changed",
        lambda d: d["position"]["location"].update(lat=91.5),
        "driver-location-changed: position.location.lat: Input should be less than or equal to 90",
    ),
    (
        "driver-status-changed",
        lambda d: d["driver"].update(status="sleeping"),
        "driver-status-changed: driver.status: Input should be 'offline', 'available' or 'busy'",
    ),
    (
        "order-rejected",
        lambda d: d.update(reason=""),
        "order-rejected: reason: String should have at least 1 character",
    ),
    (
        "order-accepted",
        lambda d: d.update(prepMinutes=0),
        "order-accepted: prepMinutes: Input should be greater than or equal to 1",
    ),
    (
        "menu-viewed",
        lambda d: d.update(id="not-a-ulid"),
        "menu-viewed: id: String should match pattern '^[0-7][0-9A-HJKMNP-TV-Z]{25}$'",
    ),
    (
        "menu-viewed",
        lambda d: d.update(timestamp=0),
        "menu-viewed: timestamp: Input should be greater than 0",
    ),
    (
        "order-placed",
        lambda d: d["tags"].update(actor="lena"),
        "order-placed: tags.actor: String should match pattern '^[a-z][a-z-]*:\\S+$'",
    ),
    (
        "order-placed",
        lambda d: d["tags"].pop("correlationId"),
        "order-placed: tags.correlationId: Field required",
    ),
    (
        "order-placed",
        lambda d: d["order"].update(items=[]),
        "order-placed: order.items: List should have at least 1 item after validation, not 0",
    ),
]


@pytest.mark.parametrize(
    ("event_type", "edit", "message"), FIELD_ERRORS, ids=[m for _, _, m in FIELD_ERRORS]
)
def test_malformed_field_is_rejected_naming_its_path(
    event_type: str, edit: Edit, message: str
) -> None:
    data = edited(event_type, edit)
    with pytest.raises(InvalidEvent) as caught:
        parse_event(json.dumps(data).encode())
    assert not isinstance(caught.value, UnknownEventType)
    assert message in str(caught.value).splitlines()
    assert not schema_accepts(event_type, data), "the JSON Schema must agree with the model"


# rules JSON Schema cannot express; the models enforce them
CONTRACT_ERRORS: list[tuple[str, Edit, str]] = [
    (
        "order-placed",
        lambda d: d.update(partitionKey="r-trattoria-da-marco"),
        "order-placed: partitionKey must equal order.id 'o-01JXQ5K2N8RZ4W7T9B3C6D1EFG', "
        "got 'r-trattoria-da-marco'",
    ),
    (
        "order-delivered",
        lambda d: d.update(partitionKey="d-jonas-weber"),
        "order-delivered: partitionKey must equal delivery.orderId "
        "'o-01JXQ5K2N8RZ4W7T9B3C6D1EFG', got 'd-jonas-weber'",
    ),
    (
        "menu-updated",
        lambda d: d.update(partitionKey="mi-margherita"),
        "menu-updated: partitionKey must equal menu.restaurantId 'r-trattoria-da-marco', "
        "got 'mi-margherita'",
    ),
    (
        "fault",
        lambda d: d.update(partitionKey="bff-driver.listener"),
        "fault: partitionKey must equal fault.event.partitionKey "
        "'o-01JXQ5K2N8RZ4W7T9B3C6D1EFG', got 'bff-driver.listener'",
    ),
    (
        "order-placed",
        lambda d: d["order"].update(status="accepted"),
        "order-placed: order.status must be 'placed' for this event type, got 'accepted'",
    ),
    (
        "restaurant-opened",
        lambda d: d["restaurant"].update(isOpen=False),
        "restaurant-opened: restaurant.isOpen must be True for this event type, got False",
    ),
]


@pytest.mark.parametrize(
    ("event_type", "edit", "message"), CONTRACT_ERRORS, ids=[m for _, _, m in CONTRACT_ERRORS]
)
def test_contract_rule_violation_is_rejected_with_a_clear_message(
    event_type: str, edit: Edit, message: str
) -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(edited(event_type, edit))
    assert str(caught.value) == message


def test_fault_about_an_event_without_partition_key_accepts_any_key() -> None:
    data = sample_dict("fault")
    data["fault"]["event"] = {"garbage": True}
    data["partitionKey"] = "anything"
    assert parse_event(data).partition_key == "anything"
    data["partitionKey"] = ""
    with pytest.raises(InvalidEvent, match="fault: partitionKey: String should have at least 1"):
        parse_event(data)


def test_unknown_type_raises_unknown_event_type() -> None:
    data = sample_dict("order-placed")
    data["type"] = "order-teleported"
    with pytest.raises(UnknownEventType) as caught:
        parse_event(json.dumps(data))
    assert caught.value.event_type == "order-teleported"
    assert str(caught.value) == "type: unknown event type 'order-teleported'"
    assert isinstance(caught.value, InvalidEvent)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"{not json", "event: Invalid JSON"),
        (b"[1, 2]", "event: Input should be an object"),
        (b'{"id": "01JXQPE0ARTQR09GYDESKE723D"}', "type: Unable to extract tag"),
        (b'{"type": 7}', "type: Input tag '7' found using 'type' does not match"),
    ],
)
def test_input_that_is_no_event_at_all_is_invalid_but_not_unknown(
    data: bytes, message: str
) -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_event(data)
    assert not isinstance(caught.value, UnknownEventType)
    assert str(caught.value).startswith(message)


def test_every_missing_field_is_reported_one_per_line() -> None:
    with pytest.raises(InvalidEvent) as caught:
        parse_event({"type": "order-placed"})
    lines = str(caught.value).splitlines()
    assert lines == [
        f"order-placed: {field}: Field required"
        for field in ("id", "timestamp", "partitionKey", "tags", "order")
    ]


def test_events_are_immutable() -> None:
    event = parse_event(sample_dict("order-placed"))
    assert isinstance(event, OrderPlaced)
    with pytest.raises(ValueError, match="frozen"):
        event.order.status = "accepted"  # type: ignore[misc]
