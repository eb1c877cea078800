"""Offline checks of the distributed deployment: docker-compose.yml, Dockerfile, deploy/.

No Docker engine is needed: the compose file is validated against the Compose
Specification's JSON schema (check-jsonschema's vendored copy) and its structure is
checked here, as check-jsonschema itself reads it (ruamel.yaml, anchors and merge keys
resolved).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

BFFS = ("customer", "restaurant", "driver")
ROLES = ("api", "listener", "trigger")
API_HOST_PORTS = {"customer": 8001, "restaurant": 8002, "driver": 8003}
INFRA = ("kafka", "mongo", "redis")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = YAML(typ="safe", pure=True).load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    result = compose["services"]
    assert isinstance(result, dict)
    return result


@pytest.fixture(scope="module")
def app_services(services: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The services that run the project's own image (built from ./Dockerfile)."""
    apps = {name: svc for name, svc in services.items() if "build" in svc}
    assert apps, "no service builds the project's image"
    return apps


def _interpolate(value: str) -> str:
    """Resolve compose ${VAR-default} / ${VAR:-default} to the default, as in a clean env."""
    return re.sub(r"\$\{\w+(?::?-([^}]*))?\}", lambda m: m.group(1) or "", value)


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def _published(port: str | int | dict[str, Any]) -> tuple[str, str, str]:
    """(host ip, host port, container port) of one `ports` entry."""
    if isinstance(port, dict):
        return (
            str(port.get("host_ip", "")),
            _interpolate(str(port.get("published", ""))),
            str(port["target"]),
        )
    parts = _interpolate(str(port)).split("/")[0].split(":")
    parts = [""] * (3 - len(parts)) + parts
    host_ip, host_port, container_port = parts
    return host_ip, host_port, container_port


