"""How a BFF process logs: INFO and above to stderr, and no secrets in the lines.

The kit logs no tokens and no customers' input (addresses, notes) in the first place:
bearer tokens are never formatted into messages, and a refused GraphQL request's values
are left out (``bff.kit.schema.without_values``). ``setup_logging`` adds two safety nets
for what a library might log:

- ``RedactTokens`` on the root handlers: anything shaped like a JWT or a
  ``Bearer <token>`` value, in a message, its arguments or its traceback, becomes
  ``[redacted]``;
- ``HideQueryStrings`` on uvicorn's loggers: the access lines (``"GET /graphql?..."``) and
  websocket lines keep the path and drop the query string, where a client may have put
  a token or a GraphQL query's variables.
"""

from __future__ import annotations

import logging
import re

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


def setup_logging(level: int = logging.INFO) -> None:
    """A BFF process's logging: ``LOG_FORMAT`` to stderr at ``level``, aiokafka's chatter
    from WARNING, tokens redacted on every handler, no query strings from uvicorn."""
    logging.basicConfig(level=level, format=LOG_FORMAT)
    logging.getLogger("aiokafka").setLevel(logging.WARNING)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactTokens) for f in handler.filters):
            handler.addFilter(RedactTokens())
    hide_query_strings()
