"""One typed settings object for every process, read once from the environment (prefix FD_).

Defaults point at the local stack on loopback. A deployment (docker-compose) sets the
URLs directly, e.g. FD_KAFKA_BOOTSTRAP=kafka:9092.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import model_validator
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

    @model_validator(mode="after")
    def _derive_urls(self) -> Settings:
        if not self.kafka_bootstrap:
            self.kafka_bootstrap = f"127.0.0.1:{self.kafka_port}"
        if not self.mongo_url:
            self.mongo_url = f"mongodb://127.0.0.1:{self.mongo_port}/"
        if not self.redis_url:
            self.redis_url = f"redis://127.0.0.1:{self.redis_port}/0"
        return self
