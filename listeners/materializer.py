"""Runs a listener's rules on events and applies their writes to its views.

Shared by the live runtime, fault resubmission and replay from the lake, so all three
apply exactly the same rules the same way.
"""

from __future__ import annotations

from collections.abc import Sequence

from events import Event
from listeners.policy import FailurePolicy, policy_for
from listeners.rules import Listener
from listeners.views import Views
from listeners.writes import Applied, Planned, apply_writes


class Materializer:
    def __init__(self, listener: Listener, views: Views) -> None:
        self.listener = listener
        self.views = views

    async def ensure_indexes(self) -> None:
        """Create the views' indexes, one call each: FerretDB 1.24 drops the connection
        when one ``createIndexes`` names two or more indexes that exist already (so a
        listener with two indexes on a view could never restart)."""
        for name, indexes in self.listener.views.items():
            for index in indexes:
                await self.views[name].create_indexes([index])

    async def apply(self, events: Sequence[Event]) -> Applied:
        """Events in partition order per key. Events without a rule are skipped on purpose.

        A rule that raises makes its event a failure (RULE_FAILURE); infrastructure errors
        propagate so the caller can retry.
        """
        planned: list[Planned] = []
        failed: list[tuple[Event, str]] = []
        for event in events:
            handler = self.listener.handler_for(event.type)
            if handler is None:
                continue
            try:
                writes = await handler(event, self.views)
            except Exception as exc:
                if policy_for(exc) is FailurePolicy.INFRASTRUCTURE_FAILURE:
                    raise
                failed.append((event, f"{type(exc).__name__}: {exc}"))
                continue
            planned.extend(Planned(event, write) for write in writes)
        applied = await apply_writes(self.views, planned)
        applied.failed[:0] = failed
        return applied
