"""Render a report in headless Chromium and save the top of the page as a PNG.

Usage::

    .venv/bin/python tools/screenshot.py reports/2024/11.html docs/report-ile-de-france.png

The README's picture is made this way (see :mod:`analysis.browser`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analysis.browser import screenshot


def main(argv: list[str] | None = None) -> int:
    """Parse the arguments and take the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--height", type=int, default=2200)
    args = parser.parse_args(argv)
    path = screenshot(args.page, args.target, height=args.height, colours=128)
    print(f"{path} ({path.stat().st_size / 1000:.0f} kB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
