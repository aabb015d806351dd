"""The batch at its edges: Ctrl-C, bad output folders, dead runs' leftovers, concurrent
status writes, kernel noise, silly options and wrong hints.

The interrupt test sends SIGINT to the process group of a real ``python -m analysis
build`` (what Ctrl-C in a terminal does) once its first report is published, and then
reads the folder, ``status.json``, the index and what the command printed.
"""

from __future__ import annotations

import asyncio
import errno
import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from jupyter_client.manager import AsyncKernelManager

from analysis import OutputError, ParameterError, index
from analysis import build as batch
from analysis._files import atomic_write_text, pid_alive, remove_dead_leftovers
from analysis._kernel import ReportKernelManager, remove_dead_connection_files
from analysis.cli import main
from analysis.parameters import check_output

PROJECT = Path(__file__).resolve().parents[1]


def dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    child = subprocess.Popen(["true"])
    child.wait()
    assert not pid_alive(child.pid)
    return child.pid


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


# -- Ctrl-C ------------------------------------------------------------------------------
@pytest.mark.realdata
def test_ctrl_c_stops_fast_publishes_nothing_more_and_leaves_a_consistent_folder(tmp_path, raw_dir):
    out, runtime = tmp_path / "reports", tmp_path / "runtime"
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime)}
    command = [sys.executable, "-m", "analysis", "build", "--region", "11", "04", "24",
               "--year", "2024", "--jobs", "2", "--out", str(out),
               "--data-dir", str(raw_dir)]  # fmt: skip
    build = subprocess.Popen(
        command, cwd=PROJECT, env=env, start_new_session=True, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    connection_files: set[str] = set()
    deadline = time.monotonic() + 240
    while not list(out.glob("2024/*.html")):
        assert build.poll() is None, build.communicate()
        assert time.monotonic() < deadline, "no report was published in 240 s"
        connection_files |= {p.name for p in runtime.glob("kernel-analysis-*.json")}
        time.sleep(0.05)
    # Let the worker that published start its next report: its second kernel is the case
    # where nbclient had reset the worker's signal handlers.
    started = time.monotonic()
    while time.monotonic() - started < 3:
        connection_files |= {p.name for p in runtime.glob("kernel-analysis-*.json")}
        time.sleep(0.05)
    interrupted = time.monotonic()
    os.killpg(build.pid, signal.SIGINT)  # what Ctrl-C in a terminal sends
    stdout, stderr = build.communicate(timeout=30)
    took = time.monotonic() - interrupted

    assert build.returncode == 130
    assert took < 5, f"the build took {took:.1f} s to stop"
    assert len(stderr.splitlines()) == 1, stderr
    assert stderr.startswith("interrupted: ")
    assert re.search(r"\d of 3 report\(s\) were finished before the interrupt", stderr)
    starts = ("Planning ", "3 of 3 report(s) to build", "  [")
    assert all(line.startswith(starts) for line in stdout.splitlines() if line), stdout

    on_disk = files_under(out)
    time.sleep(2)  # nothing is published after the interrupt
    assert files_under(out) == on_disk
    status = json.loads((out / "status.json").read_text(encoding="utf-8"))
    published = {f"{e['year']}/{e['region']}" for e in status.values() if e["ok"]}
    assert published, status
    expected = {f"{key}.{ext}" for key in published for ext in ("html", "json", "xlsx")}
    # A report published before the interrupt may have its PDF already, recorded as such.
    printed = {f"{e['year']}/{e['region']}.pdf" for e in status.values() if e.get("pdf_sha256")}
    assert {p for p in on_disk if p.endswith(".pdf")} == printed
    expected |= printed
    tables = {path for path in on_disk if "-csv/" in path}
    assert {path.split("-csv/")[0] for path in tables} == published
    site = {"status.json", "index.html", "methode.html", ".status.lock"}
    assert on_disk - tables == expected | site
    page = (out / "index.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="(\d{4}/\w+)\.html"', page)) == published

    # the kernels are gone, and so are their connection files
    assert connection_files
    assert sorted(p.name for p in runtime.glob("kernel-analysis-*.json")) == []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().decode(errors="replace")
        except OSError:
            continue
        assert not any(name in text for name in connection_files), text


# -- bad --out ----------------------------------------------------------------------------
@pytest.mark.realdata
@pytest.mark.parametrize("case", ["file", "parent-is-file", "proc", "read-only"])
def test_bad_out_is_refused_before_any_kernel(case, tmp_path, raw_dir, capsys, monkeypatch):
    a_file = tmp_path / "a-file"
    a_file.write_text("keep me", encoding="utf-8")
    out, code = {
        "file": (a_file, 2),
        "parent-is-file": (a_file / "reports", 2),
        "proc": (Path("/proc/forbidden"), 8),
        "read-only": (tmp_path / "ro" / "reports", 8),
    }[case]
    if case == "read-only":
        (tmp_path / "ro").mkdir()

        def read_only(*args, **kwargs):
            raise OSError(errno.EROFS, "Read-only file system")

        monkeypatch.setattr(tempfile, "mkstemp", read_only)
    before = files_under(tmp_path)
    assert main(["build", "--region", "11", "--out", str(out), "--data-dir", str(raw_dir)]) == code
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "Traceback" not in err
    assert str(out) in err
    assert files_under(tmp_path) == before
    assert a_file.read_text(encoding="utf-8") == "keep me"
    if case == "read-only":
        assert "read-only" in err


def test_check_output_accepts_a_new_folder_and_writes_nothing(tmp_path):
    assert check_output(tmp_path / "new" / "reports") == tmp_path / "new" / "reports"
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ParameterError):
        check_output(Path(__file__))
    with pytest.raises(OutputError):
        check_output("/proc/forbidden/reports")


# -- --jobs ---------------------------------------------------------------------------
@pytest.mark.parametrize("jobs", ["0", "-1", "two"])
def test_jobs_below_one_is_refused(jobs, capsys):
    with pytest.raises(SystemExit) as excinfo:
        main(["build", "--jobs", jobs])
    assert excinfo.value.code == 2
    assert "--jobs: must be a whole number of 1 or more" in capsys.readouterr().err


# -- leftovers of dead runs -------------------------------------------------------------
def test_temporary_names_carry_the_writer_pid(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    atomic_write_text(tmp_path / "11.html", "x")
    assert re.fullmatch(rf"\.11\.html\.{os.getpid()}\.\w+\.tmp", seen[0])


def test_leftovers_of_dead_processes_are_removed_and_live_ones_kept(tmp_path):
    dead, alive = dead_pid(), os.getpid()
    year = tmp_path / "2024"
    year.mkdir()
    names = {
        f"2024/.11.executing.{dead}.ipynb": False,
        f"2024/.11.html.{dead}.k2j4_x9a.tmp": False,
        f".status.json.{dead}.abcdefgh.tmp": False,
        f"2024/.04.executing.{alive}.ipynb": True,
        f"2024/.04.html.{alive}.abcdefgh.tmp": True,
        "2024/11.html": True,
        "2024/11.failed.ipynb": True,
        ".status.lock": True,
        ".hidden-by-the-user.txt": True,
    }
    for name in names:
        (tmp_path / name).write_text("x", encoding="utf-8")
    removed = remove_dead_leftovers([tmp_path], depth=1)
    assert {p.relative_to(tmp_path).as_posix() for p in removed} == {
        name for name, kept in names.items() if not kept
    }
    assert files_under(tmp_path) == {name for name, kept in names.items() if kept}


def test_connection_files_of_dead_workers_are_removed(tmp_path):
    dead = dead_pid()
    for name in (
        f"kernel-analysis-{dead}-0a1b2c3d.json",
        f"kernel-analysis-{os.getpid()}-0a1b2c3d.json",
        "kernel-1234-abcd.json",  # somebody else's kernel: never ours to remove
    ):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    removed = remove_dead_connection_files(tmp_path)
    assert [p.name for p in removed] == [f"kernel-analysis-{dead}-0a1b2c3d.json"]
    assert len(list(tmp_path.iterdir())) == 2


@pytest.mark.realdata
def test_build_starts_by_removing_what_a_killed_build_left(tmp_path, raw_dir, monkeypatch):
    out = tmp_path / "reports"
    runtime = tmp_path / "runtime"
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(runtime))
    dead = dead_pid()
    runtime.mkdir()
    (out / "2024").mkdir(parents=True)
    leftovers = [
        out / "2024" / f".11.executing.{dead}.ipynb",
        out / "2024" / f".11.html.{dead}.abcdefgh.tmp",
        runtime / f"kernel-analysis-{dead}-0a1b2c3d.json",
    ]
    for path in leftovers:
        path.write_text("{}", encoding="utf-8")
    jobs = batch.plan(["11"], [2024], out=out, data_dir=raw_dir)
    assert sorted(batch.clean_leftovers(jobs)) == sorted(leftovers)
    assert not any(path.exists() for path in leftovers)


# -- status.json written by many processes at once ------------------------------------
def _record_one(out: str, code: str, barrier) -> None:
    job = batch.Job(code, 2024, f"Region {code}", Path(out), Path(out))
    barrier.wait()
    index.record(out, [batch.Outcome(job, True, 1.0)], run="concurrent")


def test_concurrent_records_never_lose_an_entry(tmp_path):
    context = multiprocessing.get_context("spawn")
    codes = [f"{n:02d}" for n in range(8)]
    barrier = context.Barrier(len(codes))
    processes = [
        context.Process(target=_record_one, args=(str(tmp_path), code, barrier)) for code in codes
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    status = index.read_status(tmp_path)
    assert sorted(status) == [f"2024/{code}" for code in codes]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# -- kernel noise ---------------------------------------------------------------------
def _signals_sent_on_shutdown(manager_class) -> list[int]:
    async def run() -> list[int]:
        manager = manager_class(kernel_name="python3")
        await manager.start_kernel(extra_arguments=["--IPKernelApp.log_level=ERROR"])
        sent: list[int] = []
        provisioner = manager.provisioner
        real_send = provisioner.send_signal

        async def spy(signum):
            sent.append(signum)
            await real_send(signum)

        provisioner.send_signal = spy
        await manager.shutdown_kernel()
        return sent

    return asyncio.run(run())


def test_a_clean_shutdown_sends_no_interrupt_to_the_idle_kernel(tmp_path, monkeypatch):
    """jupyter_client interrupts a kernel before shutting it down; ours does not.

    That SIGINT landing in an idle kernel is what printed ``[IPKernelApp] ERROR |
    KeyboardInterrupt caught in kernel.`` in about a third of the builds.
    """
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    assert signal.SIGINT in _signals_sent_on_shutdown(AsyncKernelManager)
    assert signal.SIGINT not in _signals_sent_on_shutdown(ReportKernelManager)
    assert list(tmp_path.glob("kernel-analysis-*.json")) == []


# -- hints that fit the failure ---------------------------------------------------------
@pytest.mark.realdata
def test_a_failure_without_notebook_does_not_send_the_reader_to_one(tmp_path, raw_dir, capsys):
    out = tmp_path / "reports"
    (out / "2024" / "11.html").mkdir(parents=True)  # a folder in the way of the report
    code = main(["build", "--region", "11", "--year", "2024", "--jobs", "1",
                 "--out", str(out), "--data-dir", str(raw_dir)])  # fmt: skip
    assert code == 1
    captured = capsys.readouterr()
    assert "IsADirectoryError" in captured.out
    assert "1 of 1 report(s) failed" in captured.err
    assert ".failed.ipynb" not in captured.err + captured.out
    assert not (out / "2024" / "11.failed.ipynb").exists()
    status = index.read_status(out)
    assert status["2024/11"]["ok"] is False
