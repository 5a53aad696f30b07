"""Keep the page results (29_tables_marts.sql, "Page results") equal to their page models.

Called by warehouse/refresh.py right after the marts, on the same connection and transaction, so a
reader sees the new facts, marts and page results together. The weeks are the ones the marts hold
(the selector's); the budget's as-of months are the months of those weeks. After a fact load or its
revert, only what it can change is recomputed, as for the marts:
  - weeks that entered the window whole, weeks that left it dropped (and the changes of a week whose
    previous week left: the model then has nothing to compare with);
  - measurements and targets: the touched indicators at the weeks ending on or after the earliest
    date the load brought (targets: every week; they change the semáforos, not the reports);
  - measurements: also the completeness counts of the touched municipalities at those weeks
    (targets: of every municipality);
  - budget: the touched programs at every stored month;
  - the header's page_status row at every refresh (the as-of date the refresh read: asof.data_as_of).
Anything else (reference loads, a marts recompute, results not current before this load) recomputes
everything. meta 'pages_fingerprint' records the load log state the results reflect (the marts'
fingerprint) and 'pages_weeks' the weeks they hold.
"""
from __future__ import annotations

import datetime as dt

import duckdb

from warehouse.asof import data_as_of, week_label
from warehouse.refresh import current_before

FACT_KINDS = ("measurements", "targets", "budget")
WEEKLY_TABLES = ("page_week_changes_weekly", "page_week_revisions_weekly", "page_week_late_reports_weekly",
                 "page_completeness_weekly")
REPORT_MODELS = {"page_week_revisions_weekly": "page_week_revisions",
                 "page_week_late_reports_weekly": "page_week_late_reports"}


