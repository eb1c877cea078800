"""Every log line shows the story it was logged in (correlation id and trace id), as text
or as JSON lines, with tokens still redacted."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import pytest

from adapters.settings import Settings
from observability.logs import (
    REDACTED,
    JsonLines,
    RedactTokens,
    StoryFields,
    StoryLines,
    line_formatter,
)
from observability.tracing import story
from tests.support.serving import token_for

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
PARENT = f"00-{TRACE}-00f067aa0ba902b7-01"


def capture(formatter: logging.Formatter) -> Iterator[tuple[logging.Logger, io.StringIO]]:
    """A logger writing through a handler as ``setup_logging`` configures the root's."""
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(StoryFields())
    handler.addFilter(RedactTokens())
    handler.setFormatter(formatter)
    logger = logging.getLogger("tests.observability_logs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        yield logger, out
    finally:
        logger.removeHandler(handler)


@pytest.fixture
def text_lines() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    yield from capture(StoryLines())


@pytest.fixture
def json_lines() -> Iterator[tuple[logging.Logger, io.StringIO]]:
    yield from capture(JsonLines())


def test_a_line_in_a_story_ends_with_its_correlation_and_trace(
    text_lines: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = text_lines
    logger.info("outside")
    with story("apply order-placed", traceparent=PARENT, correlation_id="01KCORRELATION"):
        logger.info("applied %s", "order-placed")
    with story("query orders"):  # a query: a trace, no correlation
        logger.info("read")
    outside, inside, query = out.getvalue().splitlines()
    assert outside.endswith("INFO tests.observability_logs outside")
    assert inside.endswith(f"applied order-placed correlation=01KCORRELATION trace={TRACE}")
    assert "correlation=" not in query and " trace=" in query


def test_a_record_may_bring_its_own_story(text_lines: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = text_lines
    logger.info("applied", extra={"correlation": "01KOWN", "trace": TRACE})
    assert out.getvalue().rstrip().endswith(f"applied correlation=01KOWN trace={TRACE}")


def test_an_id_unsafe_to_log_is_not_printed(text_lines: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = text_lines
    with story("apply", correlation_id="evil\nINFO forged line"):
        logger.info("applied")
    assert out.getvalue().count("\n") == 1
    assert "forged" not in out.getvalue()
    assert "correlation=unsafe-id" in out.getvalue()


def test_json_lines_carry_the_story_as_fields(
    json_lines: tuple[logging.Logger, io.StringIO],
) -> None:
    logger, out = json_lines
    token = token_for(Settings(), "customer", "c-json")
    with story("mutation placeOrder", traceparent=PARENT, correlation_id="01KJSON"):
        logger.info("placed with %s", token)
    logger.info("outside")
    inside, outside = (json.loads(line) for line in out.getvalue().splitlines())
    assert inside["level"] == "INFO" and inside["logger"] == "tests.observability_logs"
    assert inside["message"] == f"placed with {REDACTED}"  # the redaction still runs first
    assert inside["correlation"] == "01KJSON" and inside["trace"] == TRACE
    assert inside["ts"].endswith("Z")
    assert "correlation" not in outside and "trace" not in outside


def test_json_lines_keep_the_traceback(json_lines: tuple[logging.Logger, io.StringIO]) -> None:
    logger, out = json_lines
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed")
    line = json.loads(out.getvalue())
    assert "ValueError: boom" in line["exc"]


def test_the_format_is_chosen_by_fd_log_format() -> None:
    assert isinstance(line_formatter("json"), JsonLines)
    assert isinstance(line_formatter("text"), StoryLines)


def test_a_handler_without_the_story_filter_still_formats() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "plain", None, None)
    assert StoryLines().format(record).endswith("INFO x plain")
