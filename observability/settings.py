"""The observability settings of a process, read once from the environment (``FD_*``).

Read here rather than in ``adapters.settings``: logging is set up before anything else,
and the event envelope reads the story without the process's settings at hand.
"""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ObservabilitySettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FD_", extra="ignore")

    #: ``text``: ``<time> <level> <logger> <message> correlation=<id> trace=<id>``;
    #: ``json``: one JSON object a line (``ts``, ``level``, ``logger``, ``message``,
    #: ``correlation``, ``trace``, ``exc``)
    log_format: Literal["text", "json"] = "text"
    #: one INFO line per event a listener applies and per live push an API delivers;
    #: commands are always logged
    log_events: bool = True
    #: a process without HTTP (listener, trigger, lake writer) serves ``/metrics`` on
    #: 127.0.0.1 at this port; unset: no metrics server
    metrics_port: int | None = Field(default=None, ge=1, le=65535)


@cache
def observability_settings() -> ObservabilitySettings:
    """The process's settings (read on first use)."""
    return ObservabilitySettings()
