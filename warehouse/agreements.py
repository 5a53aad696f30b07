"""The weekly meeting's agreements: the one write path (validated, one short transaction).

Agreements live in the warehouse's ops file and are written in place (`warehouse.store.ops_transaction`):
a save costs what it changes, not a copy of the warehouse; a failed write changes nothing.
"""
from __future__ import annotations

import datetime as dt
import re

from warehouse.asof import week_end_of
from warehouse.audit import try_record
from warehouse.paths import warehouse_path
from warehouse.permissions import require
from warehouse.store import ops_transaction

STATUSES = ("abierto", "en curso", "cumplido", "cancelado")
OPEN_STATUSES = ("abierto", "en curso")
NATIONAL_CODES = ("", "nacional", "national")
MAX_ACTION, MAX_RESPONSIBLE = 2000, 200


# an open agreement equal to a new one (texts compared ignoring case and repeated spaces): saving twice
# (a double click, a resubmitted form) must not record the same commitment twice
SAME_OPEN_AGREEMENT = f"""
SELECT agreement_id, status FROM agreements
WHERE week = ? AND indicator_code IS NOT DISTINCT FROM ? AND scope_code IS NOT DISTINCT FROM ?
  AND lower(regexp_replace(trim(action), '\\s+', ' ', 'g')) = lower(regexp_replace(trim(?), '\\s+', ' ', 'g'))
  AND lower(regexp_replace(trim(responsible), '\\s+', ' ', 'g')) = lower(regexp_replace(trim(?), '\\s+', ' ', 'g'))
  AND due_date = ? AND status IN {OPEN_STATUSES}
ORDER BY agreement_id LIMIT 1"""


class AgreementError(ValueError):
    """An agreement that cannot be saved; the message says why, in Spanish, for the person typing it."""


def _date(value, field: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except (TypeError, ValueError):
        raise AgreementError(f"La {field} «{value}» no es una fecha válida (use aaaa-mm-dd).") from None


def _text(value, field: str, limit: int) -> str:
    text = (value or "").strip()
    if not text:
        raise AgreementError(f"Falta {field}: complete ese dato antes de guardar.")
    if len(text) > limit:
        raise AgreementError(f"El texto de {field} es demasiado largo ({len(text)} caracteres; máximo {limit}).")
    return text


def _week(value) -> str:
    week = (value or "").strip()
    if not re.fullmatch(r"\d{4}-W\d{2}", week):
        raise AgreementError(f"La semana «{week}» no es válida (use el formato 2014-W20).")
    try:
        week_end_of(week)
    except ValueError:
        raise AgreementError(f"La semana «{week}» no existe en el calendario ISO.") from None
    return week


def _scope(value) -> str | None:
    code = (value or "").strip()
    return None if code.lower() in NATIONAL_CODES else code


def create_agreement(*, week: str, action: str, responsible: str, due_date, created_by: str, role: str,
                     indicator_code: str | None = None, scope_code: str | None = None, path=None) -> int:
    """Record an agreed action (status 'abierto'); returns its agreement_id or raises AgreementError.

    `scope_code` is a municipality code, or None / 'nacional' for a national agreement. An agreement
    names an indicator, a municipality, or both. An open agreement identical to it (same week, indicator,
    scope, action, responsible and due date) refuses it: nothing is recorded twice. `role` is the
    author's role: one that may not record agreements is refused (PermissionDenied). Audited.
    """
    require(role, "agreements")
    week = _week(week)
    action = _text(action, "la acción acordada", MAX_ACTION)
    responsible = _text(responsible, "el responsable", MAX_RESPONSIBLE)
    author = _text(created_by, "quién registra el acuerdo", MAX_RESPONSIBLE)
    due = _date(due_date, "fecha límite")
    week_start = week_end_of(week) - dt.timedelta(days=6)
    if due < week_start:
        raise AgreementError(f"La fecha límite ({due:%d/%m/%Y}) es anterior a la semana del acuerdo "
                             f"{week} (desde el {week_start:%d/%m/%Y}).")
    indicator = (indicator_code or "").strip() or None
    scope = _scope(scope_code)
    if indicator is None and scope is None:
        raise AgreementError("Indique el indicador o el municipio al que se refiere el acuerdo.")
    wh = warehouse_path(path)
    with ops_transaction(wh) as con:
        if indicator and not con.execute("SELECT 1 FROM catalog.indicators WHERE code = ?", [indicator]).fetchall():
            raise AgreementError(f"El indicador «{indicator}» no existe en el catálogo de indicadores.")
        if scope and not con.execute("SELECT 1 FROM catalog.municipalities WHERE code = ?", [scope]).fetchall():
            raise AgreementError(f"El municipio «{scope}» no existe (use el código DIGESTYC de 4 dígitos "
                                 "o «nacional»).")
        same = con.execute(SAME_OPEN_AGREEMENT, [week, indicator, scope, action, responsible, due]).fetchall()
        if same:
            raise AgreementError(f"Ese acuerdo ya está registrado (n.º {same[0][0]}, {same[0][1]}): misma semana, "
                                 "indicador, ámbito, acción, responsable y fecha límite. No se guardó otra vez.")
        agreement_id = con.execute("SELECT coalesce(max(agreement_id), 0) + 1 FROM agreements").fetchone()[0]
        con.execute("""INSERT INTO agreements (agreement_id, week, indicator_code, scope_code, action, responsible,
                                               due_date, status, created_by, created_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, 'abierto', ?, ?)""",
                    [agreement_id, week, indicator, scope, action, responsible, due, author, dt.datetime.now()])
    try_record("agreement_created", user=author, role=role, path=path,
               detail=f"acuerdo n.º {agreement_id} ({week}, {indicator or '-'}, {scope or 'nacional'}): {action}")
    return int(agreement_id)


def update_status(agreement_id: int, status: str, by: str, role: str, path=None) -> str:
    """Change an agreement's status (abierto, en curso, cumplido, cancelado); returns the previous one.
    A `role` that may not change agreements is refused (PermissionDenied). Audited."""
    require(role, "agreements")
    status = (status or "").strip().lower()
    if status not in STATUSES:
        raise AgreementError(f"El estado «{status}» no es válido; use uno de: {', '.join(STATUSES)}.")
    author = _text(by, "quién actualiza el acuerdo", MAX_RESPONSIBLE)
    with ops_transaction(warehouse_path(path)) as con:
        row = con.execute("SELECT status FROM agreements WHERE agreement_id = ?", [int(agreement_id)]).fetchall()
        if not row:
            raise AgreementError(f"El acuerdo n.º {agreement_id} no existe.")
        con.execute("UPDATE agreements SET status = ?, updated_by = ?, updated_at = ? WHERE agreement_id = ?",
                    [status, author, dt.datetime.now(), int(agreement_id)])
    try_record("agreement_status", user=author, role=role, path=path,
               detail=f"acuerdo n.º {agreement_id}: {row[0][0]} → {status}")
    return row[0][0]
