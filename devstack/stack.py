"""The local stack as a whole: its services in start order."""

from __future__ import annotations

from adapters.settings import Settings
from devstack.ferretdb import FerretDB
from devstack.kafka import Kafka
from devstack.redis import Redis
from devstack.service import Service


def services(settings: Settings) -> list[Service]:
    """Start order; stop in reverse."""
    return [Redis(settings), FerretDB(settings), Kafka(settings)]
