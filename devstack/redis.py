"""Redis from Debian's ``redis-server``, on loopback, without persistence.

Ready when ``PING`` answers.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence

import redis as redis_client

from devstack.errors import StackError
from devstack.service import Service


class Redis(Service):
    name = "redis"
    start_timeout = 20.0

    @property
    def ports(self) -> Sequence[int]:
        return (self.settings.redis_port,)

    def install(self) -> None:
        if shutil.which("redis-server") is None:
            raise StackError(
                "redis: `redis-server` is not installed; run scripts/bootstrap "
                "(it installs Debian's redis-server package)"
            )

    def argv(self) -> Sequence[str]:
        return [
            "redis-server",
            "--bind", "127.0.0.1",
            "--port", str(self.settings.redis_port),
            "--save", "",
            "--appendonly", "no",
            "--protected-mode", "yes",
            "--dir", str(self.data_dir),
        ]  # fmt: skip

    def answers(self) -> bool:
        client = redis_client.Redis.from_url(self.settings.redis_url, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
