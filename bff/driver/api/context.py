"""The driver BFF's request context: the kit's, plus its commands and queries, and how
the API tells the driver's apps (and the other drivers) what a command changed."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from bff.driver.dispatch import DispatchCommands, DriverIdentity
from bff.driver.names import AVAILABLE_SCOPE, DELIVERIES, DRIVERS, scope
from bff.driver.queries import DriverQueries
from bff.kit.context import Context
from bff.kit.tell import tell


@dataclass
class DriverContext(Context):
    @cached_property
    def commands(self) -> DispatchCommands:
        services = self.services
        return DispatchCommands(
            services.db, services.outbox, services.locks, region=services.settings.region
        )

    @cached_property
    def queries(self) -> DriverQueries:
        return DriverQueries(self.services.db)

    def driver(self) -> DriverIdentity:
        """The signed-in driver (from the token; NotAuthenticated otherwise)."""
        actor = self.me()
        return DriverIdentity(actor.id, actor.name)

    async def tell_driver(self, event_type: str, order_id: str | None = None) -> None:
        """The driver's own apps (every tab and device): "you changed" (and which order)."""
        driver_id = self.driver().id
        message = {"view": DRIVERS, "id": driver_id, "type": event_type, "orderId": order_id}
        await tell(self.notifications, scope(driver_id), message)

    async def tell_available(self, order_id: str, event_type: str) -> None:
        """Every available driver: the order's offer changed (taken) before the listener
        has seen the event, so that it disappears from their lists at once."""
        message = {"view": DELIVERIES, "id": order_id, "type": event_type}
        await tell(self.notifications, AVAILABLE_SCOPE, message)