def refresh_pages(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> None:
    """Bring the page results up to date: after load (or revert) `load_id` when they were current
    just before it, else whole (load_id None: the marts were recomputed whole)."""
    weeks = dict(con.execute("SELECT DISTINCT week_end, week FROM mart_progress_weekly").fetchall())
    if load_id is not None and current_before(con, load_id, "pages_fingerprint"):
        _refresh_after(con, load_id, weeks)
    else:
        _refresh_whole(con, weeks)
    con.execute("DELETE FROM page_status")
    # the header's row at the as-of date the refresh has read (page_status_def reads it again)
    con.execute("INSERT INTO page_status BY NAME SELECT * FROM page_status_at(?::DATE)", [data_as_of(con)])
    con.execute("INSERT OR REPLACE INTO meta VALUES ('pages_fingerprint', marts_fingerprint())")
    con.execute("INSERT OR REPLACE INTO meta VALUES ('pages_weeks', ?)",
                [",".join(sorted(end.isoformat() for end in weeks))])


def _meta(con, key: str) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _months(ends) -> list[dt.date]:
    return sorted({end.replace(day=1) for end in ends})


def _refresh_whole(con, weeks: dict) -> None:
    for table in (*WEEKLY_TABLES, "mart_budget_ytd"):
        con.execute(f"DELETE FROM {table}")
    _changes(con, weeks, list(weeks), None)
    for table in REPORT_MODELS:
        _reports(con, table, list(weeks), None)
    _completeness(con, list(weeks), None)
    _budget(con, _months(weeks), None)


def _refresh_after(con, load_id: int, weeks: dict) -> None:
    """What load `load_id` (landed or reverted) can change, plus the window's move."""
    old = {dt.date.fromisoformat(d) for d in (_meta(con, "pages_weeks") or "").split(",") if d}
    left, entered = sorted(old - set(weeks)), sorted(set(weeks) - old)
    for table in WEEKLY_TABLES:
        con.execute(f"DELETE FROM {table} WHERE list_contains(?::DATE[], week_end)", [left])
    lost_previous = [end for end in weeks if end - dt.timedelta(days=7) in left]
    _changes(con, weeks, sorted(set(entered) | set(lost_previous)), None)
    for table in REPORT_MODELS:
        _reports(con, table, entered, None)
    _completeness(con, entered, None)
    old_months, months = set(_months(old)), set(_months(weeks))
    con.execute("DELETE FROM mart_budget_ytd WHERE list_contains(?::DATE[], as_of_month)",
                [sorted(old_months - months)])
    _budget(con, sorted(months - old_months), None)

    kind, items, earliest = con.execute("""
        SELECT l.kind, list(DISTINCT t.item_code) FILTER (WHERE t.item_code IS NOT NULL), min(t.earliest)
        FROM load_log l LEFT JOIN load_touch t USING (load_id) WHERE l.load_id = ? GROUP BY l.kind""",
                                        [load_id]).fetchone()
    if kind not in FACT_KINDS or not items:
        return
    if kind == "budget":
        _budget(con, sorted(months & old_months), items)
        return
    kept = [end for end in weeks if end in old and (earliest is None or end >= earliest)]
    _changes(con, weeks, kept, items)
    if kind == "measurements":
        for table in REPORT_MODELS:
            _reports(con, table, kept, items)
        munis = [r[0] for r in con.execute("""SELECT DISTINCT scope_code FROM load_touch
                                               WHERE load_id = ? AND scope_code <> 'national'""", [load_id]).fetchall()]
        _completeness(con, kept, munis)
    else:                                   # targets: the plan in force is chosen per indicator, every scope
        _completeness(con, kept, None)


def _changes(con, weeks: dict, ends: list, indicators: list | None) -> None:
    """page_week_changes at the weeks `ends` against the week before (rows of `indicators`, or all),
    in one plan for all the weeks. Rows are written in week order (here and below) so that a page's
    `week_end = ?` skips the other weeks' row groups."""
    if not ends:
        return
    flt = "(CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, indicator_code))"
    con.execute(f"DELETE FROM page_week_changes_weekly WHERE list_contains(?::DATE[], week_end) AND {flt}",
                [ends, indicators, indicators])
    labels, previous = [weeks[end] for end in ends], [week_label(end - dt.timedelta(days=7)) for end in ends]
    con.execute(f"""INSERT INTO page_week_changes_weekly BY NAME
                    SELECT w.week, w.previous, w.week_end, c.*
                    FROM (SELECT unnest(?::VARCHAR[]) AS week, unnest(?::VARCHAR[]) AS previous,
                                 unnest(?::DATE[]) AS week_end) w,
                         page_week_changes(w.week, w.previous) c
                    WHERE {flt} ORDER BY w.week_end""", [labels, previous, ends, indicators, indicators])


def _reports(con, table: str, ends: list, indicators: list | None) -> None:
    """A weekly report model (revisions, late reports) at the weeks `ends` (Sundays; each week runs
    from its Monday): one evaluation over the span, each row assigned to the week of its report."""
    if not ends:
        return
    flt = "(CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, indicator_code))"
    con.execute(f"DELETE FROM {table} WHERE list_contains(?::DATE[], week_end) AND {flt}",
                [ends, indicators, indicators])
    con.execute(f"""INSERT INTO {table} BY NAME
                    SELECT * FROM (
                        SELECT CAST(r.reported_at + CAST((7 - isodow(r.reported_at)) % 7 AS INTEGER) AS DATE)
                                 AS week_end, r.*
                        FROM {REPORT_MODELS[table]}(?::DATE - 6, ?::DATE, p_indicators := ?::VARCHAR[]) r)
                    WHERE list_contains(?::DATE[], week_end) ORDER BY week_end""",
                [min(ends), max(ends), indicators, ends])


def _completeness(con, ends: list, munis: list | None) -> None:
    """page_completeness_counts at the weeks `ends` (rows of the municipalities `munis`, or all)."""
    if not ends:
        return
    flt = "(CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, code))"
    con.execute(f"DELETE FROM page_completeness_weekly WHERE list_contains(?::DATE[], week_end) AND {flt}",
                [ends, munis, munis])
    con.execute(f"""INSERT INTO page_completeness_weekly BY NAME
                    SELECT * FROM page_completeness_counts WHERE list_contains(?::DATE[], week_end) AND {flt}
                    ORDER BY week_end""",
                [ends, munis, munis])


def _budget(con, months: list, programs: list | None) -> None:
    """int_budget_year at the first day of each of `months` (rows of `programs`, or all)."""
    if not months:
        return
    flt = "(CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, program_code))"
    con.execute(f"DELETE FROM mart_budget_ytd WHERE list_contains(?::DATE[], as_of_month) AND {flt}",
                [months, programs, programs])
    for month in months:
        con.execute(f"""INSERT INTO mart_budget_ytd BY NAME
                        SELECT ?::DATE AS as_of_month, b.* FROM int_budget_year(?::DATE, p_materialised := TRUE) b
                        WHERE {flt}""", [month, month, programs, programs])
