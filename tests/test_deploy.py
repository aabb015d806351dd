"""The scheduling files in deploy/ agree with the command line they run."""

from __future__ import annotations

import configparser
import re
import shlex
from pathlib import Path

import yaml

from analysis.cli import build_parser
from analysis.errors import NEW_DATA

DEPLOY = Path(__file__).resolve().parents[1] / "deploy"


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(DEPLOY / "systemd" / name, encoding="utf-8")
    return parser


def test_the_service_runs_updates_apply_and_counts_new_data_as_success():
    service = _unit("analysis-reports.service")
    command = shlex.split(service["Service"]["ExecStart"])
    assert command[1:3] == ["-m", "analysis"]
    assert build_parser().parse_args(command[3:]).apply
    assert service["Service"]["SuccessExitStatus"] == str(NEW_DATA)
    assert service["Service"]["Type"] == "oneshot"


def test_the_timer_is_installable():
    timer = _unit("analysis-reports.timer")
    assert timer["Timer"]["OnCalendar"]
    assert timer["Install"]["WantedBy"] == "timers.target"


def test_the_cron_line_and_pipelines_accept_exit_code_10_only_besides_0():
    cron = (DEPLOY / "crontab").read_text(encoding="utf-8")
    assert f"[ $rc -eq {NEW_DATA} ]" in cron and "updates --apply" in cron
    for name in ("gitlab-ci.yml", "github-reports.yml"):
        text = (DEPLOY / "ci" / name).read_text(encoding="utf-8")
        yaml.safe_load(text)  # valid YAML
        assert f"analysis updates --apply || [ $? -eq {NEW_DATA} ]" in text
        assert "schedule" in text
    github = yaml.safe_load((DEPLOY / "ci" / "github-reports.yml").read_text(encoding="utf-8"))
    assert re.fullmatch(r"[\d*/,-]+( [\d*/,-]+){4}", github[True]["schedule"][0]["cron"])
