"""Consumers from the code: each listener's rule table, the views each rule writes, and the
event lake that stores every event.

A rule's views are the collections named in the ``ViewWrite(...)`` calls of its handler
and of the module functions it reaches (``ticket_write`` -> ``ViewWrite(TICKETS, ...)``).
When a handler cannot be read that way (a lambda in an expression, a partial), the rule
is shown writing all of its listener's views.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

from eventmap import source
from eventmap.source import EventClass
from listeners.lake import LakeWriter
from listeners.rules import Handler, Listener, ViewWrite


@dataclass(frozen=True, slots=True)
class Rule:
    event: EventClass
    #: the handler's name, e.g. ``on_order_placed``
    handler: str
    views: tuple[str, ...]
    #: False when the views could not be read from the handler (all views assumed)
    traced: bool = True


def rules_of(listener: Listener) -> list[Rule]:
    """The listener's rules in its table's order."""
    found = []
    for event, handler in listener.rules.items():
        written = views_written(handler)
        name = getattr(handler, "__name__", type(handler).__name__)
        if written:
            found.append(Rule(event, name, written))
        else:
            found.append(Rule(event, name, tuple(listener.views), traced=False))
    return found


def views_written(handler: Handler) -> tuple[str, ...]:
    """The collections the handler's ``ViewWrite`` calls name, in the order they appear."""
    code = source.parsed(handler)
    if code is None:
        return ()
    views: list[str] = []
    for call, where in source.calls_to(code, ViewWrite):
        arg = source.argument(call, 0, "collection")
        name = source.resolve(arg, where.namespace) if arg is not None else None
        if isinstance(name, str) and name not in views:
            views.append(name)
    return tuple(views)


def lake_group() -> str:
    """The lake writer's consumer group (its default)."""
    default = inspect.signature(LakeWriter).parameters["group"].default
    return str(default)
