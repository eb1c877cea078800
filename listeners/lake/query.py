"""SQL over the lake with DuckDB: a view ``events`` of every stored event, once per id.

Columns: the envelope (``id``, ``type``, ``timestamp``, ``partitionKey``, ``tags``), each
snapshot as JSON (``order``, ``restaurant``, ``menu``, ``view``, ``driver``, ``position``,
``delivery``, ``fault``), ``_partition``, ``_offset``, ``ts`` (TIMESTAMP, UTC), ``hour``,
``file`` (the lake file's name) and ``event`` (the whole stored line as JSON). The view
lists the lake's files when queried; malformed records (``date=unknown``) are left out.

``connect(lake_dir, since_ms=, until_ms=, types=)`` narrows the view to the events of
those types with a timestamp in ``[since_ms, until_ms)``: it reads only the hour folders
that overlap the range, and drops the other lines before parsing them and before the
per-id dedupe (the costly parts). The view still holds those events once per id: every
copy of an event has its id, type and timestamp, so lands in the same hour folder and
passes or fails the filters together. Analytics over a few event types of a few days
read that much of the lake, not all of it (``analytics/``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from listeners.lake.layout import EVENT_FILES, SUFFIX

SNAPSHOTS = ("order", "restaurant", "menu", "view", "driver", "position", "delivery", "fault")
_FIELDS = {
    "id": "VARCHAR",
    "type": "VARCHAR",
    "timestamp": "BIGINT",
    "partitionKey": "VARCHAR",
    "tags": "JSON",
    **dict.fromkeys(SNAPSHOTS, "JSON"),
    "_partition": "INTEGER",
    "_offset": "BIGINT",
}
_EMPTY = "(SELECT NULL::JSON AS json, NULL::VARCHAR AS filename WHERE false)"
_VIEW = """
CREATE OR REPLACE VIEW events AS
SELECT fields.*, epoch_ms(fields.timestamp) AS ts,
       date_trunc('hour', epoch_ms(fields.timestamp)) AS hour, file, event
FROM (
    SELECT from_json(json, '{shape}') AS fields, json AS event, parse_filename(filename) AS file
    FROM {source}
    {where}
)
QUALIFY fields.id IS NULL
     OR row_number() OVER (PARTITION BY fields.id ORDER BY file, fields._partition,
                           fields._offset) = 1
"""

COUNTS_BY_TYPE_PER_HOUR = """
SELECT hour, type, count(*) AS events FROM events GROUP BY hour, type ORDER BY hour, type
"""


_HOUR_MS = 3_600_000


def connect(
    lake_dir: Path,
    *,
    since_ms: int | None = None,
    until_ms: int | None = None,
    types: Sequence[str] | None = None,
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the view ``events`` over the lake.

    With ``since_ms`` / ``until_ms`` (epoch milliseconds, until exclusive) the view holds
    only events in ``[since_ms, until_ms)`` and reads only the hour folders that overlap
    it, listed now (an hour folder made later is not seen); with ``types`` only events of
    those types. A lake without files yet gives an empty view; connect again once files
    exist."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    if since_ms is None and until_ms is None:
        found = any(lake_dir.glob(EVENT_FILES))
        patterns = [f"{lake_dir.resolve()}/{EVENT_FILES}"] if found else []
    else:
        patterns = [f"{f.resolve()}/*{SUFFIX}" for f in hour_folders(lake_dir, since_ms, until_ms)]
    source = (
        f"read_ndjson_objects([{', '.join(map(_literal, patterns))}], filename = true, "
        "hive_partitioning = false)"
        if patterns
        else _EMPTY
    )
    shape = json.dumps(_FIELDS).replace("'", "''")
    con.execute(_VIEW.format(shape=shape, source=source, where=_where(since_ms, until_ms, types)))
    return con


def _where(since_ms: int | None, until_ms: int | None, types: Sequence[str] | None) -> str:
    """The raw-line filter of ``connect``'s bounds (before parsing and dedupe)."""
    stamp = "TRY_CAST(json_extract(json, '$.timestamp') AS BIGINT)"
    tests = [f"{stamp} >= {int(since_ms)}"] if since_ms is not None else []
    if until_ms is not None:
        tests.append(f"{stamp} < {int(until_ms)}")
    if types is not None:
        listed = ", ".join(map(_literal, types)) or "NULL"
        tests.append(f"json_extract_string(json, '$.type') IN ({listed})")
    return f"WHERE {' AND '.join(tests)}" if tests else ""


def hour_folders(lake_dir: Path, since_ms: int | None, until_ms: int | None) -> list[Path]:
    """The hour folders holding event files whose hour overlaps ``[since_ms, until_ms)``."""
    first = None if since_ms is None else since_ms // _HOUR_MS * _HOUR_MS
    found = []
    for day in sorted(lake_dir.glob("date=[0-9]*")):
        day_ms = _epoch_ms(day.name.removeprefix("date="), "00")
        if day_ms is None or (first is not None and day_ms + 24 * _HOUR_MS <= first):
            continue
        if until_ms is not None and day_ms >= until_ms:
            continue
        for hour in sorted(day.glob("hour=[0-9]*")):
            start = _epoch_ms(day.name.removeprefix("date="), hour.name.removeprefix("hour="))
            if start is None or (first is not None and start < first):
                continue
            if (until_ms is None or start < until_ms) and any(hour.glob(f"*{SUFFIX}")):
                found.append(hour)
    return found


def counts_by_type_per_hour(con: duckdb.DuckDBPyConnection) -> list[tuple[datetime, str, int]]:
    """(hour, type, events) for every hour and type in the lake, in that order."""
    return [
        (hour, kind, int(n)) for hour, kind, n in con.execute(COUNTS_BY_TYPE_PER_HOUR).fetchall()
    ]


def _epoch_ms(day: str, hour: str) -> int | None:
    """The start of a ``date=YYYY-MM-DD/hour=HH`` folder in epoch ms (None: not one)."""
    try:
        moment = datetime.strptime(f"{day} {hour}", "%Y-%m-%d %H").replace(tzinfo=UTC)
    except ValueError:
        return None
    return int(moment.timestamp()) * 1000


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
