"""Schema versioning: applied when a writer opens the warehouse, numbered, idempotent, kill-safe;
a reader refuses a warehouse newer than the code."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from loaders import load_file
from tests.test_loaders import DATA, seed
from warehouse.agreements import create_agreement
from warehouse.paths import side_path
from warehouse.schema import SCHEMA_VERSION, WarehouseTooNew
from warehouse.store import ops_transaction, read_connection, write_transaction

ROOT = Path(__file__).resolve().parent.parent


def version(path: Path) -> str:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]


def counts(path: Path) -> tuple:
    with read_connection(path) as con:
        return con.execute("SELECT (SELECT count(*) FROM measurements), (SELECT count(*) FROM agreements), "
                           "(SELECT count(*) FROM load_log), (SELECT sum(value) FROM measurements)").fetchone()


@pytest.fixture()
def legacy(tmp_path) -> tuple[Path, tuple]:
    """A version-1 warehouse (everything in one file), made from a current one with facts and an agreement."""
    wh = seed(tmp_path / "w.duckdb")
    assert load_file(DATA / "measurements_good.csv", "measurements", wh).exit_code == 0
    create_agreement(week="2014-W20", action="Revisar", responsible="Ana", due_date="2014-06-30",
                     created_by="prueba", indicator_code="I2", path=wh, role="analista")
    expected = counts(wh)
    con = duckdb.connect(str(wh))
    for name, db in (("measurements", "facts"), ("budget", "facts"), ("agreements", "ops")):
        con.execute(f"ATTACH IF NOT EXISTS '{side_path(wh, db)}' AS {db}")
        con.execute(f"DROP VIEW {name}")
        con.execute(f"CREATE TABLE {name} AS SELECT * FROM {db}.{name}")
    con.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    con.execute("DETACH facts")
    con.execute("DETACH ops")
    con.close()
    for db in ("facts", "ops"):
        side_path(wh, db).unlink()
    assert version(wh) == "1"
    return wh, expected


def test_a_new_warehouse_is_created_at_the_latest_version(tmp_path):
    wh = tmp_path / "w.duckdb"
    with write_transaction(wh):
        pass
    assert version(wh) == str(SCHEMA_VERSION)
    assert side_path(wh, "facts").exists() and side_path(wh, "ops").exists()


def test_a_version_1_warehouse_migrates_with_all_its_rows(legacy):
    wh, expected = legacy
    with read_connection(wh) as con:                 # readers work on the old layout until a writer opens it
        assert con.execute("SELECT count(*) FROM measurements").fetchone()[0] == expected[0]
    with write_transaction(wh):
        pass
    assert version(wh) == str(SCHEMA_VERSION)
    assert counts(wh) == expected
    with write_transaction(wh):                      # applying again changes nothing
        pass
    assert counts(wh) == expected


# a migration that stops after copying the measurements into the facts file until it is killed
KILLED_MIGRATION = """
import sys, time
import warehouse.migrations.m002_side_files as m
real = m.copy_table
def stuck(con, db, name):
    real(con, db, name)
    open(sys.argv[2], "w").close()
    time.sleep(600)
m.copy_table = stuck
from warehouse.store import write_transaction
with write_transaction(sys.argv[1]):
    pass
"""


def test_a_migration_killed_half_way_runs_again_from_the_start(legacy):
    wh, expected = legacy
    flag = wh.parent / "mid-migration"
    proc = subprocess.Popen([sys.executable, "-c", KILLED_MIGRATION, str(wh), str(flag)], cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 120
        while not flag.exists():
            assert proc.poll() is None and time.monotonic() < deadline, "the migration never started copying"
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert version(wh) == "1"                        # the live catalog never changed
    with duckdb.connect(str(side_path(wh, "facts")), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM measurements").fetchone()[0] == expected[0]   # half done
    with write_transaction(wh):
        pass
    assert version(wh) == str(SCHEMA_VERSION)
    assert counts(wh) == expected                    # no row twice, none lost


def test_a_warehouse_newer_than_the_code_is_refused_in_spanish(tmp_path):
    wh = seed(tmp_path / "w.duckdb")
    with write_transaction(wh) as con:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    with pytest.raises(WarehouseTooNew, match="más nueva que la que conoce este programa"):
        with read_connection(wh):
            pass
    before = wh.stat().st_mtime_ns
    with pytest.raises(WarehouseTooNew):
        with write_transaction(wh):
            pass
    assert wh.stat().st_mtime_ns == before and version(wh) == str(SCHEMA_VERSION + 1)
    assert side_path(wh, "ops").exists()
    with pytest.raises(WarehouseTooNew, match="más nueva que la que conoce este programa"):
        with ops_transaction(wh) as con:                     # an agreement save: the same refusal
            con.execute("SELECT 1")
