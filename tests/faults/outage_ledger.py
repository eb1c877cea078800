"""Every request of the outage test's load and what came back, sorted into what a user may
see during an outage:

- ``ACKNOWLEDGED``: the command did it (its success type);
- ``RETRYABLE``: a clear "try again": a GraphQL error with ``extensions.code``
  ``UNAVAILABLE`` and ``retryable: true`` (a service is down), or the problem ``BUSY``
  (a document stayed locked). Nothing the user was told happened may be missing;
- ``REFUSED``: an expected business answer (the order was accepted already, ...);
- ``OTHER``: anything else: an HTTP 5xx, a masked "Unexpected error.", a connection the
  API refused, or no answer within the client's timeout. Any of these fails the test.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ACKNOWLEDGED = "acknowledged"
RETRYABLE = "retryable"
REFUSED = "refused"
OTHER = "other"
KINDS = (ACKNOWLEDGED, RETRYABLE, REFUSED, OTHER)


@dataclass(frozen=True)
class Outcome:
    """One request: which operation, what came back, when (monotonic seconds)."""

    operation: str
    kind: str
    started: float
    ended: float
    detail: str = ""
    subject: str = ""

    @property
    def seconds(self) -> float:
        return self.ended - self.started


def classify(
    status: int, body: Mapping[str, Any] | None, field: str, success: str
) -> tuple[str, str]:
    """(kind, detail) of one GraphQL answer to the operation ``field``, whose success is
    the type ``success`` (None for a query: its data is the success)."""
    text = json.dumps(body)[:300] if body is not None else "no JSON body"
    if status != 200 or body is None:
        return OTHER, f"HTTP {status}: {text}"
    errors = body.get("errors") or []
    if errors:
        if all(_retryable(error) for error in errors):
            return RETRYABLE, str(errors[0].get("message"))
        return OTHER, text
    answer = (body.get("data") or {}).get(field)
    if not success:
        return (ACKNOWLEDGED, "") if answer is not None else (OTHER, text)
    if not isinstance(answer, dict):
        return OTHER, text
    if answer.get("__typename") == success:
        return ACKNOWLEDGED, ""
    if answer.get("code") == "BUSY":
        return RETRYABLE, str(answer.get("message"))
    if isinstance(answer.get("code"), str):
        return REFUSED, f"{answer.get('code')}: {answer.get('message')}"
    return OTHER, text


def _retryable(error: Mapping[str, Any]) -> bool:
    extensions = error.get("extensions") or {}
    message = str(error.get("message", "")).lower()
    return (
        extensions.get("code") == "UNAVAILABLE"
        and extensions.get("retryable") is True
        and "try again" in message
    )


@dataclass
class Window:
    """A stretch of the run: an outage from the service's stop until the next outage (or
    the end of the load); ``up_at`` is when the service answered again."""

    name: str
    began: float
    up_at: float | None = None
    ended: float | None = None

    def holds(self, moment: float) -> bool:
        return self.began <= moment and (self.ended is None or moment < self.ended)


@dataclass
class Ledger:
    """The outcomes of the run, and the windows they are counted in."""

    outcomes: list[Outcome] = field(default_factory=list)
    windows: list[Window] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def begin(self, name: str) -> Window:
        now = time.monotonic()
        if self.windows and self.windows[-1].ended is None:
            self.windows[-1].ended = now
        window = Window(name, now)
        self.windows.append(window)
        return window

    def close(self) -> None:
        if self.windows and self.windows[-1].ended is None:
            self.windows[-1].ended = time.monotonic()

    def of_kind(self, kind: str, operations: Iterable[str] | None = None) -> list[Outcome]:
        wanted = set(operations) if operations is not None else None
        return [
            o for o in self.outcomes if o.kind == kind and (wanted is None or o.operation in wanted)
        ]

    def in_window(self, window: Window, operations: Sequence[str]) -> list[Outcome]:
        """The outcomes of requests started in the window."""
        return [o for o in self.outcomes if window.holds(o.started) and o.operation in operations]

    def where(self, outcome: Outcome) -> str:
        """When a request started: ``"store outage +12.3s"`` (after the window began)."""
        for window in self.windows:
            if window.holds(outcome.started):
                return f"{window.name} +{outcome.started - window.began:.1f}s"
        return "after the load"

    def first_success_after(self, moment: float, operation: str) -> float | None:
        """Seconds from ``moment`` until the first acknowledged ``operation`` answered."""
        ends = [
            o.ended
            for o in self.outcomes
            if o.operation == operation and o.kind == ACKNOWLEDGED and o.ended >= moment
        ]
        return min(ends) - moment if ends else None

    def table(self, commands: Sequence[str], queries: Sequence[str]) -> str:
        """Per window: commands acknowledged / retryable / refused / other, the slowest
        answer, queries answered / retryable / other, and the seconds from the service's
        restart until each command's first success."""
        head = (
            f"{'window':<16} {'cmd ok':>6} {'retry':>6} {'refused':>7} {'other':>6} "
            f"{'slowest':>8} {'qry ok':>6} {'q retry':>7} {'q other':>7}  "
            "first success after the restart"
        )
        lines = [head, "-" * len(head)]
        for window in self.windows:
            done = self.in_window(window, commands)
            asked = self.in_window(window, queries)
            count = {k: sum(1 for o in done if o.kind == k) for k in KINDS}
            qcount = {k: sum(1 for o in asked if o.kind == k) for k in KINDS}
            slowest = max((o.seconds for o in done), default=0.0)
            firsts = []
            if window.up_at is not None:
                for operation in commands:
                    after = self.first_success_after(window.up_at, operation)
                    firsts.append(
                        f"{operation} {after:.1f}s" if after is not None else f"{operation} -"
                    )
            lines.append(
                f"{window.name:<16} {count[ACKNOWLEDGED]:>6} {count[RETRYABLE]:>6} "
                f"{count[REFUSED]:>7} {count[OTHER]:>6} {slowest:>7.1f}s "
                f"{qcount[ACKNOWLEDGED]:>6} {qcount[RETRYABLE]:>7} {qcount[OTHER]:>7}  "
                + (", ".join(firsts) if firsts else "")
            )
        return "\n".join(lines)
