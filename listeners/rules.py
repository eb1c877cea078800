"""How a listener is declared: a name, a consumer group, its views, and a rule table.

A rule maps one event type to an async handler that returns view writes. Handlers do not
write themselves; the runtime applies their writes, idempotently and order-safe:

- every view document remembers the last event applied to it (``_v``: timestamp and id),
- a write applies only when its event is newer than that, so an older or repeated event
  changes nothing,
- a rule must therefore write everything its view needs from the event's snapshot.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pymongo import IndexModel

from events import Event
from listeners.views import Views


@dataclass(frozen=True, slots=True)
class ViewWrite:
    """One change to one view document."""

    collection: str
    id: str
    set: Mapping[str, Any] = field(default_factory=dict)
    set_on_insert: Mapping[str, Any] = field(default_factory=dict)
    inc: Mapping[str, int | float] = field(default_factory=dict)
    #: a condition on the existing document (a MongoDB filter); a new document is always
    #: written. Used for state rules such as "cancel only while placed".
    when: Mapping[str, Any] = field(default_factory=dict)
    #: Redis scopes told about the change after it is written, e.g. "customer:c-1"
    notify: Sequence[str] = ()
    #: False: apply even when an event with a later timestamp was applied to the document
    #: first. For facts from different services that are concurrent in one partition (a
    #: driver's delivery-accepted and the kitchen's order-ready): their timestamps come from
    #: different clocks and relays, so partition order and timestamp order can disagree,
    #: and the ordered guard would drop one of them for good. Only for writes that are safe
    #: in any order and on repetition: ``set`` guarded by a state ``when``, never ``inc``.
    ordered: bool = True

    def __post_init__(self) -> None:
        if not self.ordered and self.inc:
            raise ValueError("an unordered write must be idempotent: no inc")


Handler = Callable[[Any, Views], Awaitable[Sequence[ViewWrite]]]


@dataclass(frozen=True)
class Listener:
    """A listener: the rules that turn upstream events into one service's views."""

    name: str
    group: str
    database: str
    #: event class -> handler; types not in the table are skipped on purpose
    rules: Mapping[type[Event], Handler]
    #: the view collections it owns (what replay rebuilds), with their indexes
    views: Mapping[str, Sequence[IndexModel]] = field(default_factory=dict)

    def handler_for(self, event_type: str) -> Handler | None:
        return self._by_type.get(event_type)

    @cached_property
    def _by_type(self) -> dict[str, Handler]:
        return {cls.event_type(): handler for cls, handler in self.rules.items()}


def version_of(event: Event) -> str:
    """The order key stored in ``_v``: newer events compare greater (timestamp, then id)."""
    return f"{event.timestamp:013d}.{event.id}"
