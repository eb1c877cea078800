"""FerretDB v1.24.2, the MongoDB-compatible store, on its SQLite backend.

Install (once): the v1.24.2 module source from the Go module proxy, with one local patch
(``PATCHES``), built with ``go install`` into ``<cache>/ferretdb/v1.24.2-<patch level>``.
Runs with telemetry disabled, listening on loopback. Ready when a MongoDB ``ping`` answers.

Known limits of FerretDB v1 that the code works around (docs/decisions.md): only a filter
of exactly ``{_id: <string>}`` is looked up by index (anything else scans the collection);
an update reads the document and writes it back without a lock (concurrent writers need
the kit's document lock); an ``update`` command with 100 or more matching statements
deadlocks its connection pool (bulk writes go in chunks of 50).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from pymongo import MongoClient

from devstack.cache import cache_dir
from devstack.errors import StackError
from devstack.service import Service

FERRETDB_VERSION = "v1.24.2"
MODULE = "github.com/FerretDB/FerretDB"


#: bumped whenever the local patches below change, so a cached older build is not reused
PATCH_LEVEL = "fd1"

#: (file, old, new): FerretDB's SQLite backend looks documents up by ``_id`` with the
#: expression ``_ferretdb_sjson->'$._id'``, while its unique ``_id`` index is on
#: ``_ferretdb_sjson->"_id"``; SQLite matches index expressions by their text, so every
#: update and every ``{_id: x}`` lookup scanned the whole table (9 ms per update at 5,000
#: documents, growing with the collection). Using the index's own expression makes them
#: index lookups (0.5 ms). Same meaning: both read the top-level ``_id`` key.
PATCHES = [
    (
        "internal/backends/sqlite/metadata/metadata.go",
        "IDColumn = DefaultColumn + \"->'$._id'\"",
        'IDColumn = DefaultColumn + `->"_id"`',
    ),
]


def binary() -> Path:
    return cache_dir() / "ferretdb" / f"{FERRETDB_VERSION}-{PATCH_LEVEL}" / "ferretdb"


def install_binary() -> Path:
    """Build FerretDB with ``go install`` into the cache (no-op when present).

    ``go install module@version`` alone yields a binary that panics at start: the module
    zip lacks ``build/version/version.txt``, which FerretDB's release tooling generates.
    So the module source is fetched with ``go mod download``, copied into the cache,
    given that file, and installed from there with ``go install ./cmd/ferretdb``.
    """
    target = binary()
    if target.exists():
        return target
    if shutil.which("go") is None:
        raise StackError("ferretdb: needs the Go toolchain (`go` on PATH) to build FerretDB")
    print(f"ferretdb: building FerretDB {FERRETDB_VERSION} with go install "
          "(a few minutes, once) ...", flush=True)  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    download = subprocess.run(
        ["go", "mod", "download", "-json", f"{MODULE}@{FERRETDB_VERSION}"],
        capture_output=True, text=True, check=False, cwd=target.parent.parent,
    )  # fmt: skip
    if download.returncode != 0:
        raise StackError(f"ferretdb: go mod download failed:\n{download.stdout}{download.stderr}")
    module_dir = Path(json.loads(download.stdout)["Dir"])
    source = target.parent / "src"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(module_dir, source)
    for path in [source, *source.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)
    (source / "build" / "version" / "version.txt").write_text(FERRETDB_VERSION + "\n")
    for relative, old, new in PATCHES:
        path = source / relative
        text = path.read_text()
        if old not in text:
            raise StackError(f"ferretdb: patch does not apply to {relative}: {old!r} not found")
        path.write_text(text.replace(old, new))
    (source / "build" / "version" / "package.txt").write_text("food-delivery-devstack\n")
    env = {**os.environ, "GOBIN": str(target.parent), "GOFLAGS": "-buildvcs=false"}
    result = subprocess.run(["go", "install", "-v", "./cmd/ferretdb"], env=env, cwd=source,
                            check=False)  # fmt: skip
    shutil.rmtree(source, ignore_errors=True)
    if result.returncode != 0 or not target.exists():
        raise StackError(f"ferretdb: go install failed (exit {result.returncode})")
    print(f"ferretdb: built {target}", flush=True)
    return target


class FerretDB(Service):
    name = "ferretdb"

    @property
    def ports(self) -> Sequence[int]:
        return (self.settings.mongo_port,)

    def install(self) -> None:
        install_binary()

    def argv(self) -> Sequence[str]:
        return [
            str(binary()),
            "--handler=sqlite",
            f"--listen-addr=127.0.0.1:{self.settings.mongo_port}",
            "--debug-addr=-",
            "--telemetry=disable",
            "--log-level=ERROR",
        ]

    def env(self) -> Mapping[str, str]:
        return {
            "FERRETDB_SQLITE_URL": f"file:{self.data_dir}/?_pragma=synchronous(normal)",
            "FERRETDB_TELEMETRY": "disable",
            "FERRETDB_STATE_DIR": str(self.data_dir),
        }

    def answers(self) -> bool:
        client: MongoClient[dict[str, object]] = MongoClient(
            self.settings.mongo_url, serverSelectionTimeoutMS=1000, connectTimeoutMS=1000
        )
        try:
            return client.admin.command("ping").get("ok") == 1.0
        finally:
            client.close()
