"""Which failures mean "a service this process depends on is unavailable right now".

The store (FerretDB/MongoDB), Redis or Kafka not answering is not a bug: the same request
may well succeed a moment later. A resolver does not catch these errors; the GraphQL
layer (``bff.kit.hygiene``) answers them as one clear, retryable error instead of the
masked "Unexpected error."::

    {"message": "The service is temporarily unavailable; please try again in a moment.",
     "extensions": {"code": "UNAVAILABLE", "retryable": true}}

and a live update that could not be read becomes a resync (``bff.kit.live``): the app
refetches instead of losing its subscription.
"""

from __future__ import annotations

import redis.exceptions
from aiokafka.errors import KafkaConnectionError, KafkaError, KafkaTimeoutError
from pymongo.errors import ConnectionFailure, PyMongoError, WaitQueueTimeoutError

from bff.kit.doclock import RetryableError

#: the GraphQL error code of an unavailable service (``extensions.code``)
CODE = "UNAVAILABLE"
MESSAGE = "The service is temporarily unavailable; please try again in a moment."
EXTENSIONS: dict[str, object] = {"code": CODE, "retryable": True}

#: the store, Redis or Kafka did not answer (or a document lock stayed taken): retryable.
#: ``ConnectionFailure`` covers ``AutoReconnect``, ``NetworkTimeout`` and
#: ``ServerSelectionTimeoutError``; the built-in ``ConnectionError`` and ``TimeoutError``
#: a refused or timed-out socket that a client did not wrap.
UNAVAILABLE_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionFailure,
    WaitQueueTimeoutError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    KafkaConnectionError,
    KafkaTimeoutError,
    RetryableError,
    ConnectionError,
    TimeoutError,
)


def is_unavailable(error: BaseException | None) -> bool:
    """True when ``error`` says a service is unavailable (see ``UNAVAILABLE_ERRORS``, a
    store error labelled ``RetryableWriteError`` and Kafka's errors marked retriable); for
    an exception group, when all of its are."""
    if error is None:
        return False
    if isinstance(error, BaseExceptionGroup):
        return all(is_unavailable(e) for e in error.exceptions)
    if isinstance(error, UNAVAILABLE_ERRORS):
        return True
    if isinstance(error, PyMongoError):
        return error.has_error_label("RetryableWriteError")
    return isinstance(error, KafkaError) and bool(error.retriable)
