"""Leftovers of killed loads and builds are removed at the next load or server start."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loaders import load_file
from tests.test_loaders import DATA, count, seed
from warehouse.housekeeping import STALE_SECONDS, sweep_at_start

ROOT = Path(__file__).resolve().parent.parent

# a load that stops inside its write transaction (the private copy exists) until it is killed
KILLED_LOAD = """
import sys, time
import loaders.write as w
real = w.write_load
def stuck(con, *a, **k):
    out = real(con, *a, **k)
    open(sys.argv[2], "w").close()        # tell the test: mid-write, copy on disk
    time.sleep(600)
    return out
w.write_load = stuck
from loaders import load_file
load_file(sys.argv[3], "measurements", sys.argv[1])
"""


def leftovers(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


def test_killed_load_leaves_nothing_after_the_next_load(tmp_path):
    wh = seed(tmp_path / "w.duckdb")
    flag = tmp_path / "mid-write"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_LOAD, str(wh), str(flag), str(DATA / "measurements_good.csv")],
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the load never reached its write"
            time.sleep(0.1)
        assert any(n.endswith(".tmp") for n in leftovers(tmp_path, wh.name)), "the copy is on disk"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert count(wh, "measurements") == 0                               # the live file never changed
    dead_build = tmp_path / f".{wh.name}.999999-abc123.building"          # a build whose process is gone
    dead_build.write_bytes(b"x")
    upload = Path(tempfile.mkdtemp(prefix="spsu_carga_"))                 # an upload nobody finished
    old = time.time() - STALE_SECONDS - 60
    os.utime(upload, (old, old))
    res = load_file(DATA / "measurements_good.csv", "measurements", wh)
    assert res.exit_code == 0 and count(wh, "measurements") == 8
    assert leftovers(tmp_path, wh.name) == [] and not upload.exists()


def test_server_start_sweeps_when_no_load_runs(tmp_path):
    wh = seed(tmp_path / "w.duckdb")
    copy = tmp_path / f".{wh.name}.0123abcd.tmp"
    copy.write_bytes(b"x")
    live_build = tmp_path / f".{wh.name}.{os.getpid()}-abc123.building"    # this process: still building
    live_build.write_bytes(b"x")
    fresh = Path(tempfile.mkdtemp(prefix="spsu_carga_"))                  # an upload in progress
    try:
        sweep_at_start(wh)
        assert not copy.exists() and live_build.exists() and fresh.exists()
    finally:
        live_build.unlink()
        fresh.rmdir()
