"""Commands on one entity run one at a time: read by ``_id``, decide in Python, write.

FerretDB only uses an index for a filter of exactly ``{_id: ...}``, so a guarded write
(``{_id: x, status: "accepted"}``) would scan the collection. Instead a command holds the
entity's *command* lock while it reads the document, checks its state and writes it
through the outbox. That lock is a different key from the outbox's per-write lock
(``bff.kit.doclock``), which the outbox takes inside it: the two never deadlock, and the
relay (which takes only the write lock to clear published events) never waits for a
command to finish deciding.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from pymongo.asynchronous.collection import AsyncCollection

from adapters.store import Document
from bff.kit.doclock import DocumentBusy, DocumentLocks
from bff.kit.failures import Busy


def command_lock_name(collection: AsyncCollection[Document]) -> str:
    return f"{collection.full_name}#commands"


@asynccontextmanager
async def one_command_at_a_time(
    locks: DocumentLocks, collection: AsyncCollection[Document], doc_id: str
) -> AsyncIterator[None]:
    """Hold the entity's command lock; a lock held too long (here, or the outbox's write
    lock inside the block) becomes ``Busy`` with nothing written."""
    with busy_as_failure():
        async with locks.locked(command_lock_name(collection), doc_id):
            yield


@contextmanager
def busy_as_failure() -> Iterator[None]:
    """Turns ``DocumentBusy`` raised in the block into the expected failure ``Busy``."""
    try:
        yield
    except DocumentBusy as exc:
        raise Busy("someone else is changing this right now; try again") from exc
