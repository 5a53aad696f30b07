"""Weekly progress snapshots: the method evaluated at each week's end with what was known then."""
from __future__ import annotations

import datetime as dt

import duckdb

from warehouse.asof import as_of_date, last_complete_week_end, week_label

SNAPSHOT_WEEKS = 12


def refresh_snapshots(con: duckdb.DuckDBPyConnection, weeks: int = SNAPSHOT_WEEKS) -> list[str]:
    """Recompute the snapshots of the last `weeks` ISO weeks up to the week under review."""
    day = as_of_date(con)
    if day is None:
        return []
    last = last_complete_week_end(day)
    ends = [last - dt.timedelta(days=7 * k) for k in range(weeks)]
    load_id = con.execute("SELECT max(load_id) FROM load_log").fetchone()[0]
    labels = []
    for end in reversed(ends):
        label = week_label(end)
        con.execute("DELETE FROM progress_snapshots WHERE week = ?", [label])
        con.execute("""
            INSERT INTO progress_snapshots BY NAME
            SELECT ? AS week, ?::DATE AS week_end, indicator_code, scope_type, scope_code,
                   value, expected, target_value, progress, percent, semaforo, reporting_status,
                   latest_period, ? AS last_load_id
            FROM mart_progress_asof(?::DATE)""", [label, end, load_id, end])
        labels.append(label)
    return labels
