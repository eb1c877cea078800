"""Expected failures: typed results the app can show, and errors that are not masked.

A mutation that can fail for a business reason returns a union of its success type and
problem types, each implementing the ``Problem`` interface::

    AcceptResult = Annotated[Ticket | NotFound | Conflict, strawberry.union("AcceptResult")]

so that the app can always ask ``... on Problem { code message }``. A BFF adds its own
problems by subclassing (``@strawberry.type class ItemUnavailable(Problem): item_id: str``).

Errors raised as ``ExpectedError`` (e.g. ``NotAuthenticated``) reach the client with their
message; any other exception is masked and logged (``bff.kit.hygiene``).
"""

from __future__ import annotations

import strawberry
from graphql import GraphQLError


@strawberry.interface(description="An expected failure the app can show to its user.")
class Problem:
    code: str
    message: str


@strawberry.type(description="The thing named does not exist, or is not yours.")
class NotFound(Problem):
    pass


@strawberry.type(description="The input is not valid; nothing was changed.")
class InvalidInput(Problem):
    field: str | None = None


@strawberry.type(description="Not possible in the entity's current state; nothing changed.")
class Conflict(Problem):
    pass


@strawberry.type(description="The actor may not do this; nothing was changed.")
class NotAllowed(Problem):
    pass


def not_found(what: str) -> NotFound:
    return NotFound(code="NOT_FOUND", message=f"{what} was not found")


def invalid_input(message: str, field: str | None = None) -> InvalidInput:
    return InvalidInput(code="INVALID_INPUT", message=message, field=field)


def conflict(message: str) -> Conflict:
    return Conflict(code="CONFLICT", message=message)


def not_allowed(message: str) -> NotAllowed:
    return NotAllowed(code="NOT_ALLOWED", message=message)


class ExpectedError(GraphQLError):
    """An error meant for the client: shown as is, never masked, not logged as a bug."""

    code = "BAD_REQUEST"

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": self.code})


class NotAuthenticated(ExpectedError):
    code = "UNAUTHENTICATED"
