"""Access to the warehouse under DuckDB's single-writer rule (see docs/architecture.md).

A warehouse is three DuckDB files: the catalog (`<path>`: reference, logframe, load log, targets,
quarantine, marts), the facts (`<path>.facts`: measurements, budget) and the operational tables
(`<path>.ops`: agreements). Every connection attaches the side files as `facts` and `ops`, and the
catalog's views show their tables under the usual names.

- Catalog writes: copy the (small) catalog, write the copy in one transaction, swap it in with an
  atomic rename, under an advisory lock so writers queue (bounded wait, WarehouseBusy).
- Fact rows are appended in place (`append_facts`) in a short read-write window of the facts file;
  they are visible only once the catalog that names their load in `load_log` is swapped in, so
  readers never see half a load, and rows of a killed load stay invisible until swept.
- Agreements are written in place in the ops file by one short transaction (`ops_transaction`).
- Readers open everything read-only for one query; a writer's read-write window makes them retry
  briefly.
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
from warehouse.paths import SIDE_FILES, side_path, warehouse_files
from warehouse.schema import (SCHEMA_VERSION, apply_catalog_sql, check_version,
                              pending_migrations, run_migrations, stored_version)

LOCK_WAIT_SECONDS = float(os.environ.get("SPSU_LOCK_WAIT", "30"))
READ_WAIT_SECONDS = 20.0
GENERATION_VIEW = "spsu_generation"     # a built warehouse's three files carry the same generation


class MixedGenerations(RuntimeError):
    """The files opened belong to different builds: a build is being swapped in (retry)."""


# another process (or connection of this one) holds a file in a conflicting mode, or a build is being
# swapped in: wait and retry
IN_USE = (duckdb.IOException, duckdb.ResourceInUseException, MixedGenerations)


class WarehouseBusy(RuntimeError):
    """Another load held the write lock past the bounded wait."""


class WarehouseMissing(FileNotFoundError):
    """The warehouse file does not exist yet."""


def file_token(path: Path) -> str:
    """inode:mtime:size of one file ("-" when it does not exist): changes when it is replaced or written."""
    try:
        st = Path(path).stat()
    except FileNotFoundError:
        return "-"
    return f"{st.st_ino}:{st.st_mtime_ns}:{st.st_size}"


def version_token(path: Path) -> str:
    """A cheap token that changes whenever a write lands (the catalog is replaced, the ops file written)."""
    catalog = file_token(path)
    return "missing" if catalog == "-" else f"{catalog}/{file_token(side_path(path, 'ops'))}"


def write_memory_limit() -> str:
    """DuckDB memory limit of a writing connection: SPSU_WRITE_MEMORY (e.g. '4GB'), else half the
    machine's RAM. DuckDB's own default (80 %) let the first full refresh at 10 M rows reach 20.7 GB
    beside the dashboard; with 4 GB it spilled to disk and took 507 s instead of 322 s (bench/README.md)."""
    configured = os.environ.get("SPSU_WRITE_MEMORY", "").strip()
    if configured:
        return configured
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return f"{max(1, ram // 2 // 2**20)}MiB"


def connect(path: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection without progress bars (a CLI's --json prints one JSON document on stdout, nothing
    else) that always plans an ASOF JOIN as one (DuckDB's default turns it into a nested loop when it
    expects a small left side, which made the series macro 5-7x slower on the sample, and 75x at 10 M
    rows on a cursor, which does not inherit a session setting: hence SET GLOBAL). A writing
    connection is held to `write_memory_limit()` (DuckDB spills to the file's .tmp folder beyond it)."""
    con = duckdb.connect(str(path), read_only=read_only)
    con.execute("SET enable_progress_bar = false")
    con.execute("SET GLOBAL asof_loop_join_threshold = 0")   # GLOBAL: a cursor does not inherit a session SET
    if not read_only:
        con.execute(f"SET memory_limit = '{write_memory_limit()}'")
    return con


def quote_literal(path: Path) -> str:
    """A path as a SQL string literal (single quotes doubled)."""
    return "'" + str(path).replace("'", "''") + "'"


