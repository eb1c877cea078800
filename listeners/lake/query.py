"""SQL over the lake with DuckDB: a view ``events`` of every stored event, once per id.

Columns: the envelope (``id``, ``type``, ``timestamp``, ``partitionKey``, ``tags``), each
snapshot as JSON (``order``, ``restaurant``, ``menu``, ``view``, ``driver``, ``position``,
``delivery``, ``fault``), ``_partition``, ``_offset``, ``ts`` (TIMESTAMP, UTC), ``hour``,
``file`` (the lake file's name) and ``event`` (the whole stored line as JSON). The view
lists the lake's files when queried; malformed records (``date=unknown``) are left out.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb

from listeners.lake.layout import EVENT_FILES

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
)
QUALIFY fields.id IS NULL
     OR row_number() OVER (PARTITION BY fields.id ORDER BY file, fields._partition,
                           fields._offset) = 1
"""

COUNTS_BY_TYPE_PER_HOUR = """
SELECT hour, type, count(*) AS events FROM events GROUP BY hour, type ORDER BY hour, type
"""


def connect(lake_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB connection with the view ``events`` over the lake.

    A lake without files yet gives an empty view; connect again once files exist."""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    pattern = _literal(f"{lake_dir.resolve()}/{EVENT_FILES}")
    source = (
        f"read_ndjson_objects({pattern}, filename = true, hive_partitioning = false)"
        if any(lake_dir.glob(EVENT_FILES))
        else _EMPTY
    )
    con.execute(_VIEW.format(shape=json.dumps(_FIELDS).replace("'", "''"), source=source))
    return con


def counts_by_type_per_hour(con: duckdb.DuckDBPyConnection) -> list[tuple[datetime, str, int]]:
    """(hour, type, events) for every hour and type in the lake, in that order."""
    return [
        (hour, kind, int(n)) for hour, kind, n in con.execute(COUNTS_BY_TYPE_PER_HOUR).fetchall()
    ]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
