"""Public entry points: load_file, validate_file, revert."""
from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import duckdb

from loaders import write
from loaders.kinds import KIND_SPECS
from loaders.pipeline import Prepared, prepare
from loaders.read import FileRejected
from loaders.reference import check_duckdb_file, read_reference
from loaders.validate import warm_up
from loaders.report import LoadResult, Problem, describe
from warehouse.paths import warehouse_path
from warehouse.store import WarehouseBusy, read_connection, write_transaction

FACT_KINDS = ("measurements", "targets", "budget")


class RevertError(Exception):
    """The load cannot be reverted (unknown, already reverted, or a reference load)."""


@dataclass
class RevertResult:
    load_id: int
    kind: str
    file_name: str
    rows_deleted: int
    status: str = "reverted"
    exit_code: int = 0
    seconds: dict[str, float] = field(default_factory=dict)   # wall time of the warehouse work

    def to_dict(self) -> dict:
        return asdict(self)


def default_user(loaded_by: str | None = None) -> str:
    if loaded_by:
        return loaded_by
    try:
        return os.environ.get("SPSU_USER") or getpass.getuser()
    except Exception:  # noqa: BLE001 - no user database in some containers
        return "desconocido"


def _sha256(path: Path) -> str | None:
    try:
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()
    except OSError:
        return None


def _problems(prep: Prepared) -> list[Problem]:
    rows = prep.problems.select("_row", "column", "value", "rule", "message", "severity").iter_rows()
    return prep.file_problems + [Problem(prep.file_name, r, c, v, rule, m, s) for r, c, v, rule, m, s in rows]


# loads after which the same file could write something else: the same kind (its rows may have been
# revised since), or the catalogues its rows are validated against
SAME_FILE_SQL = """
SELECT l.load_id, l.rows_read FROM load_log l
WHERE l.kind = ? AND l.file_sha256 = ? AND l.status <> 'reverted'
  AND NOT EXISTS (SELECT 1 FROM load_log later WHERE later.load_id > l.load_id AND later.status <> 'reverted'
                  AND later.kind IN (?, 'municipalities', 'indicators'))
ORDER BY l.load_id DESC LIMIT 1"""


def _same_file_load(con, kind: str, sha256: str | None) -> tuple[int, int] | None:
    """(load id, rows read) of an earlier load of this very file that nothing has overtaken, or None."""
    if not sha256:
        return None
    try:
        row = con.execute(SAME_FILE_SQL, [kind, sha256, kind]).fetchall()
    except duckdb.CatalogException:          # a warehouse without the load tables yet
        return None
    return (int(row[0][0]), int(row[0][1])) if row else None


def _unchanged_file(path: Path, kind: str, earlier: tuple[int, int]) -> LoadResult:
    load_id, rows = earlier
    return LoadResult(None, kind, path.name, "sin cambios", 0, rows, 0, rows, 0,
                      note=f"El archivo ya se cargó (carga n.º {load_id}); no se cambió nada.")


def _rejected(path: Path, kind: str, exc: FileRejected) -> LoadResult:
    msg = describe(path.name, None, exc.column, None, exc.rule, str(exc))
    return LoadResult(None, kind, path.name, "rejected", 2,
                      problems=[Problem(path.name, None, exc.column, None, exc.rule, msg)])


def _check_kind(kind: str) -> None:
    if kind not in KIND_SPECS:
        raise ValueError(f"Tipo de carga desconocido '{kind}'; use uno de: {', '.join(KIND_SPECS)}")


def validate_file(path, kind: str, warehouse=None, sheet: str | None = None,
                  batch_rows: int | None = None) -> LoadResult:
    """Read and validate only (nothing is written): a preview of what a load would do."""
    _check_kind(kind)
    warm_up()
    path = Path(path)
    try:
        prep = prepare(path, kind, read_reference(warehouse_path(warehouse)), sheet, batch_rows)
    except FileRejected as exc:
        return _rejected(path, kind, exc)
    with prep:
        bad = prep.bad_rows.len()
        return LoadResult(None, kind, path.name, "partial" if bad else "ok", 1 if bad else 0, prep.rows_read,
                          prep.rows_read - bad, 0, bad, _problems(prep))