def attach_side_files(con, path: Path, read_only: bool = True, names=SIDE_FILES) -> list[str]:
    """Attach the side files `names` (`<path>.facts`, `<path>.ops`) as `facts` and `ops` (read-only:
    only those that exist); returns the names attached."""
    attached = []
    for name in names:
        side = side_path(path, name)
        if read_only and not side.exists():
            continue
        mode = " (READ_ONLY)" if read_only else ""
        con.execute(f"ATTACH IF NOT EXISTS {quote_literal(side)} AS {name}{mode}")
        attached.append(name)
    return attached


def detach_side_files(con, names=SIDE_FILES) -> None:
    for name in names:
        con.execute(f"DETACH DATABASE IF EXISTS {name}")


def retry_while_busy(open_, deadline: float, busy_message: str):
    """Call `open_` until it stops failing with a file-in-use error or the deadline passes."""
    delay = 0.005
    while True:
        try:
            return open_()
        except IN_USE as exc:
            if time.monotonic() >= deadline:
                raise WarehouseBusy(f"{busy_message} ({exc})") from None
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


def open_read(path: Path):
    """A read-only connection to the catalog with the side files attached; the caller closes it.
    Raises MixedGenerations when the files opened come from different builds (a swap under way)."""
    con = connect(path, read_only=True)
    try:
        attach_side_files(con, path, read_only=True)
        check_generation(con)
    except BaseException:
        con.close()
        raise
    return con


def generation(con, database: str) -> str | None:
    """The build generation an attached database carries (stamp_generation), None without one."""
    try:
        return con.execute(f'SELECT generation FROM "{database}".main.{GENERATION_VIEW}').fetchall()[0][0]
    except duckdb.CatalogException:
        return None


def check_generation(con) -> None:
    """The catalog and the side files attached must carry the same build generation (none counts as
    one: a warehouse never swapped in by a build). Reads each file's one-row view: listing
    `duckdb_views()` instead scanned every view of every file (about 1.2 ms a query)."""
    names = con.execute("SELECT database_name FROM duckdb_databases() "
                        "WHERE NOT internal AND path IS NOT NULL").fetchall()          # not in-memory
    found = {generation(con, name) for (name,) in names}
    if len(found) > 1:
        raise MixedGenerations(f"archivos de generaciones distintas: {sorted(str(g) for g in found)}")


def stamp_generation(path: Path) -> str:
    """Mark the three files of a private (not yet visible) warehouse with one new generation."""
    generation = uuid.uuid4().hex
    for file in warehouse_files(path):
        con = connect(file)
        try:
            con.execute(f"CREATE OR REPLACE VIEW {GENERATION_VIEW} AS SELECT '{generation}' AS generation")
            con.execute(f"COMMENT ON VIEW {GENERATION_VIEW} IS '{generation}'")
        finally:
            con.close()
    return generation


def swap_in(building: Path, path: Path, wait: float | None = None) -> str:
    """Replace the warehouse at `path` by the private one at `building`, all three files, as a set:
    stamped with one new generation, then renamed under the writer lock and the ops file's lock (no
    load or agreement save runs meanwhile). A reader opening during the renames sees two generations
    and retries, so it never works on a mix. Returns the generation."""
    generation = stamp_generation(building)
    with write_lock(path, wait), write_lock(side_path(path, "ops"), wait):
        for new, live in reversed(list(zip(warehouse_files(building), warehouse_files(path)))):
            os.replace(new, live)       # side files first, the catalog last
    return generation


@contextmanager
def read_connection(path: Path):
    """A short-lived read-only connection to the catalog with the side files attached.

    Retried briefly while a writer holds a side file read-write; raises WarehouseTooNew for a
    warehouse written by a newer version of the product.
    """
    path = Path(path)
    if not path.exists():
        raise WarehouseMissing(f"No existe el almacén de datos {path}. Ejecute: python -m warehouse build --sample")
    con = retry_while_busy(lambda: open_read(path), time.monotonic() + READ_WAIT_SECONDS,
                           f"El almacén {path} no se pudo abrir")
    try:
        check_version(con, path)
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


