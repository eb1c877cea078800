"""The running system's consumer groups as the broker sees them: each listener's group and
the lake writer's, how far behind the hub each one's committed offsets are (lag), and
which members each group has now."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

from aiokafka import TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from adapters.settings import Settings
from bff.customer.listener import CUSTOMER
from bff.driver.listener import DRIVER
from bff.restaurant.listener import KITCHEN
from listeners.rules import Listener
from tests.integration.test_outbox_relay import topic_reader

#: the BFFs' listeners by BFF name (the runner's process ``<bff>-listener`` runs each)
LISTENERS: dict[str, Listener] = {"customer": CUSTOMER, "restaurant": KITCHEN, "driver": DRIVER}


def listener_groups(settings: Settings) -> dict[str, str]:
    """Process name -> consumer group of every process that consumes the hub."""
    groups = {f"{bff}-listener": settings.group(x.group) for bff, x in LISTENERS.items()}
    return {**groups, "lake": settings.group("lake")}


@asynccontextmanager
async def admin(settings: Settings) -> AsyncIterator[AIOKafkaAdminClient]:
    client = AIOKafkaAdminClient(
        bootstrap_servers=settings.kafka_bootstrap, request_timeout_ms=10000
    )
    await client.start()
    try:
        yield client
    finally:
        await client.close()


async def end_offsets(settings: Settings) -> dict[TopicPartition, int]:
    """The next offset of every partition of the system's topic."""
    async with topic_reader(settings.kafka_bootstrap, settings.kafka_topic) as consumer:
        ends: dict[TopicPartition, int] = await consumer.end_offsets(list(consumer.assignment()))
    return ends


async def lags(settings: Settings, groups: Iterable[str]) -> dict[str, int]:
    """Group -> records on the topic beyond the group's committed offsets."""
    ends = await end_offsets(settings)
    found: dict[str, int] = {}
    async with admin(settings) as client:
        for group in groups:
            committed = await client.list_consumer_group_offsets(group)
            found[group] = sum(
                end - (committed[tp].offset if tp in committed else 0) for tp, end in ends.items()
            )
    return found


@dataclass(frozen=True)
class GroupState:
    state: str
    members: frozenset[str]


async def group_state(settings: Settings, group: str) -> GroupState:
    """The group's state ("Stable", "PreparingRebalance", ...) and its member ids."""
    async with admin(settings) as client:
        (response,) = await client.describe_consumer_groups([group])
    described: dict[str, Any] = response.to_object()
    (found,) = [g for g in described["groups"] if g["group"] == group]
    return GroupState(str(found["state"]), frozenset(m["member_id"] for m in found["members"]))
