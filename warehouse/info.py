"""`info`: what the warehouse holds (schema version, row counts, interventions, last load)."""
from __future__ import annotations

from pathlib import Path

from warehouse.asof import as_of_date, week_under_review
from warehouse.store import read_connection


def warehouse_info(path: Path) -> dict:
    with read_connection(path) as con:
        tables = [r[0] for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' ORDER BY 1").fetchall()]
        counts = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        groups = con.execute("""
            SELECT intervention, coalesce(csr_group, '') AS grp, count(*) FROM municipalities
            WHERE intervention <> 'none' GROUP BY ALL ORDER BY 1, 2""").fetchall()
        last = con.execute("""
            SELECT load_id, kind, file_name, loaded_at::VARCHAR, status FROM load_log
            ORDER BY load_id DESC LIMIT 1""").fetchone()
        day = as_of_date(con)
        week = week_under_review(con)
    return {
        "warehouse": str(path),
        "schema_version": meta.get("schema_version"),
        "is_sample": meta.get("is_sample") == "true",
        "tables": counts,
        "interventions": {(f"{i} {g}".strip()): n for i, g, n in groups},
        "as_of": day.isoformat() if day else None,
        "week_under_review": week,
        "last_load": dict(zip(["load_id", "kind", "file", "loaded_at", "status"], last)) if last else None,
    }


def format_info(info: dict) -> str:
    lines = [f"Almacén: {info['warehouse']}", f"Versión del esquema: {info['schema_version']}",
             f"Datos de muestra: {'sí' if info['is_sample'] else 'no'}",
             f"Fecha de corte: {info['as_of'] or '—'}  semana en revisión: {info['week_under_review'] or '—'}",
             "Filas por tabla:"]
    lines += [f"  {t:<22} {n:>10,}" for t, n in info["tables"].items()]
    lines.append("Municipios por intervención:")
    lines += [f"  {k:<22} {n:>10}" for k, n in info["interventions"].items()]
    last = info["last_load"]
    lines.append("Última carga: " + (f"#{last['load_id']} {last['kind']} {last['file']} {last['loaded_at']} ({last['status']})"
                                     if last else "ninguna"))
    return "\n".join(lines)
