"""The restaurant BFF's request context: the kit's, plus its commands and queries, and
the process's cached readings of the event lake."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bff.kit.context import Context
from bff.restaurant.commands import RestaurantCommands
from bff.restaurant.lake_views import LakeViews, for_lake
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

    @property
    def lake_views(self) -> LakeViews:
        """Menu views from the event lake (``FD_LAKE_DIR``), cached for the process."""
        return for_lake(self.services.settings.lake_dir)

    def restaurant_id(self) -> str:
        """The signed-in restaurant's id (from its token; NotAuthenticated otherwise)."""
        return self.me().id
