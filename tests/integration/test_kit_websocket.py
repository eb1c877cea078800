"""Subscriptions over a real uvicorn server: graphql-transport-ws only, authenticated in
``connection_init``, fed by Redis notifications through the process's one pub/sub."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from pymongo.asynchronous.database import AsyncDatabase
from redis.asyncio import Redis
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from adapters.notify import Notifications
from adapters.settings import Settings
from adapters.store import Document
from bff.kit.app import create_app
from bff.kit.spec import BffSpec
from tests.integration.test_kit_example import (
    example_spec,
    new_driver_id,
    open_subscription,
)
from tests.support.serving import close_code, receive, token_for, uvicorn_serving


@pytest.fixture
def driver_id() -> str:
    return new_driver_id()


@pytest.fixture
def spec(db: AsyncDatabase[Document], topic: str, driver_id: str) -> BffSpec:
    return example_spec(db.name, topic, driver_id)


@pytest.fixture
def app_settings(settings: Settings, topic: str) -> Settings:
    return settings.model_copy(update={"kafka_topic": topic})


async def test_a_notification_published_on_redis_reaches_the_subscriber(
    spec: BffSpec, app_settings: Settings, driver_id: str, redis: Redis
) -> None:
    notes = Notifications(redis)
    async with uvicorn_serving(create_app(spec, app_settings, roles={"api"})) as host:
        ws = await open_subscription(host, token_for(app_settings, "driver", driver_id))
        try:
            async with asyncio.timeout(30):
                # the subscription registers asynchronously: publish until one arrives
                while True:
                    await notes.publish("driver:someone-else", {"type": "theirs", "id": "x"})
                    await notes.publish(f"driver:{driver_id}", {"type": "probe", "id": "o-1"})
                    try:
                        message = await receive(ws, 0.2)
                        break
                    except TimeoutError:
                        continue
        finally:
            await ws.close()
    assert message == {
        "id": "1",
        "type": "next",
        "payload": {"data": {"updates": {"type": "probe", "id": "o-1"}}},
    }


async def test_a_mutation_pushes_the_listeners_notification_to_the_subscriber(
    spec: BffSpec, app_settings: Settings, driver_id: str
) -> None:
    token = token_for(app_settings, "driver", driver_id)
    async with uvicorn_serving(create_app(spec, app_settings)) as host:  # all three roles
        ws = await open_subscription(host, token)
        try:
            await asyncio.sleep(0.2)  # let the subscription register before the write
            async with httpx.AsyncClient(base_url=f"http://{host}") as client:
                moved = await client.post(
                    "/graphql",
                    json={"query": "mutation { move(lat: 48.1) { __typename } }"},
                    headers={"authorization": f"Bearer {token}"},
                )
                assert moved.json() == {"data": {"move": {"__typename": "Position"}}}
            pushed = await receive(ws, 60)  # outbox -> relay -> Kafka -> listener -> Redis
        finally:
            await ws.close()
    assert pushed["payload"]["data"]["updates"] == {
        "type": "driver-location-changed",
        "id": driver_id,
    }


async def test_a_connection_without_a_valid_token_of_the_role_is_closed(
    spec: BffSpec, app_settings: Settings, driver_id: str
) -> None:
    async with uvicorn_serving(create_app(spec, app_settings, roles={"api"})) as host:
        assert await close_code(host, {}) == 4403
        assert await close_code(host, {"authorization": "Bearer forged"}) == 4403
        customer = token_for(app_settings, "customer", driver_id)
        assert await close_code(host, {"authorization": f"Bearer {customer}"}) == 4403
        expired = token_for(app_settings, "driver", driver_id, ttl=-5)
        assert await close_code(host, {"authorization": f"Bearer {expired}"}) == 4403


async def test_subscribing_before_connection_init_is_refused(
    spec: BffSpec, app_settings: Settings
) -> None:
    query = {"query": "subscription { updates { type } }"}
    async with (
        uvicorn_serving(create_app(spec, app_settings, roles={"api"})) as host,
        connect(f"ws://{host}/graphql", subprotocols=["graphql-transport-ws"]) as ws,
    ):
        await ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": query}))
        with pytest.raises(ConnectionClosed) as closed:
            await receive(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_the_legacy_graphql_ws_protocol_is_off(spec: BffSpec, app_settings: Settings) -> None:
    async with (
        uvicorn_serving(create_app(spec, app_settings, roles={"api"})) as host,
        connect(f"ws://{host}/graphql", subprotocols=["graphql-ws"]) as ws,
    ):
        assert ws.subprotocol is None
        with pytest.raises(ConnectionClosed) as closed:
            await receive(ws)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4406
