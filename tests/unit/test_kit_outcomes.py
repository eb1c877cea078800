"""Command failures become the kit's problem types (bff.kit.outcomes)."""

from __future__ import annotations

from pathlib import Path

from bff.driver.dispatch import AlreadyTaken
from bff.kit.failures import Busy, InvalidInput, InvalidState, NotAllowed, NotFound
from bff.kit.outcomes import as_problem, attempt
from bff.kit.problems import Conflict

SDL = Path(__file__).resolve().parents[2] / "bff" / "restaurant" / "schema.graphql"


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


async def test_attempt_returns_the_result_or_the_expected_failure_as_a_problem() -> None:
    async def works() -> int:
        return 7

    async def taken() -> int:
        raise AlreadyTaken("order 'o-1' was already taken by another driver")

    assert await attempt(works()) == 7
    problem = await attempt(taken())
    assert isinstance(problem, Conflict) and problem.code == "TAKEN"
    assert "already taken" in problem.message
