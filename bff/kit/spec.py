"""What a BFF tells the kit about itself: one ``BffSpec`` per service."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from strawberry.schema.base import BaseSchema

from bff.kit.auth import ROLES
from bff.kit.context import Context, ContextFactory
from listeners.rules import Listener

#: the roles a BFF process can run: serve GraphQL, consume events, publish the outbox
ROLE_NAMES = ("api", "listener", "trigger")


class Identity(NamedTuple):
    """A seeded actor the dev sign-in offers (local mode only)."""

    id: str
    name: str


@dataclass(frozen=True)
class BffSpec:
    #: the service name: logs, the outbox wake-up channel, the default database
    service: str
    #: the one actor role whose tokens this BFF accepts
    role: str
    #: the GraphQL schema (``bff.kit.schema.make_schema`` applies the limits)
    schema: BaseSchema
    #: the service's own database (its views and its entities with outboxes)
    database: str = ""
    #: consumes upstream events into the views (the ``listener`` role); None: no listener
    listener: Listener | None = None
    #: collections whose documents carry an outbox (the ``trigger`` role publishes them)
    outbox_collections: Sequence[str] = ()
    #: the built micro frontend, served at ``/`` when the folder exists
    static_dir: Path | None = None
    #: builds the per-request context; a subclass of Context may add typed fields
    context_factory: ContextFactory = Context
    #: the identities the dev sign-in lists
    identities: Sequence[Identity] = ()
    #: the HTTP port when neither ``--port`` nor FD_HTTP_PORT is given
    port: int = 8000
    #: the notification scopes this BFF's subscriptions need (``*``: all of them)
    live_pattern: str = "*"

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown actor role {self.role!r}; expected one of {ROLES}")
        if not self.database:
            object.__setattr__(self, "database", self.service)
        if self.listener is not None and self.listener.database != self.database:
            raise ValueError(
                f"the listener writes to {self.listener.database!r} but the BFF reads "
                f"{self.database!r}: one service, one database"
            )
