"""The public API, the geography constants and the environment files stay consistent."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest

import analysis as an

ROOT = Path(__file__).resolve().parents[1]


def test_all_lists_the_public_names_sorted():
    public = {
        name
        for name in dir(an)
        if (not name.startswith("_") or name == "__version__")
        and not isinstance(getattr(an, name), types.ModuleType)
    }
    # ruff's RUF022 keeps __all__ sorted (constants, classes, then functions).
    assert len(an.__all__) == len(set(an.__all__))
    assert set(an.__all__) == public


def test_version_matches_pyproject():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert an.__version__ == meta["project"]["version"]


@pytest.mark.parametrize(
    ("zone", "region"),
    [
        ("1101", "11"),
        ("8401", "84"),
        ("0101", "01"),
        ("0401", "04"),
        ("0053", "93"),
        ("0063", "75"),
        ("0054", "32"),
    ],
)
def test_zone_region(zone, region):
    assert an.zone_region(zone) == region


@pytest.mark.parametrize("zone", ["9901", "0099", "11", "0501"])
def test_zone_region_unknown(zone):
    with pytest.raises(KeyError, match="not a zone d'emploi 2020 code"):
        an.zone_region(zone)


def test_region_code_sets():
    assert len(an.REGION_CODES) == 18 and len(set(an.REGION_CODES)) == 18
    assert len(an.METROPOLITAN_REGIONS) == 13
    assert set(an.OVERSEAS_REGIONS) == {"01", "02", "03", "04", "06"}


def _lock_pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if m := re.match(r"^([A-Za-z0-9_.\-]+)==([^\s\\;]+)", line):
            pins[m[1].lower()] = m[2]
    return pins


def test_environment_yml_pins_equal_the_lock():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    conda = {
        m[1].lower(): m[2] for m in re.finditer(r"^\s+- ([A-Za-z0-9_.\-]+)==(\S+)$", text, re.M)
    }
    assert conda == _lock_pins()
    assert re.search(r"^\s+- python=3\.11$", text, re.M)


def test_every_direct_dependency_is_locked_with_hashes():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    deps = meta["project"]["dependencies"] + meta["project"]["optional-dependencies"]["dev"]
    pins = _lock_pins()
    for dep in deps:
        name = re.split(r"[<>=!~ \[]", dep, maxsplit=1)[0].lower()
        assert name in pins, f"{name} is not pinned in requirements.lock: run `make lock`"
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    unhashed = [
        line.split()[0]
        for i, line in enumerate(lines)
        if "==" in line
        and not line.startswith(("#", " "))
        and not (i + 1 < len(lines) and "--hash=sha256:" in lines[i + 1])
    ]
    assert unhashed == [], "pins without a hash: regenerate with `make lock`"


def test_catalogue_ids_unique_and_paths_distinct():
    ids = [s.id for s in an.CATALOGUE]
    assert len(ids) == len(set(ids))
    assert len({s.path for s in an.CATALOGUE}) == len(ids)
    for source in an.CATALOGUE:
        assert re.fullmatch(r"[0-9a-f]{64}", source.sha256)
        assert source.url.startswith("https://")
        assert "registry" not in source.url and "npmjs" not in source.url


def test_the_command_line_starts_without_the_heavy_libraries():
    """`import analysis` and the CLI load no pandas, matplotlib or pandera: a command that
    has nothing to compute (``--help``, and later a no-op build) answers at once."""
    code = (
        "import sys, analysis, analysis.cli; "
        "heavy = [m for m in ('pandas', 'matplotlib', 'pandera', 'seaborn') if m in sys.modules]; "
        "print(','.join(heavy))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_every_public_name_resolves():
    import analysis

    for name in analysis.__all__:
        assert getattr(analysis, name) is not None, name
    assert callable(analysis.fetch)  # the function, not the submodule of that name
