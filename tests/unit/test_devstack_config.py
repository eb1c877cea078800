"""What the stack scripts write and check, without starting anything."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from adapters.settings import Settings
from devstack import kafka
from devstack import redis as redis_module
from devstack.errors import StackError
from devstack.ferretdb import FerretDB
from devstack.kafka import Kafka


def _props(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line)


def test_kafka_runs_a_single_kraft_node_on_loopback_with_the_configured_ports(
    tmp_path: Path,
) -> None:
    settings = Settings(state_dir=tmp_path, kafka_port=19092, kafka_controller_port=19093)
    props = _props(Kafka(settings).properties())
    assert props["process.roles"] == "broker,controller"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093"
    assert props["controller.quorum.bootstrap.servers"] == "127.0.0.1:19093"
    assert props["log.dirs"].startswith(str(tmp_path.resolve()))
    for internal in ("offsets.topic", "transaction.state.log", "share.coordinator.state.topic"):
        assert props[f"{internal}.replication.factor"] == "1"
    assert int(props["log.cleaner.dedupe.buffer.size"]) < 128 * 1024 * 1024


def test_kafka_heap_is_capped() -> None:
    argv = Kafka(Settings()).argv()
    assert "-Xmx512m" in argv and argv[-2] == "kafka.Kafka"


def test_ferretdb_uses_sqlite_on_loopback_with_telemetry_off(tmp_path: Path) -> None:
    ferret = FerretDB(Settings(state_dir=tmp_path, mongo_port=37017))
    assert "--handler=sqlite" in ferret.argv()
    assert "--listen-addr=127.0.0.1:37017" in ferret.argv()
    assert "--telemetry=disable" in ferret.argv()
    assert ferret.env()["FERRETDB_TELEMETRY"] == "disable"
    assert ferret.env()["FERRETDB_SQLITE_URL"].startswith(f"file:{tmp_path.resolve()}")


def test_a_missing_redis_server_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redis_module.shutil, "which", lambda _: None)
    with pytest.raises(StackError, match="redis-server"):
        redis_module.Redis(Settings()).install()


def test_a_cluster_id_starting_with_a_dash_still_formats_the_storage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[str]] = []

    def fake_run(args: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        seen.append(args)
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(kafka, "new_cluster_id", lambda: "-leadingDashId0123456")
    monkeypatch.setattr(kafka.subprocess, "run", fake_run)
    Kafka(Settings(state_dir=tmp_path)).prepare()
    assert "--cluster-id=-leadingDashId0123456" in seen[0]