def load_file(path, kind: str, warehouse=None, sheet: str | None = None, loaded_by: str | None = None,
              refresh_snapshots: bool = True, batch_rows: int | None = None) -> LoadResult:
    """Validate, then write valid rows, quarantine, load_log and validation results in one transaction.

    The file is read and validated in batches of `batch_rows` rows (default `loaders.read.BATCH_ROWS`)
    before the write lock is taken; all batches are then written in one transaction.
    """
    _check_kind(kind)
    warm_up()
    path = Path(path)
    wh = warehouse_path(warehouse)
    sha = _sha256(path)
    try:
        if sha and wh.exists():
            check_duckdb_file(wh)
            with read_connection(wh) as con:
                earlier = _same_file_load(con, kind, sha)
            if earlier:
                return _unchanged_file(path, kind, earlier)
        started = time.perf_counter()
        prep = prepare(path, kind, read_reference(wh), sheet, batch_rows)
        prepared = time.perf_counter()
    except FileRejected as exc:
        return _rejected(path, kind, exc)
    except WarehouseBusy as exc:
        return LoadResult(None, kind, path.name, "busy", 3,
                          problems=[Problem(path.name, None, None, None, "almacen_ocupado", str(exc))])
    with prep:
        problems = _problems(prep)
        try:
            with write_transaction(wh) as con:
                earlier = _same_file_load(con, kind, sha)      # loaded meanwhile by someone else
                if earlier:
                    return _unchanged_file(path, kind, earlier)
                load_id, loaded, unchanged, quarantined = write.write_load(
                    con, prep, default_user(loaded_by), sha, refresh_snapshots)
        except WarehouseBusy as exc:
            return LoadResult(None, kind, path.name, "busy", 3, prep.rows_read, problems=problems + [
                Problem(path.name, None, None, None, "almacen_ocupado", str(exc))])
    status = "partial" if quarantined else "ok"
    seconds = {"prepare": round(prepared - started, 3), "warehouse": round(time.perf_counter() - prepared, 3)}
    return LoadResult(load_id, kind, path.name, status, 1 if quarantined else 0, prep.rows_read, loaded,
                      unchanged, quarantined, problems, seconds=seconds)


def _later_loads_on_same_keys(con, kind: str, load_id: int) -> list[int]:
    """Later non-reverted loads of the kind that touched this load's keys: those that wrote a row with
    one of its keys, and those with unchanged rows (they wrote nothing for rows equal to the current
    version, which may be this load's; which keys is not recorded, so any of them counts)."""
    on = " AND ".join(f"t.{k} = mine.{k}" for k in write.FACT_COLUMNS[kind][:3])
    rows = con.execute(f"""
        SELECT l.load_id FROM load_log l
        WHERE l.kind = ? AND l.load_id > ? AND l.status <> 'reverted'
          AND (l.rows_unchanged > 0 OR EXISTS (SELECT 1 FROM {kind} t JOIN {kind} mine ON {on}
                                               WHERE t.load_id = l.load_id AND mine.load_id = ?))
        ORDER BY l.load_id""", [kind, load_id, load_id]).fetchall()
    return [int(r[0]) for r in rows]


def revert(load_id: int, warehouse=None, loaded_by: str | None = None) -> RevertResult:
    """Undo a whole fact load in one transaction: its rows are hidden (targets deleted), so the previous
    versions of its keys are current again. Refused (RevertError) while a later non-reverted load of the same kind touched the
    same keys (revert that one first); also raises RevertError for unknown, reverted or reference loads,
    and WarehouseBusy."""
    wh = warehouse_path(warehouse)
    started = time.perf_counter()
    if not wh.exists():
        raise RevertError(f"No existe el almacén {wh}; no hay cargas que revertir.")
    with write_transaction(wh) as con:
        row = con.execute("SELECT kind, file_name, status FROM load_log WHERE load_id = ?", [int(load_id)]).fetchall()
        row = row[0] if row else None
        if row is None:
            raise RevertError(f"La carga {load_id} no existe.")
        kind, file_name, status = row
        if status == "reverted":
            raise RevertError(f"La carga {load_id} ({file_name}) ya fue revertida.")
        if kind not in FACT_KINDS:
            raise RevertError(f"La carga {load_id} es de datos de referencia ('{kind}'); no se puede revertir, "
                              "cargue de nuevo el archivo anterior.")
        later = _later_loads_on_same_keys(con, kind, int(load_id))
        if later:
            ids = ", ".join(str(i) for i in later)
            raise RevertError(
                f"La carga {load_id} ({file_name}) no se puede revertir: las cargas posteriores n.º {ids} del mismo "
                "tipo revisaron sus filas o pueden haberlas dejado sin cambios (sin escribirlas de nuevo), y "
                "revertirla las quitaría. Revierta primero esas cargas, de la más reciente a la más antigua.")
        deleted = con.execute(f"SELECT count(*) FROM {kind} WHERE load_id = ?", [int(load_id)]).fetchall()[0][0]
        if kind not in write.FACT_TABLES:          # facts rows are hidden by the reverted status (06_views)
            con.execute(f"DELETE FROM {kind} WHERE load_id = ?", [int(load_id)])
        con.execute("UPDATE load_log SET status = 'reverted', reverted_at = ?, note = ? WHERE load_id = ?",
                    [dt.datetime.now(), f"revertida por {default_user(loaded_by)}", int(load_id)])
        write.refresh_snapshots(con, int(load_id))
    return RevertResult(int(load_id), kind, file_name, int(deleted),
                        seconds={"warehouse": round(time.perf_counter() - started, 3)})
