"""``python -m bff.driver [--roles api,listener,trigger] [--port 8003]``."""

from bff.driver.spec import SPEC
from bff.kit.entry import run

raise SystemExit(run(SPEC))
