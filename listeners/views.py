"""A listener's view collections by logical name.

Normally a name is its own collection; a replay maps each name to a fresh collection that
is swapped in when the rebuild is complete.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pymongo.asynchronous.collection import AsyncCollection
from pymongo.asynchronous.database import AsyncDatabase

Document = dict[str, Any]


class Views:
    def __init__(self, db: AsyncDatabase[Document], names: Mapping[str, str] | None = None):
        self.db = db
        self._names = dict(names or {})
        #: collection objects by logical name (making one costs as much as a rule)
        self._collections: dict[str, AsyncCollection[Document]] = {}

    def physical(self, name: str) -> str:
        return self._names.get(name, name)

    def __getitem__(self, name: str) -> AsyncCollection[Document]:
        collection = self._collections.get(name)
        if collection is None:
            collection = self._collections[name] = self.db[self.physical(name)]
        return collection
