"""One order followed through the running system by its correlation id and its trace.

The customer places an order through the customer API with a W3C ``traceparent`` header
and watches it live; the kitchen accepts it through the restaurant API with a
``traceparent`` of another trace. Then:

- the hub's events carry the story: the order-placed event continues the customer's trace
  and starts the correlation, the order-accepted event continues the kitchen's trace in
  the same correlation;
- the correlation id is in the log lines of every BFF: the customer's API (the command
  and the live push), the customer's, the kitchen's and the drivers' listeners (each
  event applied), the kitchen's API (its command);
- the metrics counters carry it as an exemplar (OpenMetrics): the events the kitchen's
  and the drivers' listeners consumed, the events the customer's and the kitchen's relays
  produced;
- every metric family is on the processes that should have it, with samples
  (``assert_metric_families``).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any

from prometheus_client.openmetrics.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from websockets.asyncio.client import ClientConnection

from bff.customer.demo import CUSTOMERS
from bff.restaurant.demo import RESTAURANTS
from events import Event, parse_event
from tests.integration.listening import wait_for
from tests.integration.shop import MY_ORDERS
from tests.integration.test_outbox_relay import read_topic
from tests.support.served import next_push
from tests.system.whole import System

KITCHEN = RESTAURANTS[2]
MIA = CUSTOMERS[2]
PLACE = """mutation PlaceOrder($o: PlaceOrderInput!) {
  placeOrder(order: $o) { __typename ... on Order { id } } }"""
ACCEPT = """mutation AcceptOrder($id: ID!) {
  acceptOrder(orderId: $id, prepMinutes: 10) { __typename } }"""
TICKET = "query($id: ID!) { ticket(orderId: $id) { status } }"
BFFS = ("customer", "restaurant", "driver")


def new_traceparent() -> tuple[str, str]:
    """A caller's traceparent (as a browser's tracing would send) and its trace id."""
    trace_id = secrets.token_hex(16)
    return f"00-{trace_id}-{secrets.token_hex(8)}-01", trace_id


def cart() -> dict[str, Any]:
    home = MIA.home
    return {
        "restaurantId": KITCHEN.restaurant.id,
        "items": [{"menuItemId": KITCHEN.items[0].id, "quantity": 1}],
        "deliveryAddress": {
            "line1": home.line1,
            "city": home.city,
            "postcode": home.postcode,
            "lat": home.location.lat,
            "lng": home.location.lng,
        },
    }


def samples(text: str) -> list[Sample]:
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def families(text: str) -> set[str]:
    return {family.name for family in text_string_to_metric_families(text)}


def exemplified(found: Iterable[Sample], name: str, kind: str, correlation: str) -> bool:
    """Whether sample ``name`` of events of type ``kind`` has ``correlation`` as exemplar."""
    return any(
        s.name == name
        and s.labels.get("type") == kind
        and s.exemplar is not None
        and s.exemplar.labels.get("correlation_id") == correlation
        for s in found
    )


async def order_events(system: System, order_id: str, *types: str) -> dict[str, Event]:
    """The order's events of ``types`` on the hub, once all are there."""
    found: dict[str, Event] = {}

    async def all_there() -> bool:
        records = await read_topic(system.settings.kafka_bootstrap, system.settings.kafka_topic)
        for record in records:
            if record.key is not None and record.key.decode() == order_id:
                event = parse_event(record.value)
                found.setdefault(event.type, event)
        return set(types) <= set(found)

    await wait_for(f"{', '.join(types)} of {order_id} on the hub", all_there, 60)
    return found


async def subscribed(system: System) -> ClientConnection:
    """The customer watching their orders, once the customer API counts the subscription."""
    ws = await system.subscribe("customer", MIA.id, MY_ORDERS)

    async def counted() -> bool:
        found = samples(await system.scrape("customer-api"))
        return any(s.name == "fd_live_subscribers" and s.value >= 1 for s in found)

    await wait_for("the customer's subscription on the customer API", counted, 30)
    return ws


