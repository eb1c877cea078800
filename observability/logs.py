"""How every process logs: INFO and above to stderr, the story's fields on each line, and
no secrets.

``setup_logging`` is what every process runs (each BFF role, ``python -m listeners``, the
lake writer, the relay on its own):

- each line ends with the story it belongs to, when there is one
  (``... correlation=<id> trace=<trace id>``, ``StoryFields``): grep an order's
  correlation id in every service's log; ``FD_LOG_FORMAT=json`` writes one JSON object a
  line instead (``JsonLines``);
- ``RedactTokens`` on the root handlers: anything shaped like a JWT or a
  ``Bearer <token>`` value, in a message, its arguments or its traceback, becomes
  ``[redacted]``;
- ``HideQueryStrings`` on uvicorn's loggers: the access lines (``"GET /graphql?..."``) and
  websocket lines keep the path and drop the query string, where a client may have put
  a token or a GraphQL query's variables.

The BFFs log no tokens and no customers' input (addresses, notes) in the first place
(docs/bff-kit.md, "Logs: no secrets"); the redaction is a safety net for what a library
might log.
"""

from __future__ import annotations

import json
import logging
import re
import time

from observability.settings import observability_settings
from observability.tracing import current_story

#: the line every process writes (``StoryLines`` appends the story's fields)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
REDACTED = "[redacted]"

#: a JWT: three base64url segments, the header starting with ``{"`` (``eyJ``)
_JWT = re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
#: an ``Authorization`` value: ``Bearer`` and an opaque token of 16 characters or more
_BEARER = re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9._~+/=-]{16,}")
#: the loggers that print request paths (uvicorn's access and websocket lines)
UVICORN_LOGGERS = ("uvicorn.access", "uvicorn.error")


def redact(text: str) -> str:
    """``text`` with JWTs and bearer tokens replaced by ``[redacted]``."""
    return _BEARER.sub(rf"\1 {REDACTED}", _JWT.sub(REDACTED, text))


class RedactTokens(logging.Filter):
    """Redacts tokens in a record before any handler formats it (a handler filter: it sees
    the records of every logger that reaches the handler)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class StoryFields(logging.Filter):
    """Gives each record the story it was logged in (``observability.tracing``):
    ``correlation`` and ``trace`` (None outside a story) and ``story``, the text
    ``" correlation=<id> trace=<id>"`` (empty outside one). A record that brings its own
    (``extra={"correlation": ...}``) keeps it. A handler filter: it runs in the context
    of the code that logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        current = current_story()
        correlation = getattr(record, "correlation", None)
        trace = getattr(record, "trace", None)
        if current is not None:
            correlation = correlation or current.correlation
            trace = trace or current.trace_id
        record.correlation, record.trace = correlation, trace
        fields = [f"correlation={correlation}"] if correlation else []
        if trace:
            fields.append(f"trace={trace}")
        record.story = " " + " ".join(fields) if fields else ""
        return True


class StoryLines(logging.Formatter):
    """``LOG_FORMAT`` and the story's fields (``StoryFields``) at the end of the line."""

    def __init__(self) -> None:
        super().__init__(LOG_FORMAT + "%(story)s", defaults={"story": ""})


class JsonLines(logging.Formatter):
    """One JSON object a line: ``ts`` (ISO 8601, UTC), ``level``, ``logger``, ``message``,
    ``correlation`` and ``trace`` when in a story, ``exc`` with a traceback."""

    def __init__(self) -> None:
        super().__init__()
        self.converter = time.gmtime

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in ("correlation", "trace"):
            if value := getattr(record, name, None):
                line[name] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line["exc"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False)


class HideQueryStrings(logging.Filter):
    """Drops the query string of the request paths in a record's arguments (uvicorn logs
    ``client - "GET /graphql?query=... HTTP/1.1" 200`` with the path as an argument)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple) and any(_is_path_with_query(a) for a in record.args):
            record.args = tuple(_without_query(a) for a in record.args)
        return True


def _is_path_with_query(value: object) -> bool:
    return isinstance(value, str) and value.startswith("/") and "?" in value


def _without_query(value: object) -> object:
    if isinstance(value, str) and _is_path_with_query(value):
        return value.partition("?")[0] + "?[query hidden]"
    return value


def hide_query_strings() -> None:
    """Install ``HideQueryStrings`` on uvicorn's loggers (once)."""
    for name in UVICORN_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, HideQueryStrings) for f in logger.filters):
            logger.addFilter(HideQueryStrings())


def line_formatter(log_format: str | None = None) -> logging.Formatter:
    """The formatter of ``FD_LOG_FORMAT`` (or ``log_format``): text or JSON lines."""
    chosen = log_format or observability_settings().log_format
    return JsonLines() if chosen == "json" else StoryLines()


def setup_logging(level: int = logging.INFO, *, log_format: str | None = None) -> None:
    """A process's logging: lines to stderr at ``level`` in ``FD_LOG_FORMAT`` (text, or
    ``json``) with the story's fields, aiokafka's chatter from WARNING, tokens redacted on
    every handler, no query strings from uvicorn."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    formatter = line_formatter(log_format)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, StoryFields) for f in handler.filters):
            handler.addFilter(StoryFields())
        if not any(isinstance(f, RedactTokens) for f in handler.filters):
            handler.addFilter(RedactTokens())
        handler.setFormatter(formatter)
    hide_query_strings()