def test_compose_file_matches_the_compose_spec() -> None:
    cli = Path(sys.executable).parent / "check-jsonschema"
    assert cli.exists(), f"check-jsonschema not found next to {sys.executable}"
    proc = subprocess.run(
        [str(cli), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, f"check-jsonschema failed:\n{proc.stdout}\n{proc.stderr}"


def test_every_bff_has_api_listener_and_trigger(services: dict[str, dict[str, Any]]) -> None:
    for bff in BFFS:
        for role in ROLES:
            name = f"{bff}-{role}"
            assert name in services, f"missing service {name}"
            assert services[name]["command"] == ["python", "-m", f"bff.{bff}", "--roles", role]


def test_apis_listen_on_8000_and_have_a_healthcheck(services: dict[str, dict[str, Any]]) -> None:
    for bff, host_port in API_HOST_PORTS.items():
        api = services[f"{bff}-api"]
        env = _environment(api)
        assert env["FD_BIND_HOST"] == "0.0.0.0"
        assert env["FD_HTTP_PORT"] == "8000"
        published = [_published(port) for port in api["ports"]]
        assert published == [("127.0.0.1", str(host_port), "8000")]
        probe = " ".join(api["healthcheck"]["test"])
        assert "urllib" in probe
        assert "127.0.0.1:8000/healthz" in probe


def test_lake_listener_writes_to_a_named_volume(
    compose: dict[str, Any], services: dict[str, dict[str, Any]]
) -> None:
    lake = services["lake"]
    assert lake["command"] == ["python", "-m", "listeners.lake"]
    assert _environment(lake)["FD_LAKE_DIR"] == "/data/lake"
    assert "lake:/data/lake" in lake["volumes"]
    for volume in ("lake", "kafka-data", "mongo-data"):
        assert volume in compose["volumes"], f"named volume {volume} is not declared"


def test_every_published_port_binds_loopback(services: dict[str, dict[str, Any]]) -> None:
    seen = 0
    for name, service in services.items():
        for port in service.get("ports", []):
            host_ip, _, _ = _published(port)
            assert host_ip == "127.0.0.1", f"{name} publishes {port!r} beyond loopback"
            seen += 1
    assert seen == len(API_HOST_PORTS)


def test_infrastructure_images_are_pinned_and_healthchecked(
    services: dict[str, dict[str, Any]],
) -> None:
    for name in INFRA:
        service = services[name]
        image = service["image"]
        assert ":" in image and not image.endswith(":latest"), f"{name} image not pinned"
        assert "test" in service["healthcheck"], f"{name} has no healthcheck"
    assert services["kafka"]["image"].startswith("apache/kafka:4.")


def test_kafka_is_a_small_single_kraft_node(services: dict[str, dict[str, Any]]) -> None:
    env = _environment(services["kafka"])
    heap = re.search(r"-Xmx(\d+)([mMgG])", env["KAFKA_HEAP_OPTS"])
    assert heap, "KAFKA_HEAP_OPTS sets no -Xmx"
    heap_mb = int(heap.group(1)) * (1024 if heap.group(2).lower() == "g" else 1)
    assert heap_mb <= 512
    assert int(env["KAFKA_LOG_CLEANER_DEDUPE_BUFFER_SIZE"]) < 128 * 1024 * 1024
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    for key in (
        "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
        "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR",
        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR",
        "KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR",
    ):
        assert env[key] == "1", key


def test_kafka_init_creates_the_topic_the_apps_use(
    services: dict[str, dict[str, Any]], app_services: dict[str, dict[str, Any]]
) -> None:
    init = services["kafka-init"]
    command = [str(arg) for arg in init["command"]]
    assert command[0] == "/opt/kafka/bin/kafka-topics.sh"
    assert "--create" in command and "--if-not-exists" in command
    topic = command[command.index("--topic") + 1]
    partitions = command[command.index("--partitions") + 1]
    assert (topic, partitions) == ("events", "12")
    assert init["depends_on"]["kafka"]["condition"] == "service_healthy"
    for name, service in app_services.items():
        env = _environment(service)
        assert env["FD_KAFKA_TOPIC"] == topic, name
        assert env["FD_KAFKA_PARTITIONS"] == partitions, name


def test_every_app_service_waits_for_healthy_infrastructure(
    app_services: dict[str, dict[str, Any]],
) -> None:
    expected = {f"{bff}-{role}" for bff in BFFS for role in ROLES} | {"lake"}
    assert set(app_services) == expected
    images = {service["image"] for service in app_services.values()}
    assert len(images) == 1, f"app services should share one image, got {images}"
    for name, service in app_services.items():
        depends_on = service["depends_on"]
        for infra in INFRA:
            assert depends_on[infra]["condition"] == "service_healthy", f"{name} -> {infra}"
        assert depends_on["kafka-init"]["condition"] == "service_completed_successfully"
        env = _environment(service)
        assert env["FD_KAFKA_BOOTSTRAP"] == "kafka:9092"
        assert env["FD_MONGO_URL"] == "mongodb://mongo:27017/?replicaSet=rs0"
        assert env["FD_REDIS_URL"] == "redis://redis:6379/0"


def test_mongo_is_a_replica_set_initiated_by_its_healthcheck(
    services: dict[str, dict[str, Any]],
) -> None:
    mongo = services["mongo"]
    assert mongo["command"][:2] == ["--replSet", "rs0"]
    assert "--bind_ip_all" in mongo["command"]
    script = next(v for v in mongo["volumes"] if v.endswith(".js:ro")).split(":")[1]
    assert script in mongo["healthcheck"]["test"]


def test_bind_mounts_exist(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0] if isinstance(volume, str) else volume["source"]
            if source.startswith((".", "/")):
                assert (ROOT / source).exists(), f"{name} mounts missing {source}"


def test_redis_keeps_nothing_on_disk(services: dict[str, dict[str, Any]]) -> None:
    command = services["redis"]["command"]
    assert command[command.index("--save") + 1] == ""
    assert command[command.index("--appendonly") + 1] == "no"


def test_dockerfile_build_context_exists() -> None:
    assert DOCKERFILE.is_file()
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    ignored = DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    for name in ("pyproject.toml", "uv.lock"):
        assert (ROOT / name).is_file(), f"{name} is missing from the build context"
        assert name not in ignored
    assert "COPY pyproject.toml uv.lock ./" in dockerfile
    assert "uv sync --frozen --no-dev" in dockerfile
    assert "pip install uv==0.13.8" in dockerfile

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for package in pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"]:
        assert (ROOT / package / "__init__.py").is_file(), package
        assert f"COPY {package} ./{package}" in dockerfile, f"{package} is not copied"
        assert not any(line.strip("/") == package for line in ignored), package

    for bff in BFFS:
        assert f"/src/frontends/{bff}/dist /app/frontends/{bff}/dist" in dockerfile


def test_dockerfile_runtime_is_slim_and_unprivileged() -> None:
    stages = re.findall(r"^FROM (\S+)(?: AS (\S+))?", DOCKERFILE.read_text(), re.MULTILINE)
    assert [name for _, name in stages] == ["frontends", "builder", "runtime"]
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile
    assert "ARG NODE_IMAGE=node:20" in dockerfile
    users = re.findall(r"^USER (\S+)", dockerfile, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("0", "root")
