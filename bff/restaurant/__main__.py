"""``python -m bff.restaurant [--roles api,listener,trigger] [--port 8002]``."""

from bff.kit.entry import run
from bff.restaurant.spec import SPEC

raise SystemExit(run(SPEC))
