"""Where an acknowledged order must be after the outages: the customer's view, the
restaurant's view, the hub and the lake, each read the way its users read it (GraphQL
for the views, the topic from its start, the lake's files)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from listeners.lake.reader import read_lake
from tests.system.whole import System

MY_ORDERS = """
query($after: String) {
  myOrders(first: 50, after: $after) { items { id status } nextCursor }
}"""
BOARD = """{ board {
  new { orderId status } preparing { orderId status }
  ready { orderId status } outForDelivery { orderId status }
} }"""
#: the customer's view shows an accepted order as one of these
ACCEPTED_OR_LATER = {"ACCEPTED", "READY", "PICKED_UP", "DELIVERED"}


async def customer_orders(system: System, customer_id: str) -> dict[str, str]:
    """The customer's orders as the customer app lists them: id -> status."""
    found: dict[str, str] = {}
    after: str | None = None
    while True:
        data = await system.gql("customer", customer_id, MY_ORDERS, after=after)
        page = data["myOrders"]
        found.update({o["id"]: o["status"] for o in page["items"]})
        after = page["nextCursor"]
        if not after:
            return found


async def kitchen_tickets(system: System, restaurant_id: str) -> dict[str, str]:
    """The restaurant's active tickets as its console shows them: order id -> status."""
    board = (await system.gql("restaurant", restaurant_id, BOARD))["board"]
    return {t["orderId"]: t["status"] for column in board.values() for t in column}


async def hub_orders(bootstrap: str, topic: str, partitions: int) -> dict[str, set[str]]:
    """Event type -> the order ids of the topic's events, read from its start to its end."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, isolation_level="read_committed"
    )
    await consumer.start()
    found: dict[str, set[str]] = {}
    try:
        parts = [TopicPartition(topic, p) for p in range(partitions)]
        consumer.assign(parts)
        await consumer.seek_to_beginning(*parts)
        ends = await consumer.end_offsets(parts)
        while [p for p in parts if await consumer.position(p) < ends[p]]:
            batch = await consumer.getmany(*parts, timeout_ms=500)
            for records in batch.values():
                for record in records:
                    _note(found, json.loads(record.value))
    finally:
        await consumer.stop()
    return found


async def lake_orders(lake_dir: Path) -> dict[str, set[str]]:
    """Event type -> the order ids of the events stored in the lake."""

    def read() -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for event in read_lake(lake_dir):
            _note(found, event)
        return found

    return await asyncio.to_thread(read)


def _note(found: dict[str, set[str]], event: dict[str, Any]) -> None:
    order = event.get("order")
    if isinstance(order, dict) and isinstance(order.get("id"), str):
        found.setdefault(str(event.get("type")), set()).add(order["id"])


async def missing_after(
    seconds: float, wanted: Iterable[str], present: Callable[[], Awaitable[set[str]]]
) -> set[str]:
    """The wanted ids that ``present()`` still lacks after up to ``seconds`` of polling
    (empty as soon as it has them all)."""
    wanted = set(wanted)
    left = set(wanted)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while True:
        left = wanted - await present()
        if not left or loop.time() > deadline:
            return left
        await asyncio.sleep(1.0)


def sample(ids: Iterable[str], limit: int = 5) -> str:
    shown = sorted(ids)
    more = f" and {len(shown) - limit} more" if len(shown) > limit else ""
    return ", ".join(shown[:limit]) + more
