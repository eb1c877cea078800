"""Writing one lake file so that it is either complete on disk or absent."""

from __future__ import annotations

import gzip
import os
from collections.abc import Sequence
from pathlib import Path

from listeners.lake.layout import Hour, folder, new_file_name


def write_file(lake_dir: Path, hour: Hour, lines: Sequence[bytes]) -> Path:
    """Write lines gzipped under the hour's folder: temp name, fsync, rename, fsync folder."""
    target = folder(lake_dir, hour)
    created = not target.is_dir()
    target.mkdir(parents=True, exist_ok=True)
    name = new_file_name()
    temp = target / f".{name}.tmp"
    try:
        with open(temp, "wb") as out:
            out.write(gzip.compress(b"".join(lines), compresslevel=6, mtime=0))
            out.flush()
            os.fsync(out.fileno())
        os.rename(temp, target / name)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    for path in (target, target.parent, lake_dir) if created else (target,):
        _fsync_dir(path)
    return target / name


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
