"""The restaurant BFF's schema: committed SDL current, every field guarded, limits on."""

from __future__ import annotations

from pathlib import Path

from bff.kit.failures import Busy, InvalidInput, InvalidState, NotAllowed, NotFound
from bff.kit.outcomes import as_problem
from bff.kit.permissions import IsAuthenticated
from bff.kit.schema import assert_schema_current
from bff.restaurant.schema import schema

SDL = Path(__file__).resolve().parents[2] / "bff" / "restaurant" / "schema.graphql"


def test_the_committed_schema_is_current() -> None:
    assert_schema_current(schema, SDL, module="bff.restaurant.schema:schema")


def test_every_root_field_needs_a_signed_in_restaurant() -> None:
    roots = [schema.query, schema.mutation, schema.subscription]
    unguarded = [
        f"{root.__name__}.{field.name}"
        for root in roots
        for field in root.__strawberry_definition__.fields  # type: ignore[union-attr]
        if IsAuthenticated not in field.permission_classes
    ]
    assert unguarded == []


def test_command_failures_become_the_kits_problem_types() -> None:
    cases = {
        NotFound("order 'o-1' was not found"): ("NotFound", "NOT_FOUND", None),
        NotAllowed("another restaurant's"): ("NotAllowed", "NOT_ALLOWED", None),
        InvalidState("already accepted"): ("Conflict", "CONFLICT", None),
        Busy("try again"): ("Conflict", "BUSY", None),
        InvalidInput("prepMinutes", "must be 1-240"): (
            "InvalidInput",
            "INVALID_INPUT",
            "prepMinutes",
        ),
    }
    for failure, (kind, code, field) in cases.items():
        problem = as_problem(failure)
        assert type(problem).__name__ == kind
        assert problem.code == code
        assert problem.message == failure.message
        assert getattr(problem, "field", None) == field
