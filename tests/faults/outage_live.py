"""Subscriptions held open through the outages, recording every push.

A ``Subscription`` is one graphql-transport-ws connection with one subscription, opened
before the outages and never reopened: if the server closes the connection or ends the
subscription, ``ended`` says how, and the test reports it. It answers the protocol's
pings; the websocket library answers the transport's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection
from websockets.exceptions import ConnectionClosed

from adapters.notify import Notifications, redis_client
from adapters.settings import Settings
from tests.system.whole import System

#: the view each subscription's notifications name (what its listener writes)
VIEWS = {"customer": "orders_view", "restaurant": "tickets"}
MY_ORDERS = "subscription { myOrders { kind eventType order { id status } } }"
KITCHEN = "subscription { kitchen { kind eventType ticket { orderId status } } }"

Push = dict[str, Any]


@dataclass
class Subscription:
    name: str
    field: str
    ws: ClientConnection
    #: (monotonic time, the subscription field's value) of every push
    pushes: list[tuple[float, Push]] = field(default_factory=list)
    #: how the subscription ended, while the test still wanted it ("" while it runs)
    ended: str = ""
    errors: list[Any] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    @property
    def scope(self) -> str:
        """Its live-update scope (``customer:<id>``, ``restaurant:<id>``): its name."""
        return self.name

    @classmethod
    async def open(
        cls, system: System, bff: str, actor: str, query: str, field_name: str
    ) -> Subscription:
        ws = await system.subscribe(bff, actor, query)
        found = cls(f"{bff}:{actor}", field_name, ws)
        found._task = asyncio.create_task(found._read())
        return found

    async def _read(self) -> None:
        try:
            while True:
                message = json.loads(await self.ws.recv())
                kind = message.get("type")
                if kind == "ping":
                    await self.ws.send(json.dumps({"type": "pong"}))
                elif kind == "next":
                    payload = message.get("payload") or {}
                    if payload.get("errors"):
                        self.errors.append(payload["errors"])
                    value = (payload.get("data") or {}).get(self.field)
                    if value is not None:
                        self.pushes.append((time.monotonic(), value))
                elif kind in ("complete", "error"):
                    self.ended = f"the server sent {kind}: {json.dumps(message)[:300]}"
                    return
        except ConnectionClosed as closed:
            code = closed.rcvd.code if closed.rcvd else None
            self.ended = f"the connection closed (code {code})"

    def saw(self, wanted: Callable[[Push], bool], after: float = 0.0) -> bool:
        return any(at >= after and wanted(push) for at, push in self.pushes)

    def kinds(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for _, push in self.pushes:
            counted[str(push.get("kind"))] = counted.get(str(push.get("kind")), 0) + 1
        return counted

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        with contextlib.suppress(Exception):
            await self.ws.close()


def about_order(order_id: str) -> Callable[[Push], bool]:
    """A push about the order (a customer's ``OrderUpdate`` or a kitchen's ``KitchenUpdate``)."""

    def wanted(push: Push) -> bool:
        order = push.get("order") or {}
        ticket = push.get("ticket") or {}
        return order.get("id") == order_id or ticket.get("orderId") == order_id

    return wanted


async def notify_as_listener(
    settings: Settings, subscriptions: list[Subscription], order_of: dict[str, str]
) -> None:
    """Send each subscription's scope the notification its listener sends after writing
    the order ``order_of[scope]`` into its view (``{"view", "id", "type", "eventId"}``):
    as if the listener wrote just before the store went down, so that the API reads the
    view while the store is unavailable."""
    redis = redis_client(settings.redis_url)
    try:
        notifications = Notifications(redis)
        for each in subscriptions:
            view = VIEWS[each.scope.split(":", 1)[0]]
            message = {"view": view, "id": order_of[each.scope], "type": "order-placed"}
            await notifications.publish(each.scope, {**message, "eventId": "outage-test"})
    finally:
        await redis.aclose()
