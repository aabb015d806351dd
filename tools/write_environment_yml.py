"""Write environment.yml from requirements.lock, so that conda users get the same pins.

Run by `make lock`; tests/test_environment.py fails when the two files disagree.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PIN = re.compile(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)")


def lock_pins(lock: Path) -> dict[str, str]:
    """Return {package: version} for every pin of a pip-compile / uv lock file."""
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            pins[match[1].lower()] = match[2]
    return pins


def render(pins: dict[str, str], python: str) -> str:
    """Return the text of environment.yml for these pins."""
    lines = [
        "# Generated from requirements.lock by tools/write_environment_yml.py (`make lock`).",
        "# Do not edit: the pins must stay those of the lock (tests/test_environment.py).",
        "name: analysis",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={python}",
        "  - pip",
        "  - pip:",
        *(f"      - {name}=={version}" for name, version in sorted(pins.items())),
        "      - -e .",
    ]
    return "\n".join(lines) + "\n"


def main(root: Path) -> None:
    """Regenerate root/environment.yml from root/requirements.lock."""
    pins = lock_pins(root / "requirements.lock")
    (root / "environment.yml").write_text(render(pins, "3.11"), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd())
