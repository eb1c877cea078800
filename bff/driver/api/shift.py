"""The driver's shift: who they are and whether they take offers, going online (where,
with which vehicle) and offline, and sharing where they are."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Annotated

import strawberry
from strawberry.permission import BasePermission
from strawberry.types import Info

from bff.driver.api.context import DriverContext
from bff.driver.api.types import Me, Vehicle
from bff.driver.offers import DriverState
from bff.kit import problems
from bff.kit.outcomes import attempt
from bff.kit.permissions import IsAuthenticated
from bff.kit.values import GeoPointInput

Driving = Info[DriverContext, None]
GUARDED: list[type[BasePermission]] = [IsAuthenticated]

ShiftResult = Annotated[
    Me | problems.NotFound | problems.NotAllowed | problems.Conflict | problems.InvalidInput,
    strawberry.union("ShiftResult"),
]


async def me(info: Driving) -> Me:
    driver = info.context.driver()
    found = await info.context.queries.driver(driver.id)
    return await Me.build(info, driver.id, driver.name, found.driver if found else None)


@strawberry.type
class ShiftQuery:
    @strawberry.field(permission_classes=GUARDED, description="You, and the delivery you are on.")
    async def me(self, info: Driving) -> Me:
        return await me(info)


@strawberry.type
class ShiftMutation:
    @strawberry.mutation(
        permission_classes=GUARDED,
        description="Take offers from now on, at `location` (with `vehicle`, else your last).",
    )
    async def go_online(
        self, info: Driving, location: GeoPointInput, vehicle: Vehicle | None = None
    ) -> ShiftResult:
        command = info.context.commands.go_online(
            info.context.driver(),
            location.to_wire_fields(),
            vehicle.value if vehicle is not None else None,
        )
        return await _changed(info, command, "driver-status-changed")

    @strawberry.mutation(
        permission_classes=GUARDED, description="No more offers (not while delivering)."
    )
    async def go_offline(self, info: Driving) -> ShiftResult:
        command = info.context.commands.go_offline(info.context.driver())
        return await _changed(info, command, "driver-status-changed")

    @strawberry.mutation(
        permission_classes=GUARDED,
        description="Where you are now (while online): the customer sees you coming.",
    )
    async def report_location(self, info: Driving, location: GeoPointInput) -> ShiftResult:
        command = info.context.commands.report_location(
            info.context.driver(), location.to_wire_fields()
        )
        state = await attempt(command)
        if not isinstance(state, DriverState):
            return state
        return await Me.build(info, state.id, state.name, state)  # no push: not for every move


async def _changed(info: Driving, command: Awaitable[DriverState], event_type: str) -> ShiftResult:
    state = await attempt(command)
    if not isinstance(state, DriverState):
        return state
    await info.context.tell_driver(event_type)
    return await Me.build(info, state.id, state.name, state)
