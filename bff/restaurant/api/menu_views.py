"""Menu views per day from the event lake: the Insights tab's history of how often
customers opened this restaurant's menu, and how many orders they placed.

Served from the lake (``bff.restaurant.lake_views``: DuckDB over the lake's files, one
scan for all restaurants cached for a few seconds), always for the signed-in restaurant:
the restaurant id comes from the token, and a reading holds other restaurants' figures
only inside the process, never in an answer.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from bff.kit.permissions import IsAuthenticated
from bff.kit.problems import ExpectedError
from bff.kit.values import EpochMs
from bff.restaurant.api.context import KitchenContext
from bff.restaurant.lake_views import LakeUnreadable

DAYS_MAX = 28
#: UTC offsets of real time zones: from -12:00 to +14:00, in steps of 15 minutes
OFFSET_MIN, OFFSET_MAX, OFFSET_STEP = -720, 840, 15


@strawberry.type(description="One local day's menu views and orders placed.")
class MenuViewDay:
    date: str = strawberry.field(description="the day, YYYY-MM-DD, at the asked UTC offset")
    views: int = strawberry.field(description="times customers opened the menu")
    viewers: int = strawberry.field(description="different customers who opened it")
    orders_placed: int = strawberry.field(description="orders customers placed")


@strawberry.type(
    description="Menu views and orders placed over the last days, counted in the event lake "
    "(every menu-viewed and order-placed kept); read at `readAt`, up to a few seconds old."
)
class MenuViewHistory:
    views: int = strawberry.field(description="menu views in the window")
    viewers: int = strawberry.field(description="different customers in the whole window")
    orders_placed: int = strawberry.field(description="orders placed in the window")
    since: EpochMs = strawberry.field(description="the window's start: the first day's midnight")
    read_at: EpochMs = strawberry.field(description="when the lake was read")
    days: list[MenuViewDay] = strawberry.field(description="every day, oldest first")


@strawberry.type
class MenuViewQuery:
    @strawberry.field(
        permission_classes=[IsAuthenticated],
        description="This restaurant's menu views and orders placed per day, from the event "
        "lake: the last `days` days (today included) at `utcOffsetMinutes` from UTC.",
    )
    async def menu_view_history(
        self, info: Info[KitchenContext, None], days: int = 14, utc_offset_minutes: int = 0
    ) -> MenuViewHistory:
        if not 1 <= days <= DAYS_MAX:
            raise ExpectedError(f"days must be between 1 and {DAYS_MAX}")
        if not OFFSET_MIN <= utc_offset_minutes <= OFFSET_MAX or utc_offset_minutes % OFFSET_STEP:
            raise ExpectedError(
                f"utcOffsetMinutes must be a multiple of {OFFSET_STEP} "
                f"between {OFFSET_MIN} and {OFFSET_MAX}"
            )
        restaurant_id = info.context.restaurant_id()
        try:
            reading = await info.context.lake_views.reading(days, utc_offset_minutes)
        except LakeUnreadable as exc:
            raise ExpectedError("The event lake could not be read just now; try again.") from exc
        mine = reading.of(restaurant_id)
        return MenuViewHistory(
            views=mine.views,
            viewers=mine.viewers,
            orders_placed=mine.orders,
            since=EpochMs(reading.since_ms),
            read_at=EpochMs(reading.read_at_ms),
            days=[
                MenuViewDay(
                    date=day.day.isoformat(),
                    views=day.views,
                    viewers=day.viewers,
                    orders_placed=day.orders,
                )
                for day in mine.days
            ],
        )
