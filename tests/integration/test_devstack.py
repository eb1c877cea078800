"""The stack scripts themselves: start a service, see it answer, stop it, no orphans;
and a taken port is a clear error, not a hang."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from adapters.settings import Settings
from devstack import service
from devstack.errors import StackError
from devstack.process import port_bindable, port_open
from devstack.redis import Redis


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_service_starts_answers_and_stops_without_orphans(tmp_path: Path) -> None:
    port = _free_port()
    redis = Redis(Settings(state_dir=tmp_path, redis_port=port))
    lines: list[str] = []
    service.start(redis, lines.append)
    pid = redis.process.pid()
    try:
        assert pid is not None and redis.answers()
        service.start(redis, lines.append)  # idempotent: same process
        assert redis.process.pid() == pid
    finally:
        service.stop(redis, lines.append)
    assert redis.process.pid() is None
    assert not port_open(port)
    cmdline = Path(f"/proc/{pid}/cmdline")
    assert not cmdline.exists() or not cmdline.read_bytes()  # gone, or a reaped-later zombie
    assert any("ready" in line for line in lines)
    assert any("already running" in line for line in lines)


def test_a_taken_port_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        redis = Redis(Settings(state_dir=tmp_path, redis_port=port))
        with pytest.raises(StackError, match=f"port {port} .* taken"):
            service.start(redis, lambda _: None)
    assert redis.process.pid() is None


def test_a_port_a_client_connection_holds_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing listens on the port, but a client connection uses it as its own end (a
    port in the ephemeral range can be picked for any outgoing connection): the service
    could not bind it, so the start says so instead of starting a process that exits."""
    monkeypatch.setattr(service, "BIND_WAIT_SECONDS", 0.5)
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname()) as client:
            port = client.getsockname()[1]
            assert not port_open(port) and not port_bindable(port)
            redis = Redis(Settings(state_dir=tmp_path, redis_port=port))
            with pytest.raises(StackError, match=f"port {port} .* cannot be bound"):
                service.start(redis, lambda _: None)
    assert redis.process.pid() is None
