"""The audit trail: who signed in (or failed to), loaded, reverted, exported or changed an agreement.

`record` is the only function that writes the audit_log table (the ops file, migration 3: in place,
no copy of the catalog);
`trail` reads it for the roles allowed to see it (analista, direccion, admin) and returns nothing to
anyone else.
"""
from __future__ import annotations

import datetime as dt
import logging

import polars as pl

from warehouse.paths import warehouse_path
from warehouse.permissions import allowed

ACTIONS = {
    "sign_in": "inicio de sesión",
    "sign_in_failed": "inicio de sesión fallido",
    "sign_out": "cierre de sesión",
    "load": "carga de datos",
    "revert": "reversión de carga",
    "export": "descarga",
    "agreement_created": "acuerdo registrado",
    "agreement_status": "cambio de estado de acuerdo",
}
MAX_DETAIL = 500
AUDIT_WAIT_SECONDS = 10.0
TRAIL_SQL = """SELECT recorded_at, user_name, role, action, detail FROM audit_log ORDER BY audit_id DESC LIMIT ?"""
TRAIL_SCHEMA = {"recorded_at": pl.Datetime, "user_name": pl.String, "role": pl.String, "action": pl.String,
                "detail": pl.String}


def record(action: str, *, user: str, role: str, detail: str = "", path=None) -> int:
    """Append one audit row (UTC time) in its own transaction; returns its audit_id.

    Raises ValueError for an unknown action, and the store's WarehouseBusy when the warehouse stays
    locked by a load for longer than AUDIT_WAIT_SECONDS.
    """
    from warehouse.store import ops_transaction
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    text = (detail or "").replace("\n", " ")[:MAX_DETAIL]
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    with ops_transaction(warehouse_path(path), wait=AUDIT_WAIT_SECONDS) as con:
        audit_id = con.execute("SELECT nextval('audit_id_seq')").fetchone()[0]
        con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?)",
                    [audit_id, now, (user or "desconocido")[:200], role or "", action, text])
    return int(audit_id)


def try_record(action: str, *, user: str, role: str, detail: str = "", path=None) -> bool:
    """`record`, but a busy or missing warehouse is logged instead of raised (the action it follows
    already happened); returns whether the row was written. Nobody is recorded in demo mode."""
    if role == "demo":
        return False
    try:
        record(action, user=user, role=role, detail=detail, path=path)
        return True
    except Exception as exc:  # noqa: BLE001 - the audit must not undo or hide the action it follows
        logging.getLogger("spsu.audit").warning("audit %s for %s not recorded: %s", action, user, exc)
        return False


def trail(viewer, limit: int = 1000, path=None) -> pl.DataFrame:
    """The latest audit rows, newest first; an empty frame for a role not allowed to see them."""
    if not allowed(getattr(viewer, "role", None), "audit"):
        return pl.DataFrame(schema=TRAIL_SCHEMA)
    from warehouse.query import fetch
    try:
        frame = fetch(TRAIL_SQL, [int(limit)], path)
    except Exception as exc:  # noqa: BLE001 - a warehouse built before the audit table existed
        if "audit_log" in str(exc):
            return pl.DataFrame(schema=TRAIL_SCHEMA)
        raise
    return frame
