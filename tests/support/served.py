"""A BFF served for a test as its app uses it: one actor's token, GraphQL over HTTP,
subscriptions over graphql-transport-ws, and the hub to publish simulated upstream events.

``serving(spec, settings, topic, db, role=..., actor_id=...)`` runs the real spec on the
test's database and topic (all three roles, uvicorn on a free loopback port).
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

import httpx
from pymongo.asynchronous.database import AsyncDatabase
from websockets.asyncio.client import ClientConnection

from adapters.hub import EventPublisher
from adapters.settings import Settings
from adapters.store import Document
from bff.kit.app import create_app
from bff.kit.spec import BffSpec, Identity
from events import Event
from events.codec import parse_event
from tests.integration.listening import for_test
from tests.integration.test_outbox_relay import read_topic
from tests.support.serving import receive, subscribe, token_for, uvicorn_serving

S = TypeVar("S", bound="ServedBff")

#: every mutation result's problem fields
PROBLEM = "__typename ... on Problem { code message } ... on InvalidInput { field }"


@dataclass
class ServedBff:
    host: str
    role: str
    actor_id: str
    settings: Settings
    db: AsyncDatabase[Document]
    hub: EventPublisher

    @property
    def token(self) -> str:
        return token_for(self.settings, self.role, self.actor_id)

    def as_(self, cls: type[S]) -> S:
        """The same served BFF as a subclass that adds the test's own helpers."""
        return cls(**{f.name: getattr(self, f.name) for f in dataclasses.fields(self)})

    def token_of(self, actor_id: str, role: str | None = None) -> str:
        return token_for(self.settings, role or self.role, actor_id)

    async def gql(self, query: str, token: str | None = "", **variables: Any) -> httpx.Response:
        """POST /graphql with the actor's token ("" default), another token, or none."""
        bearer = self.token if token == "" else token
        headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
        async with httpx.AsyncClient(base_url=f"http://{self.host}") as client:
            return await client.post(
                "/graphql", json={"query": query, "variables": variables}, headers=headers
            )

    async def data(self, query: str, token: str | None = "", **variables: Any) -> dict[str, Any]:
        """The answer's data, asserting it has no errors."""
        answer = await self.gql(query, token, **variables)
        body: dict[str, Any] = answer.json()
        assert answer.status_code == 200 and "errors" not in body, body
        data: dict[str, Any] = body["data"]
        return data

    async def publish(self, *events: Event) -> None:
        await self.hub.publish_many(list(events))

    async def subscribe(self, query: str, token: str | None = None) -> ClientConnection:
        return await subscribe(self.host, token or self.token, query)

    async def events_on_hub(self, event_type: str) -> list[Any]:
        """Every event of ``event_type`` on the test's topic, in partition order (typed
        ``Any``: a test reads the fields of the one type it asked for)."""
        records = await read_topic(self.settings.kafka_bootstrap, self.settings.kafka_topic)
        return [e for e in (parse_event(r.value) for r in records) if e.type == event_type]


def spec_for_test(
    spec: BffSpec, topic: str, db: AsyncDatabase[Document], identities: list[Identity]
) -> BffSpec:
    """The real spec on the test's database and topic, offering ``identities``."""
    assert spec.listener is not None
    return dataclasses.replace(
        spec,
        service=f"{spec.service}-{db.name}",
        database=db.name,
        listener=for_test(spec.listener, topic, db),
        identities=identities,
    )


@asynccontextmanager
async def serving(
    spec: BffSpec,
    settings: Settings,
    topic: str,
    db: AsyncDatabase[Document],
    *,
    actor_id: str,
    actor_name: str = "Test actor",
) -> AsyncIterator[ServedBff]:
    app_settings = settings.model_copy(update={"kafka_topic": topic})
    test_spec = spec_for_test(spec, topic, db, [Identity(actor_id, actor_name)])
    async with (
        uvicorn_serving(create_app(test_spec, app_settings)) as host,
        EventPublisher(settings.kafka_bootstrap, topic) as hub,
    ):
        yield ServedBff(host, spec.role, actor_id, app_settings, db, hub)


async def next_push(
    ws: ClientConnection,
    field: str,
    wanted: Callable[[dict[str, Any]], bool],
    seconds: float = 30,
) -> dict[str, Any]:
    """The first pushed ``field`` value that ``wanted`` accepts (earlier ones skipped)."""
    while True:
        message = await receive(ws, seconds)
        assert message["type"] == "next", message
        update: dict[str, Any] = message["payload"]["data"][field]
        if wanted(update):
            return update
