"""GraphQL hygiene on an in-memory schema: depth, alias and size limits answer errors
(not exceptions), unexpected errors are masked and logged, expected ones are shown, and
IsAuthenticated wants an actor of the app's role."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated

import pytest
import strawberry

from bff.kit.auth import Actor
from bff.kit.hygiene import MASKED_MESSAGE
from bff.kit.permissions import IsAuthenticated
from bff.kit.problems import Conflict, NotAuthenticated, Problem, conflict
from bff.kit.schema import make_schema


@strawberry.type
class Node:
    name: str = "n"

    @strawberry.field
    def child(self) -> Node:
        return Node()


@strawberry.type
class Ticket:
    id: str


AcceptResult = Annotated[Ticket | Conflict, strawberry.union("AcceptResult")]


@strawberry.type
class Query:
    @strawberry.field
    def root(self) -> Node:
        return Node()

    @strawberry.field
    def boom(self) -> str:
        raise RuntimeError("password=hunter2 in a stack trace")

    @strawberry.field
    def refuse(self) -> str:
        raise NotAuthenticated("sign in first")

    @strawberry.field
    def accept(self, ticket_id: str) -> AcceptResult:
        if ticket_id == "taken":
            return conflict("the order was cancelled meanwhile")
        return Ticket(id=ticket_id)

    @strawberry.field(permission_classes=[IsAuthenticated])
    def secret(self) -> str:
        return "42"


SCHEMA = make_schema(query=Query, max_depth=4, max_aliases=3, max_tokens=60, types=[Problem])


@dataclass
class FakeContext:
    actor: Actor | None
    role: str = "restaurant"


def nested(depth: int) -> str:
    return "{ root " + "{ child " * (depth - 1) + "{ name }" + " }" * depth


async def test_a_query_within_the_depth_limit_runs() -> None:
    result = await SCHEMA.execute(nested(3))
    assert result.errors is None


async def test_a_query_too_deep_is_refused_with_an_error() -> None:
    result = await SCHEMA.execute(nested(6))
    assert result.data is None
    assert result.errors and "exceeds maximum operation depth" in result.errors[0].message


async def test_too_many_aliases_are_refused_with_an_error() -> None:
    result = await SCHEMA.execute("{ a: root { name } b: root { name } c: root { name } d: boom }")
    assert result.errors and "aliases found" in result.errors[0].message


async def test_a_document_too_large_is_refused_with_an_error() -> None:
    result = await SCHEMA.execute("{ " + " ".join(["__typename"] * 80) + " }")
    assert result.errors and "more than 60 tokens" in result.errors[0].message


async def test_an_unexpected_error_is_masked_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="bff.kit.hygiene"):
        result = await SCHEMA.execute("{ boom }")
    assert result.errors and [e.message for e in result.errors] == [MASKED_MESSAGE]
    assert "hunter2" not in str(result.errors[0].formatted)
    assert "unexpected error in boom" in caplog.text
    assert "RuntimeError" in caplog.text and "Traceback" in caplog.text


async def test_an_expected_error_is_shown_with_its_code() -> None:
    result = await SCHEMA.execute("{ refuse }")
    assert result.errors
    assert result.errors[0].message == "sign in first"
    assert result.errors[0].extensions == {"code": "UNAUTHENTICATED"}


async def test_an_expected_failure_is_a_typed_result() -> None:
    query = (
        "query($id: String!) { accept(ticketId: $id) { __typename "
        "... on Ticket { id } ... on Problem { code message } } }"
    )
    taken = await SCHEMA.execute(query, variable_values={"id": "taken"})
    assert taken.errors is None and taken.data is not None
    assert taken.data["accept"] == {
        "__typename": "Conflict",
        "code": "CONFLICT",
        "message": "the order was cancelled meanwhile",
    }
    free = await SCHEMA.execute(query, variable_values={"id": "o-1"})
    assert free.data == {"accept": {"__typename": "Ticket", "id": "o-1"}}


@pytest.mark.parametrize(
    ("actor", "allowed"),
    [
        (None, False),
        (Actor("c-1", "customer", "Ada"), False),
        (Actor("r-1", "restaurant", "Trattoria"), True),
    ],
)
async def test_is_authenticated_wants_an_actor_of_the_apps_role(
    actor: Actor | None, allowed: bool
) -> None:
    result = await SCHEMA.execute("{ secret }", context_value=FakeContext(actor))
    if allowed:
        assert result.errors is None and result.data == {"secret": "42"}
    else:
        assert result.errors and result.errors[0].extensions == {"code": "UNAUTHENTICATED"}
        assert result.errors[0].message.startswith("Sign in first")
