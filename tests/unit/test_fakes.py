"""The in-memory store of the unit tests holds to the FerretDB rules the code relies on."""

from __future__ import annotations

import pytest
from pymongo.errors import DuplicateKeyError

from tests.support.fakes import FakeDatabase


async def test_the_fake_reads_and_writes_by_id_and_refuses_a_second_insert() -> None:
    db = FakeDatabase()
    await db["things"].insert_one({"_id": "a", "n": 1})
    with pytest.raises(DuplicateKeyError):
        await db["things"].insert_one({"_id": "a", "n": 2})
    assert await db["things"].find_one({"_id": "a"}) == {"_id": "a", "n": 1}
    with pytest.raises(AssertionError, match="only _id"):
        await db["things"].find_one({"_id": "a", "n": 1})