def _side_files_read_write(con, path: Path, deadline: float) -> None:
    """Reattach the side files read-write (waiting for readers to let go)."""
    detach_side_files(con)
    retry_while_busy(lambda: attach_side_files(con, path, read_only=False), deadline,
                     f"Los archivos del almacén {path} siguen en uso")


def _open_schema(con, path: Path, deadline: float) -> None:
    """Run pending migrations (side files read-write for their duration), then the catalog's SQL."""
    pending = pending_migrations(con, path)
    if pending:
        _side_files_read_write(con, path, deadline)
        try:
            run_migrations(con, pending)
        finally:
            detach_side_files(con)
    attach_side_files(con, path, read_only=True)
    apply_catalog_sql(con, force=bool(pending))
    _sweep_orphans_if_any(con, path, deadline)


def _max_load_ids(con) -> tuple[int, int]:
    """(highest load id in the catalog's load_log, highest load id in the facts file)."""
    top = con.execute("SELECT coalesce(max(load_id), 0) FROM load_log").fetchone()[0]
    tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'facts'").fetchall()]
    facts = max([con.execute(f"SELECT coalesce(max(load_id), 0) FROM facts.{t}").fetchone()[0] for t in tables],
                default=0)
    return int(top), int(facts)


def _sweep_orphans_if_any(con, path: Path, deadline: float) -> None:
    """Rows of a load killed after its append carry an id above every committed one (load ids are drawn
    above the facts file's too): delete them before this writer commits anything, so that every fact
    row with an id up to the catalog's highest belongs to a committed load."""
    top, facts = _max_load_ids(con)
    if facts <= top:
        return
    con.execute("DETACH DATABASE IF EXISTS facts")
    try:
        fcon = retry_while_busy(lambda: connect(side_path(path, "facts")), deadline,
                                f"Los datos del almacén {path} siguen en uso")
        try:
            sweep_orphan_facts(fcon, top)
        finally:
            fcon.close()
    finally:
        con.execute(f"ATTACH {quote_literal(side_path(path, 'facts'))} AS facts (READ_ONLY)")


