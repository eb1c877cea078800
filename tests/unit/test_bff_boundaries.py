"""No BFF imports another BFF's code, and none calls another over the network: they share
only the kit (``bff.kit``), the event contracts, the adapters, the listener runtime and
the lake's analytics, and learn about each other through events on the hub."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BFFS = sorted(
    p.name for p in (ROOT / "bff").iterdir() if (p / "spec.py").is_file() and p.name != "kit"
)
#: what a BFF may import from this repository besides itself
SHARED = ("bff.kit", "events", "adapters", "listeners", "analytics")
#: another BFF's address: its default port, or its name as a host
OTHER_BFF_URL = re.compile(
    r"(?:127\.0\.0\.1|localhost)?:80\d\d\b|https?://(?:bff-)?(?:customer|restaurant|driver)\b"
)


def imports_of(path: Path) -> list[str]:
    found: list[str] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            found.append("." * node.level + (node.module or ""))
    return found


def test_there_are_three_bffs() -> None:
    assert BFFS == ["customer", "driver", "restaurant"]


def test_no_bff_imports_another_bffs_code() -> None:
    local_roots = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    wrong: list[str] = []
    for bff in BFFS:
        own = f"bff.{bff}"
        for path in sorted((ROOT / "bff" / bff).rglob("*.py")):
            for module in imports_of(path):
                if module.startswith("."):
                    wrong.append(f"{path.relative_to(ROOT)}: relative import {module}")
                    continue
                if module.split(".")[0] not in local_roots:
                    continue  # the standard library or a third-party package
                if module == own or module.startswith(own + "."):
                    continue
                if any(module == s or module.startswith(s + ".") for s in SHARED):
                    continue
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert wrong == []


def test_the_kit_and_the_shared_packages_import_no_bff() -> None:
    wrong: list[str] = []
    shared_dirs = [ROOT / "bff" / "kit", *(ROOT / name for name in SHARED[1:])]
    for folder in shared_dirs:
        for path in sorted(folder.rglob("*.py")):
            for module in imports_of(path):
                if any(module == f"bff.{b}" or module.startswith(f"bff.{b}.") for b in BFFS):
                    wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert wrong == []


def test_no_bff_calls_another_over_the_network() -> None:
    wrong: list[str] = []
    for bff in BFFS:
        for path in sorted((ROOT / "bff" / bff).rglob("*.py")):
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if OTHER_BFF_URL.search(line):
                    wrong.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
            for module in imports_of(path):
                if module.split(".")[0] in {"httpx", "requests", "urllib", "aiohttp"}:
                    wrong.append(f"{path.relative_to(ROOT)} imports the HTTP client {module}")
    assert wrong == []
