"""The event lake: every event on the hub, kept forever as gzip JSON Lines by date and hour.

``LakeWriter`` stores the hub's events; ``read_lake`` replays them deduped by id;
``connect`` opens DuckDB with an ``events`` view for SQL over the lake. Layout, line
format and guarantees: docs/lake.md.
"""

from listeners.lake.query import connect, counts_by_type_per_hour
from listeners.lake.reader import count_lines, read_lake
from listeners.lake.writer import LakeWriter

__all__ = ["LakeWriter", "connect", "count_lines", "counts_by_type_per_hour", "read_lake"]
