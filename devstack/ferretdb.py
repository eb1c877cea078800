"""FerretDB v1.24.2, the MongoDB-compatible store, on its SQLite backend.

Install: ``go install github.com/FerretDB/FerretDB/cmd/ferretdb@v1.24.2`` into
``<cache>/ferretdb/v1.24.2`` (once). Runs with telemetry disabled, listening on loopback.
Ready when a MongoDB ``ping`` answers.
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


def binary() -> Path:
    return cache_dir() / "ferretdb" / FERRETDB_VERSION / "ferretdb"


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
            "FERRETDB_SQLITE_URL": f"file:{self.data_dir}/",
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
