"""The launcher's preload (ui/preload.py): a starting server opens the warehouse before its first page."""
from __future__ import annotations

import threading
import time

from ui import preload
from warehouse import query
from warehouse.housekeeping import prepare_at_start, sql_is_current
from warehouse.store import file_token, open_read, write_transaction


def test_preload_opens_the_warehouse_and_sweeps_before_the_first_page(sample_clone, monkeypatch):
    monkeypatch.setenv("SPSU_WAREHOUSE", str(sample_clone))
    monkeypatch.setattr(preload, "_done", threading.Event())
    monkeypatch.setattr(preload, "_started", False)
    monkeypatch.setattr(preload, "_ok", False)
    leftover = sample_clone.parent / f".{sample_clone.name}.0123abcd.tmp"   # a killed writer's copy
    leftover.write_bytes(b"x")
    query._catalogs.pop(str(sample_clone), None)
    query._readiness.pop(str(sample_clone), None)

    preload.start()
    assert preload.wait()

    held = query._catalogs[str(sample_clone)]
    assert held.token == file_token(sample_clone)
    assert query._readiness[str(sample_clone)][1].current      # the sample's marts are current
    assert not leftover.exists()


def test_without_the_launcher_wait_returns_at_once(monkeypatch):
    monkeypatch.setattr(preload, "_done", threading.Event())
    monkeypatch.setattr(preload, "_started", False)
    t0 = time.monotonic()
    assert preload.wait() is False
    assert time.monotonic() - t0 < preload.WAIT_SECONDS / 2


def test_a_catalog_of_older_code_gets_this_codes_sql_at_start(sample_clone):
    """A catalog written before a page model existed: the server start applies the SQL (one write), so
    the first page finds the model; a current catalog is not written."""
    assert sql_is_current(sample_clone)
    token = file_token(sample_clone)
    assert prepare_at_start(sample_clone) is False and file_token(sample_clone) == token
    with write_transaction(sample_clone) as con:       # as older code left it: no page_status_def, older SQL
        con.execute("DROP VIEW page_status_def")
        con.execute("COMMENT ON TABLE meta IS 'sql-of-older-code'")
    assert not sql_is_current(sample_clone)
    assert prepare_at_start(sample_clone) is True
    assert sql_is_current(sample_clone)
    con = open_read(sample_clone)
    try:
        assert con.execute("SELECT count(*) FROM page_status_def").fetchone()[0] == 1
    finally:
        con.close()
