"""A command's expected failure as the problem type the app shows (nothing was written).

``NotFound`` -> NotFound, ``NotAllowed`` -> NotAllowed, ``InvalidState`` -> Conflict,
``Busy`` -> Conflict with code ``BUSY`` (try again), ``InvalidInput`` -> InvalidInput
naming the field.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from bff.kit import failures, problems

T = TypeVar("T")
R = TypeVar("R")

Problem = problems.NotFound | problems.NotAllowed | problems.Conflict | problems.InvalidInput


def as_problem(failure: failures.CommandFailed) -> Problem:
    if isinstance(failure, failures.NotFound):
        return problems.NotFound(code=failure.code, message=failure.message)
    if isinstance(failure, failures.NotAllowed):
        return problems.NotAllowed(code=failure.code, message=failure.message)
    if isinstance(failure, failures.InvalidInput):
        return problems.InvalidInput(
            code=failure.code, message=failure.message, field=failure.field
        )
    return problems.Conflict(code=failure.code, message=failure.message)


async def outcome(command: Awaitable[T], convert: Callable[[T], R]) -> R | Problem:
    """Run the command; its result converted, or its expected failure as a problem."""
    try:
        result = await command
    except failures.CommandFailed as failure:
        return as_problem(failure)
    return convert(result)


async def attempt(command: Awaitable[T]) -> T | Problem:
    """Run the command; its result as is, or its expected failure as a problem (for
    results that need awaiting to convert: ``isinstance`` tells them apart)."""
    try:
        return await command
    except failures.CommandFailed as failure:
        return as_problem(failure)
