"""Policies from the code: reactions inside the system where something that happened leads
to a new event without an actor.

The one such reaction today is the listeners' failure policy: a rule that fails on an
event is ``FailurePolicy.RULE_FAILURE`` (``listeners.policy``), and the fault log
(``listeners.faults``) records and publishes a ``fault`` event for it. Every other
reaction to an event is a listener rule writing a read model, which an actor then reads
before the next command (drawn as read models, not as policies).
"""

from __future__ import annotations

from dataclasses import dataclass

import listeners.faults
from eventmap import source
from eventmap.source import EventClass
from listeners.policy import FailurePolicy


@dataclass(frozen=True, slots=True)
class Policy:
    #: the policy's name in code, e.g. ``RULE_FAILURE``
    name: str
    #: what it does, from the code, e.g. "publish a fault event and move on"
    does: str
    #: where it is declared and where its events are recorded
    modules: tuple[str, ...]
    events: tuple[EventClass, ...]


def failure_policy() -> Policy:
    """RULE_FAILURE and the events the fault log records."""
    policy = FailurePolicy.RULE_FAILURE
    recorded = source.recorded_events(source.parsed_module(listeners.faults))
    return Policy(
        name=policy.name,
        does=policy.value,
        modules=(FailurePolicy.__module__, listeners.faults.__name__),
        events=tuple(sorted(recorded, key=lambda cls: cls.event_type())),
    )
