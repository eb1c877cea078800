"""The restaurant BFF's request context: the kit's, plus its commands and queries."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bff.kit.context import Context
from bff.restaurant.commands import RestaurantCommands
from bff.restaurant.queries import RestaurantQueries


@dataclass
class KitchenContext(Context):
    @cached_property
    def commands(self) -> RestaurantCommands:
        services = self.services
        return RestaurantCommands.create(
            services.db,
            services.outbox,
            services.locks,
            region=services.settings.region,
            notifications=services.notifications,
        )

    @cached_property
    def queries(self) -> RestaurantQueries:
        return RestaurantQueries(self.services.db)

    def restaurant_id(self) -> str:
        """The signed-in restaurant's id (from its token; NotAuthenticated otherwise)."""
        return self.me().id
