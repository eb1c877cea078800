"""A service of the local stack, and the one start/stop procedure they all share.

Starting is idempotent: a service that already runs and answers is left alone. Otherwise
its binaries are installed (cached), it is prepared (configs, storage), started, and
polled until it really answers; if it dies or times out, the error names the reason and
shows the end of its log.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from adapters.settings import Settings
from devstack.errors import StackError
from devstack.process import ManagedProcess, port_bindable, port_open

Log = Callable[[str], None]
#: how long a start waits for a port that a client connection holds (see _wait_bindable)
BIND_WAIT_SECONDS = 15.0


class Service(ABC):
    name: str
    start_timeout: float = 60.0

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.state_dir = settings.state_dir.resolve()
        self.process = ManagedProcess(self.name, self.state_dir)

    @property
    def data_dir(self) -> Path:
        return self.state_dir / "data" / self.name

    @property
    @abstractmethod
    def ports(self) -> Sequence[int]:
        """Ports the service binds on 127.0.0.1."""

    @abstractmethod
    def install(self) -> None:
        """Make sure the binaries are in the cache (downloads/builds only the first time)."""

    @abstractmethod
    def argv(self) -> Sequence[str]:
        """The command line that runs the service in the foreground."""

    def env(self) -> Mapping[str, str]:
        return {}

    def prepare(self) -> None:
        """Write configs and initialise storage before a start."""
        return

    @abstractmethod
    def answers(self) -> bool:
        """One readiness probe: True when the service answers a real request."""

    def after_ready(self) -> None:
        """Work that needs the running service (e.g. creating a topic)."""
        return

    def describe(self) -> str:
        return f"127.0.0.1:{self.ports[0]}"


def start(service: Service, log: Log) -> None:
    if service.process.pid() is not None and service.answers():
        service.after_ready()
        log(f"{service.name}: already running on {service.describe()}")
        return
    service.process.stop()
    for port in service.ports:
        if port_open(port):
            raise StackError(
                f"{service.name}: port {port} on 127.0.0.1 is taken by another process; "
                f"stop it or choose other ports (FD_*_PORT, see README)"
            )
        _wait_bindable(service, port)
    service.install()
    service.data_dir.mkdir(parents=True, exist_ok=True)
    service.prepare()
    began = time.monotonic()
    service.process.start(service.argv(), env=service.env(), cwd=service.data_dir)
    log(f"{service.name}: starting (log: {service.process.log_file})")
    while not _probe(service):
        if service.process.exited():
            raise StackError(
                f"{service.name}: exited during start. Last lines of "
                f"{service.process.log_file}:\n{service.process.log_tail()}"
            )
        if time.monotonic() - began > service.start_timeout:
            tail = service.process.log_tail()
            service.process.stop()
            raise StackError(
                f"{service.name}: did not answer within {service.start_timeout:.0f}s. "
                f"Last lines of {service.process.log_file}:\n{tail}"
            )
        time.sleep(0.25)
    service.after_ready()
    log(f"{service.name}: ready on {service.describe()} in {time.monotonic() - began:.1f}s")


def _wait_bindable(service: Service, port: int) -> None:
    """Until the port can be bound: a client connection may hold it as its own end (a
    port in the ephemeral range), and the service would exit at start on a failed bind
    (the likely cause of a Kafka restart on port 39093 that exited with nothing in its
    log: the devstack broker's logging is a no-op). Such connections are mostly
    short-lived; after ``BIND_WAIT_SECONDS`` the start fails with the reason."""
    began = time.monotonic()
    while not port_bindable(port):
        if time.monotonic() - began > BIND_WAIT_SECONDS:
            raise StackError(
                f"{service.name}: port {port} on 127.0.0.1 cannot be bound: nothing listens "
                f"there, but a client connection uses it as its own end (a port in the "
                f"kernel's ephemeral range, /proc/sys/net/ipv4/ip_local_port_range, can be "
                f"picked for any outgoing connection); choose a port below 32768 (FD_*_PORT)"
            )
        time.sleep(0.25)


def stop(service: Service, log: Log) -> None:
    if service.process.stop():
        log(f"{service.name}: stopped")


def _probe(service: Service) -> bool:
    try:
        return service.answers()
    except Exception:  # any failure to answer just means "not yet"
        return False
