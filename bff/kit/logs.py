"""How a BFF process logs: as every process of the system does (``observability.logs``).

INFO and above to stderr, each line ending with the story it belongs to
(``correlation=<id> trace=<trace id>``), and no secrets in the lines: the kit logs no
tokens and no customers' input (addresses, notes) in the first place (bearer tokens are
never formatted into messages, and a refused GraphQL request's values are left out,
``bff.kit.schema.without_values``); ``setup_logging`` adds the safety nets
``RedactTokens`` (JWTs and bearer values become ``[redacted]`` on every handler) and
``HideQueryStrings`` (uvicorn's lines keep the path, not the query string).
"""

from __future__ import annotations

from observability.logs import (
    LOG_FORMAT,
    REDACTED,
    UVICORN_LOGGERS,
    HideQueryStrings,
    RedactTokens,
    hide_query_strings,
    redact,
    setup_logging,
)

__all__ = [
    "LOG_FORMAT",
    "REDACTED",
    "UVICORN_LOGGERS",
    "HideQueryStrings",
    "RedactTokens",
    "hide_query_strings",
    "redact",
    "setup_logging",
]