@contextmanager
def _transaction(con):
    """BEGIN, then COMMIT if the block ends normally; on any exception ROLLBACK (best effort) and re-raise."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass
        raise


@contextmanager
def write_transaction(path: Path, wait: float | None = None):
    """Yield a connection to a private copy of the catalog inside one transaction; on success swap it in.

    The side files are attached read-only (fact rows go through `append_facts`). Any exception
    leaves the live catalog untouched (the copy is discarded); appended fact rows stay invisible.
    """
    path = Path(path)
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    with write_lock(path, wait):
        deadline = time.monotonic() + wait
        sweep_copies(path)                 # a killed writer's copy: only writers make them, and we hold the lock
        sweep_builds(path)
        sweep_temp_dirs()
        tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            if path.exists():
                shutil.copyfile(path, tmp)
            con = connect(tmp)
            con.execute(f"SET VARIABLE spsu_warehouse = {quote_literal(path)}")
            con.execute(f"SET VARIABLE spsu_deadline = {deadline}")
            try:
                _open_schema(con, path, deadline)
                with _transaction(con):
                    yield con
                con.execute("CHECKPOINT")
            finally:
                con.close()
            with open(tmp, "rb") as fh:
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        finally:
            for leftover in (tmp, Path(str(tmp) + ".wal")):
                if leftover.exists():
                    leftover.unlink()


def _writer_context(con) -> tuple[Path, float]:
    row = con.execute("SELECT getvariable('spsu_warehouse'), getvariable('spsu_deadline')").fetchone()
    if row[0] is None:
        raise RuntimeError("append_facts needs a connection from write_transaction")
    return Path(row[0]), float(row[1])


def append_facts(con, table: str, sources: list) -> int:
    """Append rows to `facts.<table>` from a write_transaction's connection; returns the rows written.

    `sources`: Arrow tables, polars frames or Parquet file paths holding the table's columns (with
    `load_id`). The facts file is opened read-write only for the append (readers retry meanwhile);
    a killed load's rows were swept when this write transaction began. The rows become visible when
    the write transaction's catalog, naming their load in load_log, is swapped in.
    """
    path, deadline = _writer_context(con)
    # A database read in a transaction stays open until it ends: end the copy's transaction (the copy
    # is private, so this publishes nothing; the swap does) and open another after the append.
    con.execute("COMMIT")
    con.execute("DETACH DATABASE IF EXISTS facts")
    try:
        fcon = retry_while_busy(lambda: connect(side_path(path, "facts")), deadline,
                                f"Los datos del almacén {path} siguen en uso")
        try:
            fcon.execute("SET preserve_insertion_order = false")   # rows carry their keys: order is free
            fcon.execute("BEGIN TRANSACTION")
            written = 0
            for i, src in enumerate(sources):
                if isinstance(src, (str, Path)):
                    rel = f"read_parquet({quote_literal(Path(src))})"
                else:
                    fcon.register(f"_src{i}", src)
                    rel = f"_src{i}"
                written += fcon.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {rel}").fetchone()[0]
                if not isinstance(src, (str, Path)):
                    fcon.unregister(f"_src{i}")
            fcon.execute("COMMIT")
        finally:
            fcon.close()
    finally:
        con.execute(f"ATTACH {quote_literal(side_path(path, 'facts'))} AS facts (READ_ONLY)")
        con.execute("BEGIN TRANSACTION")
    return written


def sweep_orphan_facts(fcon, top: int) -> int:
    """Delete fact rows with a load id above `top`, the catalog's highest (a killed load's rows)."""
    gone = 0
    for (table,) in fcon.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()").fetchall():
        gone += fcon.execute(f"DELETE FROM {table} WHERE load_id > ?", [int(top)]).fetchone()[0]
    return gone


def _catalog_version(path: Path) -> int:
    """The catalog's schema version (0 when unreadable: the writer then migrates or fails clearly)."""
    try:
        with read_connection(path) as con:
            return stored_version(con)
    except Exception:  # noqa: BLE001 - a version-1 or damaged catalog: let write_transaction decide
        return 0


@contextmanager
def ops_transaction(path: Path, wait: float | None = None):
    """A short read-write transaction on the ops file (agreements), in place: no copy.

    Its own lock (`<path>.ops.lock`) queues ops writers without waiting for a running load; the
    catalog is attached read-only as `catalog` (refused if newer than this code). A failure rolls
    the transaction back.
    """
    path = Path(path)
    wait = LOCK_WAIT_SECONDS if wait is None else wait
    if not path.exists() or not side_path(path, "ops").exists() or _catalog_version(path) < SCHEMA_VERSION:
        with write_transaction(path, wait):        # a new or older warehouse: create / migrate it
            pass
    ops = side_path(path, "ops")
    with write_lock(ops, wait):
        deadline = time.monotonic() + wait

        def open_ops():
            con = connect(ops)
            try:
                con.execute(f"ATTACH {quote_literal(path)} AS catalog (READ_ONLY)")
            except BaseException:
                con.close()
                raise
            return con

        con = retry_while_busy(open_ops, deadline, f"Los acuerdos del almacén {path} siguen en uso")
        try:
            check_version(con, path, catalog="catalog")
            with _transaction(con):
                yield con
        finally:
            con.close()


def clone_warehouse(src: Path, dst: Path) -> Path:
    """Copy a warehouse (catalog and side files) to `dst`, for tests and tools; returns `dst`.

    Takes the source's write lock so no load lands half-way through the copy.
    """
    src, dst = Path(src), Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    with write_lock(src):
        for s, d in zip(warehouse_files(src), warehouse_files(dst)):
            if s.exists():
                shutil.copyfile(s, d)
                wal = Path(str(s) + ".wal")
                if wal.exists():
                    shutil.copyfile(wal, str(d) + ".wal")
    return dst
