"""One typed settings object for every process, read once from the environment (prefix FD_).

Defaults point at the local stack on loopback. A deployment (docker-compose) sets the
URLs directly, e.g. FD_KAFKA_BOOTSTRAP=kafka:9092.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FD_", extra="ignore")

    #: where the local stack keeps data, logs and pid files (git-ignored)
    state_dir: Path = Path(".local/stack")
    #: ports of the local stack; all services bind to 127.0.0.1
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    mongo_port: int = 27017
    redis_port: int = 6379

    #: client URLs; derived from the ports above unless set
    kafka_bootstrap: str = ""
    mongo_url: str = ""
    redis_url: str = ""

    #: the event lake's folder (gzip JSON Lines by date/hour)
    lake_dir: Path = Path(".local/lake")

    kafka_topic: str = "events"
    kafka_partitions: int = 12
    region: str = "local"
    #: put in front of every service's database and consumer-group name (``database``,
    #: ``group``): lets a whole system run on a stack that holds another one (the
    #: whole-system tests), as ``kafka_topic`` separates the hub
    prefix: str = ""

    #: where a BFF's HTTP server listens (``python -m bff.<name> --port`` overrides the port;
    #: unset, each BFF uses its own default port)
    bind_host: str = "127.0.0.1"
    http_port: int | None = None

    #: how BFFs verify bearer tokens: ``local`` signs and checks HS256 tokens with
    #: ``auth_secret`` and enables the dev sign-in page; ``issuer`` verifies tokens of an
    #: external identity provider with ``auth_public_key`` (PEM) or ``auth_jwks_url``
    auth_mode: Literal["local", "issuer"] = "local"
    auth_secret: str = "food-delivery-local-development-secret-not-for-production"
    auth_issuer: str = "food-delivery-local"
    auth_audience: str = "food-delivery"
    auth_public_key: str = ""
    auth_jwks_url: str = ""
    auth_algorithms: list[str] = ["RS256"]
    #: lifetime of the tokens the dev sign-in issues
    auth_token_ttl_seconds: int = 12 * 3600

    #: at most this many mutations per actor (each root field counts one) in each window
    #: of ``rate_limit_window_seconds``, counted in Redis across a BFF's API processes;
    #: over it a mutation is refused with RATE_LIMITED. 0 turns the limit off. The default
    #: (20 a second, sustained) is far above a person's pace and the simulator's busiest
    #: actor, a demo kitchen deciding and finishing every third order (about 7 a second at
    #: ``--rate 10``); the benchmarks raise it (docs/bff-kit.md, "Rate limits")
    rate_limit: int = Field(default=200, ge=0)
    rate_limit_window_seconds: float = Field(default=10.0, gt=0)

    def database(self, name: str) -> str:
        """The store database a service called ``name`` uses (``prefix`` + name)."""
        return f"{self.prefix}{name}"

    def group(self, name: str) -> str:
        """The Kafka consumer group called ``name`` (``prefix`` + name)."""
        return f"{self.prefix}{name}"

    @model_validator(mode="after")
    def _derive_urls(self) -> Settings:
        if not self.kafka_bootstrap:
            self.kafka_bootstrap = f"127.0.0.1:{self.kafka_port}"
        if not self.mongo_url:
            self.mongo_url = f"mongodb://127.0.0.1:{self.mongo_port}/"
        if not self.redis_url:
            self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        return self
