"""``python -m bff.customer [--roles api,listener,trigger] [--port 8001]``."""

from bff.customer.spec import SPEC
from bff.kit.entry import run

raise SystemExit(run(SPEC))
