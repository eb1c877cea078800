"""The logging safety nets: tokens redacted on the handlers (message, arguments,
traceback), no query strings in uvicorn's lines, and refused requests logged without the
values the client sent."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from adapters.settings import Settings
from bff.kit.logs import (
    REDACTED,
    HideQueryStrings,
    RedactTokens,
    hide_query_strings,
    redact,
)
from bff.kit.schema import NOT_LOGGED, without_values
from tests.support.serving import token_for

TOKEN = token_for(Settings(), "customer", "c-secret")


@pytest.fixture
def logged() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing to a string through a handler with ``RedactTokens``."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactTokens())
    logger = logging.getLogger("tests.kit_logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield logger, out
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
        logger.propagate = True


def test_jwts_and_bearer_values_are_redacted() -> None:
    assert redact(f"token {TOKEN}.") == f"token {REDACTED}."
    assert redact(f"authorization: Bearer {TOKEN}") == f"authorization: Bearer {REDACTED}"
    assert (
        redact("authorization: bearer abcdefghijklmnopqrstu") == f"authorization: bearer {REDACTED}"
    )
    assert redact("order o-1 placed by customer:c-1") == "order o-1 placed by customer:c-1"


def test_a_handler_never_writes_a_token_from_a_message_its_args_or_a_traceback(
    logged: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = logged
    logger.info("header %s", {"authorization": f"Bearer {TOKEN}"})
    logger.warning(f"refused {TOKEN}")
    try:
        raise ValueError(f"bad token {TOKEN}")
    except ValueError:
        logger.exception("could not verify")

    text = out.getvalue()
    assert TOKEN not in text and TOKEN.split(".")[2] not in text
    assert text.count(REDACTED) == 3 and "could not verify" in text and "ValueError" in text


def test_uvicorn_lines_keep_the_path_and_drop_the_query_string() -> None:
    access = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/graphql?token={TOKEN}&query=x", "1.1", 200),
        None,
    )
    assert HideQueryStrings().filter(access)
    assert access.getMessage() == '127.0.0.1:5000 - "GET /graphql?[query hidden] HTTP/1.1" 200'

    hide_query_strings()
    hide_query_strings()  # once
    for name in ("uvicorn.access", "uvicorn.error"):
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, HideQueryStrings) for f in filters) == 1


@pytest.mark.parametrize(
    ("message", "logged"),
    [
        (
            "Variable '$order' has invalid value at .deliveryAddress: Expected value of type "
            "'AddressInput' to include required field 'lat', found: {'line1': 'Elm Row 9'}.",
            "Variable '$order' has invalid value at .deliveryAddress: Expected value of type "
            f"'AddressInput' to include required field 'lat', found: {NOT_LOGGED}",
        ),
        (
            "Variable '$order' has invalid value: Expected value of type 'PlaceOrderInput' to "
            "be an object, found: 'Elm Row 9'.",
            "Variable '$order' has invalid value: Expected value of type 'PlaceOrderInput' to "
            f"be an object, found: {NOT_LOGGED}",
        ),
        (
            "Float cannot represent non numeric value: 'Elm Row 9'",
            f"Float cannot represent non numeric value: {NOT_LOGGED}",
        ),
        (
            "Value 'Elm Row 9' does not exist in 'Vehicle' enum.",
            f"Value {NOT_LOGGED} does not exist in 'Vehicle' enum.",
        ),
        ("Cannot query field 'secret' on type 'Query'.", None),
    ],
)
def test_a_refusal_is_logged_without_the_values_it_quotes(message: str, logged: str | None) -> None:
    assert without_values(message) == (logged or message)
