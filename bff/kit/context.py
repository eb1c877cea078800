"""The typed per-request GraphQL context that every resolver reads as ``Info[Context]``.

One is built for each HTTP request, and one for each websocket connection (its actor is
set when ``connection_init`` authenticates). DataLoaders live in it, never at module level:
``info.context.loader("tickets", load_tickets)`` creates the request's loader on first
use. Loaders of a websocket connection batch but do not cache, because a subscription
must see each new state, not the first one it loaded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from pymongo.asynchronous.database import AsyncDatabase
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.dataloader import DataLoader

from adapters.notify import Notifications
from adapters.store import Document
from bff.kit.auth import Actor
from bff.kit.live import LiveHub
from bff.kit.outbox import Outbox
from bff.kit.problems import NotAuthenticated

if TYPE_CHECKING:
    from bff.kit.services import Services

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | WebSocket
    services: Services
    #: the authenticated caller, always of this BFF's role; None when anonymous
    actor: Actor | None = None
    #: the websocket's ``connection_init`` payload (set by strawberry)
    connection_params: dict[str, object] | None = None
    loaders: dict[str, DataLoader[Any, Any]] = field(default_factory=dict)

    @property
    def db(self) -> AsyncDatabase[Document]:
        return self.services.db

    @property
    def outbox(self) -> Outbox:
        return self.services.outbox

    @property
    def notifications(self) -> Notifications:
        return self.services.notifications

    @property
    def live(self) -> LiveHub:
        return self.services.live

    @property
    def role(self) -> str:
        """The one actor role this BFF serves."""
        return self.services.spec.role

    def me(self) -> Actor:
        """The actor; raises NotAuthenticated (shown to the client) when anonymous."""
        if self.actor is None or self.actor.role != self.role:
            raise NotAuthenticated(f"sign in as a {self.role} first")
        return self.actor

    def loader(
        self, name: str, load_fn: Callable[[list[K]], Awaitable[Sequence[V | BaseException]]]
    ) -> DataLoader[K, V]:
        """This request's DataLoader called ``name``, created with ``load_fn`` on first use."""
        existing = self.loaders.get(name)
        if existing is None:
            existing = DataLoader(load_fn=load_fn, cache=not isinstance(self.request, WebSocket))
            self.loaders[name] = existing
        return existing


class ContextFactory(Protocol):
    """Builds a request's context; ``Context`` itself is one, and so is a subclass."""

    def __call__(
        self,
        *,
        request: Request | WebSocket,
        response: Response | WebSocket,
        services: Services,
        actor: Actor | None,
    ) -> Context: ...
