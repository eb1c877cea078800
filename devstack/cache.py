"""Where downloads and builds are kept: a per-user cache outside the clone, keyed by version.

A fresh clone on the same machine (CI) reuses what an earlier clone fetched or built.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$FD_CACHE_DIR`` or ``~/.cache/food-delivery``."""
    configured = os.environ.get("FD_CACHE_DIR")
    if configured:
        return Path(configured).expanduser()
    return Path.home() / ".cache" / "food-delivery"