async def test_one_order_is_followed_by_its_correlation_id_through_every_service(
    system: System,
) -> None:
    placing, placing_trace = new_traceparent()
    accepting, accepting_trace = new_traceparent()
    ws = await subscribed(system)
    try:
        answer = await system.gql_with(
            "customer", MIA.id, PLACE, {"o": cart()}, headers={"traceparent": placing}
        )
        placed = answer["placeOrder"]
        assert placed["__typename"] == "Order", placed
        order_id = str(placed["id"])
        await next_push(ws, "myOrders", lambda u: (u.get("order") or {}).get("id") == order_id)
    finally:
        await ws.close()

    async def on_the_board() -> bool:
        found = await system.gql("restaurant", KITCHEN.restaurant.id, TICKET, id=order_id)
        return found["ticket"] is not None

    await wait_for(f"order {order_id} on the kitchen board", on_the_board, 30)
    decided = await system.gql_with(
        "restaurant",
        KITCHEN.restaurant.id,
        ACCEPT,
        {"id": order_id},
        headers={"traceparent": accepting},
    )
    assert decided["acceptOrder"]["__typename"] == "KitchenDecision", decided

    # the envelope: one correlation, each command's caller's trace continued
    events = await order_events(system, order_id, "order-placed", "order-accepted")
    order_placed, order_accepted = events["order-placed"], events["order-accepted"]
    correlation = order_placed.tags.correlation_id
    assert correlation == order_placed.id  # the story starts with the order
    assert order_accepted.tags.correlation_id == correlation
    assert order_placed.tags.traceparent is not None
    assert order_placed.tags.traceparent.split("-")[1] == placing_trace
    assert order_placed.tags.traceparent != placing  # a span of the customer API's own
    assert order_accepted.tags.traceparent is not None
    assert order_accepted.tags.traceparent.split("-")[1] == accepting_trace

    # the logs: every BFF's processes name the correlation id
    wanted = {
        "customer-api": f"mutation PlaceOrder ok: order-placed {order_placed.id}",
        "customer-listener": f"applied order-accepted {order_accepted.id}",
        "restaurant-api": f"mutation AcceptOrder ok: order-accepted {order_accepted.id}",
        "restaurant-listener": f"applied order-placed {order_placed.id}",
        "driver-listener": f"applied order-accepted {order_accepted.id}",
    }
    logged: dict[str, list[str]] = {}

    async def in_every_log() -> bool:
        logged.clear()
        for name, line in system.log_lines():
            if f"correlation={correlation}" in line:
                logged.setdefault(name, []).append(line)
        return all(
            any(text in line for line in logged.get(name, [])) for name, text in wanted.items()
        ) and any("live push to customer:" in line for line in logged.get("customer-api", []))

    try:
        await wait_for(f"correlation {correlation} in every BFF's log", in_every_log, 60)
    except AssertionError:
        raise AssertionError(f"{correlation}: logged only {logged}") from None
    assert {name.split("-")[0] for name in logged} >= set(BFFS)
    placed_line = next(line for line in logged["customer-api"] if "mutation PlaceOrder" in line)
    assert placed_line.endswith(f"correlation={correlation} trace={placing_trace}")

    # the metrics: the correlation id as an exemplar on the counters
    counters = {
        "restaurant-listener": ("fd_events_consumed_total", "order-placed"),
        "driver-listener": ("fd_events_consumed_total", "order-accepted"),
        "customer-trigger": ("fd_events_produced_total", "order-placed"),
        "restaurant-trigger": ("fd_events_produced_total", "order-accepted"),
    }

    async def exemplars() -> bool:
        for name, (metric, kind) in counters.items():
            if not exemplified(samples(await system.scrape(name)), metric, kind, correlation):
                return False
        return True

    await wait_for(f"correlation {correlation} as an exemplar of every counter", exemplars, 30)
    await assert_metric_families(system)


async def assert_metric_families(system: System) -> None:
    """Each process has samples of the metrics of its role (after an order went through:
    every listener has applied an event, every API answered a query)."""
    for bff, actor_id in zip(BFFS, (MIA.id, KITCHEN.restaurant.id, "d-observer"), strict=True):
        await system.gql(bff, actor_id, "{ __typename }")  # an operation on every API
    expected = {
        "api": {"fd_graphql_request_seconds", "fd_live_subscribers"},
        "listener": {
            "fd_events_consumed",
            "fd_consumer_lag",
            "fd_event_age_seconds",
            "fd_view_write_seconds",
        },
        "trigger": {"fd_outbox_backlog"},
    }
    everywhere = {"fd_listener_faults", "fd_events_produced", "process_cpu_seconds"}
    for bff in BFFS:
        for role, names in expected.items():
            text = await system.scrape(f"{bff}-{role}")
            with_samples = {s.name for s in samples(text)}
            for name in names:  # a sample of each, not only the family's declaration
                assert any(s.startswith(name) for s in with_samples), (bff, role, name)
            assert everywhere <= families(text), (bff, role, everywhere - families(text))
    lake = samples(await system.scrape("lake"))
    assert any(
        s.name == "fd_events_consumed_total" and s.labels["consumer"] == "lake" for s in lake
    )
    assert any(s.name == "fd_consumer_lag" and s.labels["consumer"] == "lake" for s in lake)
    graphql = samples(await system.scrape("customer-api"))
    operations = {
        (s.labels["operation"], s.labels["type"], s.labels["outcome"])
        for s in graphql
        if s.name == "fd_graphql_request_seconds_count"
    }
    assert {("PlaceOrder", "mutation", "ok"), ("__typename", "query", "ok")} <= operations
