"""Access to the warehouse file under DuckDB's single-writer rule.

Writers never open the live file: they copy it, write the copy in one transaction and swap it
in with an atomic rename, holding an advisory lock so writers queue (bounded wait). Readers open
the live file read-only for a short moment; they never see half a load. See docs/architecture.md.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import duckdb

from warehouse.housekeeping import sweep_builds, sweep_copies, sweep_temp_dirs
from warehouse.schema import apply_schema

LOCK_WAIT_SECONDS = float(os.environ.get("SPSU_LOCK_WAIT", "30"))
READ_RETRIES = 20


class WarehouseBusy(RuntimeError):
    """Another load held the write lock past the bounded wait."""


class WarehouseMissing(FileNotFoundError):
    """The warehouse file does not exist yet."""


def version_token(path: Path) -> str:
    """A cheap token that changes whenever a load lands (the file is replaced)."""
    try:
        st = Path(path).stat()
    except FileNotFoundError:
        return "missing"
    return f"{st.st_ino}:{st.st_mtime_ns}:{st.st_size}"


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection without progress bars (a CLI's --json prints one JSON document on stdout, nothing else)."""
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    return con


@contextmanager
def read_connection(path: Path):
    """A short-lived read-only connection, retried briefly if the file is being swapped."""
    path = Path(path)
    if not path.exists():
        raise WarehouseMissing(f"No existe el almacén de datos {path}. Ejecute: python -m warehouse build --sample")
    last = None
    for attempt in range(READ_RETRIES):
        try:
            con = connect(path, read_only=True)
            break
        except duckdb.IOException as exc:  # a legacy writer holding the file: wait and retry
            last = exc
            time.sleep(0.05 * (attempt + 1))
    else:
        raise WarehouseBusy(f"El almacén {path} no se pudo abrir: {last}")
    try:
        yield con
    finally:
        con.close()


@contextmanager
def write_lock(path: Path, wait: float | None = None):
    """Exclusive advisory lock beside the warehouse file; raises WarehouseBusy after `wait` s."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    fh = open(str(path) + ".lock", "a+")
    deadline = time.monotonic() + wait
    try:
        while True:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"El almacén {path} está ocupado con otra carga; se esperó {wait:.0f} s y no se cambió nada.")
                time.sleep(0.1)
        yield
    finally:
        fh.close()


@contextmanager
def write_transaction(path: Path, wait: float | None = None):
    """Yield a connection to a private copy inside one transaction; on success swap it in atomically.

    Any exception leaves the live file untouched (the copy is discarded).
    """
    path = Path(path)
    with write_lock(path, wait):
        sweep_copies(path)                 # a killed writer's copy: only writers make them, and we hold the lock
        sweep_builds(path)
        sweep_temp_dirs()
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            if path.exists():
                shutil.copyfile(path, tmp)
            con = connect(tmp)
            try:
                apply_schema(con)
                con.execute("BEGIN TRANSACTION")
                yield con
                con.execute("COMMIT")
                con.execute("CHECKPOINT")
            except BaseException:
                try:
                    con.execute("ROLLBACK")
                except duckdb.Error:
                    pass
                raise
            finally:
                con.close()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        finally:
            for leftover in (tmp, Path(str(tmp) + ".wal")):
                if leftover.exists():
                    leftover.unlink()
