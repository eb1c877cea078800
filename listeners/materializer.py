"""Runs a listener's rules on events and applies their writes to its views.

Shared by the live runtime, fault resubmission and replay from the lake, so all three
apply exactly the same rules the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from events import Event
from listeners.policy import FailurePolicy, policy_for
from listeners.rules import Handler, Listener, ViewWrite
from listeners.views import Views
from listeners.writes import Applied, Documents, Planned, apply_writes
from observability.listening import view_writes


class Materializer:
    def __init__(
        self,
        listener: Listener,
        views: Views,
        *,
        documents: Documents | None = None,
        concurrent_rules: bool = True,
    ) -> None:
        """``documents``: where writes read and store documents (default: the store).
        ``concurrent_rules``: run a batch's handlers concurrently, so that the reads some
        of them make overlap (they all see the views as the batch started); a replay that
        answers reads from memory runs them one by one, which costs less."""
        self.listener = listener
        self.views = views
        self.documents = documents
        self.concurrent_rules = concurrent_rules

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
        jobs = [
            (event, handler)
            for event in events
            if (handler := self.listener.handler_for(event.type)) is not None
        ]
        if self.concurrent_rules and len(jobs) > 1:
            outcomes = await asyncio.gather(*(self._rule(h, e) for e, h in jobs))
        else:
            outcomes = [await self._rule(h, e) for e, h in jobs]
        planned: list[Planned] = []
        failed: list[tuple[Event, str]] = []
        for (event, _), outcome in zip(jobs, outcomes, strict=True):
            if isinstance(outcome, BaseException):
                if policy_for(outcome) is FailurePolicy.INFRASTRUCTURE_FAILURE:
                    raise outcome
                failed.append((event, f"{type(outcome).__name__}: {outcome}"))
                continue
            planned.extend(Planned(event, write) for write in outcome)
        with view_writes(self.listener.name):  # fd_view_write_seconds
            applied = await apply_writes(self.views, planned, self.documents)
        applied.failed[:0] = failed
        return applied

    async def _rule(self, handler: Handler, event: Event) -> Sequence[ViewWrite] | Exception:
        try:
            return await handler(event, self.views)
        except Exception as exc:
            return exc
