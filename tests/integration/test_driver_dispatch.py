"""The driver BFF's domain against the real Kafka, FerretDB and Redis, with the kitchen's
events simulated: the listener turns accepted orders into offers, the dispatch commands
take them through the outbox, and relays publish the drivers' facts to the hub."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis

from adapters.hub import EventPublisher
from adapters.settings import Settings
from adapters.store import Document
from bff.driver.dispatch import DispatchCommands, DriverIdentity
from bff.driver.listener import DRIVER
from bff.driver.names import DELIVERIES, OUTBOX_COLLECTIONS
from bff.driver.queries import DriverQueries
from bff.kit.doclock import DocumentLocks
from bff.kit.failures import InvalidState, NotAllowed
from bff.kit.outbox import Outbox
from bff.kit.relay import OutboxRelay
from bff.kit.wakeup import RelaySignal
from events import GeoPoint, Order, parse_event
from listeners.runtime import ListenerRuntime
from tests.integration.listening import for_test, running, wait_for
from tests.integration.test_customer_views import a_restaurant, an_order
from tests.integration.test_outbox_relay import read_topic
from tests.support import upstream
from tests.support.upstream import unique

HERE = GeoPoint(lat=52.5, lng=13.42)


@dataclass
class Replica:
    commands: DispatchCommands
    relay: OutboxRelay


@dataclass
class Dispatch:
    db: AsyncDatabase[Document]
    hub: EventPublisher
    replicas: list[Replica]
    queries: DriverQueries
    settings: Settings
    topic: str

    async def offer(self) -> Order:
        order = an_order(a_restaurant("Trattoria"), ("c-lena", "Lena Fischer"), upstream.now_ms())
        await self.hub.publish(upstream.accepted(order))
        return order

    async def wait_offer(self, order_id: str, status: str, ready: bool = False) -> None:
        async def reached() -> bool:
            offer = await self.queries.offer(order_id)
            return offer is not None and offer.status == status and offer.ready >= ready

        await wait_for(f"offer {order_id} {status}", reached, 30)


@pytest.fixture
async def dispatch(
    settings: Settings, topic: str, db: AsyncDatabase[Document], redis: Redis
) -> AsyncIterator[Dispatch]:
    service = unique("bff-driver-test")
    async with EventPublisher(settings.kafka_bootstrap, topic) as hub:
        replicas = []
        for _ in range(3):  # three API replicas: own outbox and relay, shared locks
            locks = DocumentLocks(redis)
            commands = DispatchCommands(db, Outbox(service, locks=locks), locks)
            relay = OutboxRelay(
                db, OUTBOX_COLLECTIONS, hub, RelaySignal(), locks=locks, service=service
            )
            replicas.append(Replica(commands, relay))
        yield Dispatch(db, hub, replicas, DriverQueries(db), settings, topic)


def listening(d: Dispatch) -> contextlib.AbstractAsyncContextManager[ListenerRuntime]:
    return running(for_test(DRIVER, d.topic, d.db), d.settings, d.topic)


async def test_of_twenty_drivers_accepting_one_offer_exactly_one_wins(dispatch: Dispatch) -> None:
    drivers = [DriverIdentity(f"d-{n}-{unique('x')}", f"Driver {n}") for n in range(20)]
    async with listening(dispatch):
        order = await dispatch.offer()
        await dispatch.wait_offer(order.id, "open")
        for n, driver in enumerate(drivers):
            await dispatch.replicas[n % 3].commands.go_online(driver, HERE, "bicycle")
        nearby = await dispatch.queries.open_offers(HERE)
        assert order.id in [n.offer.order_id for n in nearby]

        results = await asyncio.gather(
            *(
                dispatch.replicas[n % 3].commands.accept_delivery(driver, order.id)
                for n, driver in enumerate(drivers)
            ),
            return_exceptions=True,
        )
        winners = [r for r in results if not isinstance(r, BaseException)]
        assert len(winners) == 1, results
        losers = [r for r in results if isinstance(r, BaseException)]
        assert all(isinstance(r, InvalidState) for r in losers), losers
        assert all("already taken by another driver" in str(r) for r in losers)
        for replica in dispatch.replicas:  # one after the other: each publishes what is left
            await replica.relay.publish_pending()
        await dispatch.wait_offer(order.id, "taken")

    offer = await dispatch.queries.offer(order.id)
    assert offer is not None and offer.taken_by == winners[0].driver_id
    records = await read_topic(dispatch.settings.kafka_bootstrap, dispatch.topic)
    on_hub = [parse_event(r.value) for r in records]
    accepts = [e for e in on_hub if e.type == "delivery-accepted"]
    assert len(accepts) == 1 and accepts[0].partition_key == order.id
    busy = [
        e
        for e in on_hub
        if e.type == "driver-status-changed" and e.driver.status == "busy"  # type: ignore[attr-defined]
    ]
    assert [e.partition_key for e in busy] == [winners[0].driver_id]
    assert await dispatch.db[DELIVERIES].count_documents({}) == 1


async def test_pickup_waits_for_ready_and_only_the_own_driver_moves_a_delivery(
    dispatch: Dispatch,
) -> None:
    commands = dispatch.replicas[0].commands
    jonas, aylin = DriverIdentity(unique("d"), "Jonas"), DriverIdentity(unique("d"), "Aylin")
    offline = DriverIdentity(unique("d"), "Ben")
    async with listening(dispatch):
        order = await dispatch.offer()
        await dispatch.wait_offer(order.id, "open")
        with pytest.raises(InvalidState):  # never online
            await commands.accept_delivery(offline, order.id)
        await commands.go_online(offline, HERE, "car")
        await commands.go_offline(offline)
        with pytest.raises(InvalidState):  # offline again
            await commands.accept_delivery(offline, order.id)
        await commands.go_online(jonas, HERE, "bicycle")
        await commands.go_online(aylin, HERE, "scooter")
        await commands.accept_delivery(jonas, order.id)
        with pytest.raises(InvalidState, match="ready"):
            await commands.mark_picked_up(jonas, order.id)
        with pytest.raises(NotAllowed):
            await commands.mark_picked_up(aylin, order.id)
        await dispatch.hub.publish(upstream.ready(order))
        await dispatch.wait_offer(order.id, "open", ready=True)  # its accept not relayed yet
        picked = await commands.mark_picked_up(jonas, order.id)
        with pytest.raises(NotAllowed):
            await commands.mark_delivered(aylin, order.id)
        done = await commands.mark_delivered(jonas, order.id)
        assert done.accepted_at == picked.accepted_at and done.status == "delivered"
        await dispatch.replicas[0].relay.publish_pending()
        await dispatch.wait_offer(order.id, "delivered")
    me = await dispatch.queries.driver(jonas.id)
    assert me is not None and me.driver.status == "available" and me.active_delivery is None
    day = await dispatch.queries.deliveries_today(jonas.id)
    assert (day.delivered, day.earnings_cents) == (1, order.delivery_fee.amount)
    records = await read_topic(dispatch.settings.kafka_bootstrap, dispatch.topic)
    types = [parse_event(r.value).type for r in records if r.key == order.id.encode()]
    assert types == [
        "order-accepted",
        "order-ready",
        "delivery-accepted",
        "order-picked-up",
        "order-delivered",
    ]
