"""Reports on a real Dask cluster: a scheduler and two workers started on 127.0.0.1.

The cluster build must give the same bytes as the local build; a failing report and a
worker killed mid-report fail those reports only, and the others are published.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from analysis import build, index
from analysis.config import EDITION_DATE_ENV

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).parent / "dask"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """``dask scheduler`` and ``dask worker --nworkers 2`` on 127.0.0.1; yields the address.

    A worker that dies while running a task makes that task fail at once
    (``allowed-failures`` 0), so that the test sees how the build reports it.
    """
    from distributed import Client

    folder = tmp_path_factory.mktemp("cluster")
    address = f"tcp://127.0.0.1:{free_port()}"
    env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"}
    common = {"cwd": folder, "env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    port = address.rsplit(":", 1)[1]
    scheduler = subprocess.Popen(
        [DASK, "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], **common
    )
    workers = subprocess.Popen(
        [DASK, "worker", address, "--nworkers", "2", "--nthreads", "1", "--no-dashboard"],
        **common,
    )
    try:
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for process in (workers, scheduler):
            process.terminate()
        for process in (workers, scheduler):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.suffix in (".html", ".json")
    }


@pytest.mark.realdata
def test_a_cluster_build_gives_the_local_bytes(cluster, tmp_path, raw_dir, monkeypatch):
    monkeypatch.setenv(EDITION_DATE_ENV, "2024-12-31")
    local, remote = tmp_path / "local", tmp_path / "remote"
    # Two levels: Corse-du-Sud's report, then Corse's, which links to it, and France.
    levels = {"levels": ["departement", "region"], "areas": ["2A"]}
    for out, scheduler in ((local, None), (remote, cluster)):
        jobs = build.plan(["94", "FR"], [2024], out=out, data_dir=raw_dir, **levels)
        outcomes = build.build(jobs, workers=2, scheduler=scheduler)
        assert [o.state for o in outcomes] == ["built"] * 3, [o.error for o in outcomes]
    assert "departements/2A.html" in digests(remote / "2024")
    assert digests(remote / "2024") == digests(local / "2024")
    status = index.read_status(remote)
    assert {entry["kernel"] for entry in status.values()} == {"warm"}  # the workers' zygotes
    # And the next build, local or not, finds them up to date.
    jobs = build.plan(["94", "FR"], [2024], out=remote, data_dir=raw_dir, **levels)
    assert [o.state for o in build.build(jobs, scheduler=cluster)] == ["up to date"] * 3


@pytest.mark.realdata
def test_a_failing_report_and_a_killed_worker_fail_alone(cluster, tmp_path, raw_dir, monkeypatch):
    from distributed import Client

    monkeypatch.setenv(EDITION_DATE_ENV, "2024-12-31")
    notebooks = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    shutil.copy(ROOT / "requirements.lock", tmp_path)
    overview = json.loads((notebooks / "france_overview.ipynb").read_text(encoding="utf-8"))
    overview["cells"].insert(2, {"cell_type": "code", "id": "boom", "metadata": {}, "outputs": [],
                                 "execution_count": None,
                                 "source": "raise RuntimeError('broken on purpose')"})  # fmt: skip
    (notebooks / "france_overview.ipynb").write_text(json.dumps(overview), encoding="utf-8")
    out = tmp_path / "reports"
    jobs = build.plan(["94", "04", "FR"], [2024], out=out, data_dir=raw_dir, notebooks=notebooks)

    outcomes: list = []
    thread = threading.Thread(
        target=lambda: outcomes.extend(build.build(jobs, scheduler=cluster)), daemon=True
    )
    thread.start()
    killed: set[str] = set()  # the regions whose worker was killed
    with Client(cluster, timeout="30s") as client:
        deadline = time.monotonic() + 60
        while not killed and time.monotonic() < deadline:
            for worker, keys in client.processing().items():
                regions = {str(key).split("-")[4] for key in keys}
                if "94" in regions:  # kill the worker that runs 94, mid-report
                    pid = client.run(os.getpid, workers=[worker])[worker]
                    time.sleep(1.0)
                    regions = {str(k).split("-")[4] for k in client.processing()[worker]}
                    os.kill(pid, signal.SIGKILL)
                    killed = regions
                    break
            time.sleep(0.1)
    thread.join(timeout=180)
    assert killed, "no worker took the report to kill"
    states = {o.job.region: o for o in outcomes}
    assert set(states) == {"94", "04", "FR"}  # every report has its outcome
    for region in killed:  # a worker's death fails the reports it held, and them only
        assert states[region].state == "failed"
        assert "the cluster could not build this report" in states[region].error
    if "04" not in killed:
        assert states["04"].state == "built"  # the others went on
    if "FR" not in killed:
        assert states["FR"].state == "failed"
        assert "RuntimeError: broken on purpose" in states["FR"].error
        assert (out / "2024" / "FR.failed.ipynb").is_file()
    status = index.read_status(out)
    assert {k: v["ok"] for k, v in status.items()} == {
        f"2024/{region}": outcome.ok for region, outcome in states.items()
    }
    on_disk = {p.name for p in (out / "2024").iterdir()}
    for region, outcome in states.items():
        assert (f"{region}.html" in on_disk) == outcome.ok


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path, raw_dir, capsys, monkeypatch):
    from analysis import cluster
    from analysis.cli import main

    monkeypatch.setattr(cluster, "CONNECT_TIMEOUT", "1s")
    address = f"tcp://127.0.0.1:{free_port()}"  # nothing listens there
    argv = ["build", "--region", "94", "--out", str(tmp_path / "out"), "--data-dir",
            str(raw_dir), "--scheduler", address]  # fmt: skip
    assert main(argv) == 9
    err = capsys.readouterr().err
    assert err.startswith(f"error: Cannot reach a Dask scheduler at {address}")
    assert len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out" / "2024").exists()
