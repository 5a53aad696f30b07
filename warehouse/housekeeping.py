"""Leftovers of killed loads and builds, removed at the next write (load, revert) or server start.

- `.<warehouse>.<id>.tmp` (+ `.wal`): a writer's private copy of the catalog (warehouse.store). Only a
  writer holding the warehouse's lock has one, so under the lock every copy found is a dead writer's.
- Fact rows a killed load appended to `<warehouse>.facts` are not files: they stay invisible and the
  next append deletes them (warehouse.store.sweep_orphan_facts).
- `.<warehouse>.<pid>-<id>.building` (+ `.facts`, `.ops`, `.lock`, its own copies): a sample build
  (warehouse.build); removed when process `pid` no longer runs.
- Temporary folders of uploads and reading (`spsu_carga_*`, `spsu_csv_*`, `spsu_load_*` in the system
  temp folder): removed when untouched for `STALE_SECONDS` (a live load or upload may be using a newer one).
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

STALE_SECONDS = 3600
TEMP_PREFIXES = ("spsu_carga_", "spsu_csv_", "spsu_load_")
_BUILD = re.compile(r"\.(\d+)-[0-9a-f]+\.building")


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_copies(path: Path) -> list[Path]:
    """Remove dead writers' copies of `path`; call only while holding its write lock."""
    path = Path(path)
    gone = [p for p in path.parent.glob(f".{path.name}.*.tmp*") if p.name.endswith((".tmp", ".tmp.wal"))]
    for p in gone:
        _remove(p)
    return gone


def sweep_builds(path: Path) -> list[Path]:
    """Remove the side files of builds of `path` whose process is gone."""
    path = Path(path)
    gone = []
    for p in path.parent.glob(f".{path.name}.*.building*"):
        m = _BUILD.search(p.name)
        if m and not _alive(int(m.group(1))):
            _remove(p)
            gone.append(p)
    return gone


def sweep_temp_dirs(now: float | None = None) -> list[Path]:
    """Remove the product's temporary folders untouched for STALE_SECONDS."""
    now = time.time() if now is None else now
    gone = []
    for p in Path(tempfile.gettempdir()).glob("spsu_*"):
        try:
            stale = p.name.startswith(TEMP_PREFIXES) and now - p.stat().st_mtime > STALE_SECONDS
        except FileNotFoundError:
            continue
        if stale:
            _remove(p)
            gone.append(p)
    return gone


def sweep_at_start(path: Path) -> None:
    """What a starting server cleans: builds and temp folders always, copies when no load runs."""
    from warehouse.store import WarehouseBusy, write_lock

    sweep_builds(path)
    sweep_temp_dirs()
    try:
        with write_lock(path, wait=0):
            sweep_copies(path)
    except WarehouseBusy:
        pass


def sql_is_current(path: Path) -> bool:
    """Does the catalog hold this code's SQL (schema.holds_current_sql)? True when there is no
    warehouse to speak of."""
    import duckdb

    from warehouse.schema import holds_current_sql
    from warehouse.store import quote_literal

    if not Path(path).exists():
        return True
    db = duckdb.connect(":memory:")
    try:
        db.execute(f"ATTACH {quote_literal(path)} AS c (READ_ONLY)")
        return holds_current_sql(db, "c")
    finally:
        db.close()


def prepare_at_start(path: Path) -> bool:
    """What a starting server does to its warehouse: the sweep above, then, when the catalog was
    written by older code, this code's SQL applied by one empty write (new views and page models
    exist before the first page asks for them; their stored results come with the next load, and
    until then the pages evaluate the models). Returns whether it wrote. A load holding the lock
    applies the SQL itself; a warehouse this process may not write (or a newer one) is left as it is,
    with a log line."""
    import logging

    from warehouse.store import WarehouseBusy, write_transaction

    sweep_at_start(path)
    try:
        if sql_is_current(path):
            return False
        with write_transaction(path, wait=0):
            pass
        return True
    except WarehouseBusy:
        return False
    except Exception as exc:   # noqa: BLE001  read-only file, newer warehouse...: the pages say it in Spanish
        logging.getLogger(__name__).warning("SQL of %s not brought up to date at start: %s", path, exc)
        return False
