"""The customer BFF's request context: the kit's, plus its commands and queries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bff.customer.ordering import Customer, OrderingCommands
from bff.customer.queries import CustomerQueries
from bff.kit.context import Context


@dataclass
class ShopContext(Context):
    @cached_property
    def commands(self) -> OrderingCommands:
        services = self.services
        return OrderingCommands(
            services.db, services.outbox, services.locks, region=services.settings.region
        )

    @cached_property
    def queries(self) -> CustomerQueries:
        return CustomerQueries(self.services.db)

    def customer(self) -> Customer:
        """The signed-in customer (from the token; NotAuthenticated otherwise)."""
        actor = self.me()
        return Customer(actor.id, actor.name)
