"""The launcher's preload (ui/preload.py): a starting server opens the warehouse before its first page."""
from __future__ import annotations

import threading
import time

from ui import preload
from warehouse import query
from warehouse.store import file_token


def test_preload_opens_the_warehouse_and_sweeps_before_the_first_page(sample_clone, monkeypatch):
    monkeypatch.setenv("SPSU_WAREHOUSE", str(sample_clone))
    monkeypatch.setattr(preload, "_done", threading.Event())
    monkeypatch.setattr(preload, "_started", False)
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
