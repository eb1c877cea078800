"""Expected command failures: the command wrote nothing, and the message says why.

The GraphQL layer maps each to the kit's problem types (``bff.kit.problems``):
``NotFound`` -> NotFound, ``NotAllowed`` -> NotAllowed, ``InvalidState`` and ``Busy`` ->
Conflict, ``InvalidInput`` -> InvalidInput (with its ``field``).
"""

from __future__ import annotations

from typing import ClassVar


class CommandFailed(Exception):
    """Base of every expected failure; ``code`` is stable, ``message`` is for people."""

    code: ClassVar[str] = "FAILED"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(CommandFailed):
    """The entity does not exist (or is not known yet): an order, a restaurant, an item."""

    code = "NOT_FOUND"


class NotAllowed(CommandFailed):
    """The actor may not do this (another restaurant's order, another customer's)."""

    code = "NOT_ALLOWED"


class InvalidState(CommandFailed):
    """Not possible in the entity's current state (an order already accepted...)."""

    code = "CONFLICT"


class InvalidInput(CommandFailed):
    """The input is not valid; ``field`` names it on the wire (``prepMinutes``)."""

    code = "INVALID_INPUT"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field


class Busy(CommandFailed):
    """Another command held the entity for too long; nothing was written, try again."""

    code = "BUSY"
