"""Keep the materialised results (warehouse/sql/29_tables_marts.sql) equal to the method.

Called inside the load's (or revert's) transaction, on the same connection, so readers see the new
facts and their results together or not at all. Only what the load can change is recomputed:
  - the weeks the selector offers (the last SNAPSHOT_WEEKS ISO weeks up to the week under review)
    at or after the earliest coalesce(reported_at, period_end) it brought; a week that enters the
    window is computed whole, a week that leaves it is dropped;
  - the indicators it touched (measurements, targets) or the programs (budget);
  - the scopes of the municipalities it touched plus their departments and the nation (a targets
    load: every scope of its indicators, since the plan in force is chosen per indicator); of a
    measurements load only the units (indicator x municipality) it touched are evaluated from the
    facts, the departments and the nation aggregated from them and the other municipalities' stored
    rows (docs/architecture.md "A week's upload").
A revert refreshes what the reverted load had touched (recorded in load_touch when it landed).
Reference loads (indicators, municipalities) and any warehouse whose results are not current with
the load before this one are recomputed whole (refresh_all), as `warehouse build --sample` does.
"""
from __future__ import annotations

import datetime as dt

import duckdb

from warehouse.asof import as_of_date, last_complete_week_end, reads_as_of_once, week_label

SNAPSHOT_WEEKS = 12        # the weeks the filter bar offers (ui/filters.py week_options)
FACT_KINDS = ("measurements", "targets", "budget")
ITEM_COLUMN = {"measurements": "indicator_code", "targets": "indicator_code", "budget": "program_code"}
NO_RESULTS_KINDS = ("boundaries", "participants")   # loads that change no progress result (coverage: its own table)
# the earliest date a fact load can change (targets: any week)
_EARLIEST = {"measurements": "min(coalesce(reported_at, period_end))", "budget": "min(month)",
             "targets": "NULL::DATE"}


def window_weeks(con: duckdb.DuckDBPyConnection, weeks: int = SNAPSHOT_WEEKS) -> dict[dt.date, str]:
    """Week end -> label of the weeks the selector offers (empty on a warehouse without measurements)."""
    day = as_of_date(con)
    if day is None:
        return {}
    last = last_complete_week_end(day)
    ends = [last - dt.timedelta(days=7 * k) for k in range(weeks)]
    return {end: week_label(end) for end in sorted(ends)}


def _stored_weeks(con) -> set[dt.date]:
    return {r[0] for r in con.execute("SELECT DISTINCT week_end FROM mart_progress_weekly").fetchall()}


def _set_fingerprint(con) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES ('marts_fingerprint', marts_fingerprint())")


_WEEKS = "(SELECT unnest(?::VARCHAR[]) AS week, unnest(?::DATE[]) AS week_end) w"
# mart_progress_weekly is written in week order (full and incremental path alike), so a page's
# `week_end = ?` reads its week's row groups only (the zone maps skip the others; two page queries at
# 10 M rows measured 98 -> 57 ms and 101 -> 19 ms on a sorted copy). An incremental refresh appends its
# few rows sorted the same way, in row groups of their own.
PROGRESS_ORDER = "w.week_end, p.scope_type, p.indicator_code, p.scope_code"


def _compute_weeks(con, weeks: dict[dt.date, str]) -> None:
    """Every indicator at every scope for the given weeks (end -> label): the method for all the weeks
    in one statement (mart_progress_weeks: one pass over the versions), then the unfiltered states."""
    if not weeks:
        return
    ends, labels = list(weeks), [weeks[end] for end in weeks]
    for table in ("mart_progress_weekly", "mart_municipality_state_weekly"):
        con.execute(f"DELETE FROM {table} WHERE list_contains(?::DATE[], week_end)", [ends])
    _insert_progress(con, ends, labels)
    _insert_states(con, ends, labels)


def _insert_progress(con, ends: list, labels: list, indicators: list[str] | None = None,
                     scope_filter: str = "TRUE", scope_params: tuple = (), units: list[int] | None = None) -> None:
    """Append the method's rows for the weeks `ends` (labelled `labels`) in one statement, in week
    order: every indicator, or `indicators` only (filter first), at the scopes `scope_filter` keeps;
    `units` (hashes of indicator x municipality): only those units from the facts, the other
    municipalities' rows read back from the table (mart_progress_weeks' p_units)."""
    only = "" if indicators is None else ", p_indicators := ?::VARCHAR[]"
    only += "" if units is None else ", p_units := ?::UBIGINT[]"
    con.execute(f"""INSERT INTO mart_progress_weekly BY NAME
                    SELECT w.week, w.week_end, p.* FROM mart_progress_weeks(?::DATE[]{only}) p
                    JOIN {_WEEKS} ON w.week_end = p.as_of
                    WHERE {scope_filter} ORDER BY {PROGRESS_ORDER}""",
                [ends, *([] if indicators is None else [indicators]), *([] if units is None else [units]),
                 labels, ends, *scope_params])


def _insert_states(con, ends: list, labels: list, codes: list[str] | None = None) -> None:
    """Append the municipality states (unfiltered) for the weeks: every municipality or `codes`."""
    con.execute(f"""INSERT INTO mart_municipality_state_weekly BY NAME
                    SELECT w.week, w.week_end, s.*
                    FROM {_WEEKS}, mart_municipality_state_asof(w.week_end, NULL, NULL, NULL, TRUE,
                                                                p_codes := ?::VARCHAR[]) s""",
                [labels, ends, codes])


def _refresh_budget(con, programs: list[str] | None) -> None:
    """mart_budget_current for all programs, or only `programs`."""
    con.execute("DELETE FROM mart_budget_current WHERE CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, program_code)",
                [programs, programs])
    con.execute("""INSERT INTO mart_budget_current BY NAME
                   SELECT program_code, scope_code, month, approved, modified, scheduled, committed, accrued,
                          paid, is_sample, load_id
                   FROM stg_budget_current
                   WHERE CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, program_code)""", [programs, programs])


@reads_as_of_once
def refresh_all(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Recompute every materialised result (the window's weeks, the states and the budget), then the
    analytics layer whole."""
    from warehouse.analytics import refresh_analytics
    from warehouse.refresh_pages import refresh_pages
    from warehouse.refresh_series import refresh_series
    weeks = _refresh_marts_all(con)
    refresh_series(con)
    refresh_pages(con)
    refresh_analytics(con)
    return weeks


def _refresh_marts_all(con) -> list[str]:
    """Every materialised result, without the analytics layer."""
    _record_missing_touches(con)
    window = window_weeks(con)
    con.execute("DELETE FROM mart_progress_weekly")
    con.execute("DELETE FROM mart_municipality_state_weekly")
    _compute_weeks(con, window)
    _refresh_budget(con, None)
    _set_fingerprint(con)
    return list(window.values())


def _record_touch(con, load_id: int, kind: str) -> None:
    """What a fact load wrote: item x scope, with the earliest date it can change."""
    con.execute(f"""INSERT INTO load_touch BY NAME
                    SELECT ? AS load_id, ? AS kind, {ITEM_COLUMN[kind]} AS item_code, scope_code,
                           {_EARLIEST[kind]} AS earliest
                    FROM {kind} WHERE load_id = ? GROUP BY ALL""", [load_id, kind, load_id])


def _record_missing_touches(con) -> None:
    """load_touch for fact loads written without a refresh (the sample build, load --no-snapshots)."""
    for kind in FACT_KINDS:
        con.execute(f"""INSERT INTO load_touch BY NAME
                        SELECT load_id, '{kind}' AS kind, {ITEM_COLUMN[kind]} AS item_code, scope_code,
                               {_EARLIEST[kind]} AS earliest
                        FROM {kind}
                        WHERE load_id NOT IN (SELECT load_id FROM load_touch)
                        GROUP BY ALL""")


def fingerprint_before(con, load_id: int) -> str | None:
    """marts_fingerprint() as it was just before load `load_id` landed (or was reverted); None when the
    load is unknown, or landed but is not the last one (results cannot be brought forward from an
    unknown state)."""
    last, reverts = con.execute("""SELECT coalesce(max(load_id), 0),
                                          count(*) FILTER (WHERE status = 'reverted') FROM load_log""").fetchone()
    status = con.execute("SELECT status FROM load_log WHERE load_id = ?", [load_id]).fetchone()
    if status is None:
        return None
    if status[0] == "reverted":
        return f"{last}/{reverts - 1}"
    if last != load_id:
        return None
    before = con.execute("SELECT coalesce(max(load_id), 0) FROM load_log WHERE load_id < ?", [load_id]).fetchone()[0]
    return f"{before}/{reverts}"


def current_before(con, load_id: int, key: str = "marts_fingerprint") -> bool:
    """Were the results whose fingerprint meta `key` records (the marts', the series', the pages')
    current just before this load (or this revert)?"""
    stored = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
    return stored is not None and stored[0] == fingerprint_before(con, load_id)


@reads_as_of_once
def refresh_after_load(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> list[str]:
    """Bring the materialised results and the analytics layer up to date after load `load_id` landed
    or was reverted. Returns the labels of the weeks (re)computed."""
    from warehouse.analytics import refresh_analytics
    from warehouse.refresh_pages import refresh_pages
    from warehouse.refresh_series import refresh_series

    weeks, whole = _refresh_marts_after_load(con, load_id)
    refresh_series(con, load_id, whole)
    refresh_pages(con, None if whole else load_id)
    indicators = programs = known_after = None
    if load_id is not None and not whole:        # marts recomputed whole: the analytics too, once
        row = con.execute("""SELECT l.kind, list(DISTINCT t.item_code), min(t.earliest) FROM load_log l
                             LEFT JOIN load_touch t USING (load_id) WHERE l.load_id = ? GROUP BY l.kind""",
                          [load_id]).fetchone()
        if row and row[0] in NO_RESULTS_KINDS:
            return weeks
        if row and row[0] in FACT_KINDS:
            items = [c for c in row[1] if c is not None]
            indicators, programs = ([], items) if row[0] == "budget" else (items, [])
            # a measurements load's facts are known from their report (targets: NULL, at any date)
            known_after = row[2] if row[0] == "measurements" else None
    if indicators is None:
        refresh_analytics(con)
    else:
        refresh_analytics(con, indicators, programs, known_after)
    return weeks


def _refresh_marts_after_load(con: duckdb.DuckDBPyConnection, load_id: int | None) -> tuple[list[str], bool]:
    """The marts after a load or revert: (weeks recomputed, whether everything was recomputed)."""
    row = con.execute("SELECT kind, status FROM load_log WHERE load_id = ?", [load_id]).fetchone() \
        if load_id is not None else None
    if row is None:
        return _refresh_marts_all(con), True
    kind, status = row
    reverted = status == "reverted"
    if kind in FACT_KINDS and not reverted:
        _record_touch(con, load_id, kind)
    if not current_before(con, load_id):
        return _refresh_marts_all(con), True
    if kind in NO_RESULTS_KINDS:
        _set_fingerprint(con)
        return [], False
    if kind not in FACT_KINDS:
        return _refresh_marts_all(con), True
    touched = con.execute("SELECT count(*) FROM load_touch WHERE load_id = ?", [load_id]).fetchone()[0]
    if reverted and touched == 0 and con.execute("SELECT rows_loaded FROM load_log WHERE load_id = ?",
                                                 [load_id]).fetchone()[0]:
        return _refresh_marts_all(con), True     # a load from before load_touch existed: its reach is unknown
    return _refresh_touched(con, load_id, kind), False


def _refresh_touched(con, load_id: int, kind: str) -> list[str]:
    window = window_weeks(con)
    stored = _stored_weeks(con)
    if stored - set(window):                               # weeks that left the selector
        for table in ("mart_progress_weekly", "mart_municipality_state_weekly"):
            con.execute(f"DELETE FROM {table} WHERE NOT list_contains(?::DATE[], week_end)", [list(window)])
    entered = {end: label for end, label in window.items() if end not in stored}
    _compute_weeks(con, entered)                           # weeks that entered it: whole
    done = list(entered.values())
    if kind == "budget":
        programs = [r[0] for r in con.execute("SELECT DISTINCT item_code FROM load_touch WHERE load_id = ?",
                                              [load_id]).fetchall()]
        _refresh_budget(con, programs)
        _set_fingerprint(con)
        return done
    indicators, earliest = con.execute("""SELECT list(DISTINCT item_code), min(earliest) FROM load_touch
                                          WHERE load_id = ?""", [load_id]).fetchone()
    if not indicators:
        _set_fingerprint(con)
        return done
    every_scope = kind == "targets"
    munis = None if every_scope else [r[0] for r in con.execute(
        "SELECT DISTINCT scope_code FROM load_touch WHERE load_id = ? AND scope_code <> 'national'",
        [load_id]).fetchall()]
    weeks = {end: label for end, label in window.items()
             if end in stored and label not in done and (earliest is None or end >= earliest)}
    _recompute(con, weeks, indicators, munis, load_id)
    _set_fingerprint(con)
    return sorted(done + list(weeks.values()))


def _recompute(con, weeks: dict[dt.date, str], indicators: list[str], munis: list[str] | None,
               load_id: int) -> None:
    """The method for `indicators` at the given weeks (end -> label), replacing their rows at the
    touched scopes, then the states of the touched municipalities: one statement per mart for all the
    weeks, as _compute_weeks. munis None (a targets load): every scope from the facts. Otherwise only
    the units (indicator x municipality) load `load_id` touched are evaluated from the facts and
    replaced, with their departments and the nation aggregated from them and the other
    municipalities' stored rows (mart_progress_weeks' p_units): the cost of the touched units'
    facts, not of every unit of the touched indicators."""
    if not weeks:
        return
    ends, labels = list(weeks), [weeks[end] for end in weeks]
    if munis is None:
        scope_filter, sp, units = "TRUE", [], None
    else:
        units = con.execute("""SELECT list(DISTINCT hash(item_code, scope_code)) FROM load_touch
                               WHERE load_id = ? AND scope_code <> 'national'""", [load_id]).fetchone()[0] or []
        scope_filter = """(scope_type = 'nacional'
                           OR (scope_type = 'municipio' AND hash(indicator_code, scope_code) IN (SELECT unnest(?::UBIGINT[])))
                           OR (scope_type = 'departamento' AND scope_code IN
                               (SELECT department_code FROM municipalities WHERE list_contains(?, code))))"""
        sp = [units, munis]
    con.execute(f"""DELETE FROM mart_progress_weekly
                    WHERE list_contains(?::DATE[], week_end) AND list_contains(?, indicator_code)
                      AND {scope_filter}""", [ends, indicators, *sp])
    _insert_progress(con, ends, labels, indicators, scope_filter, sp, units)
    codes = munis if munis is not None else [r[0] for r in con.execute("SELECT code FROM municipalities").fetchall()]
    con.execute("""DELETE FROM mart_municipality_state_weekly
                   WHERE list_contains(?::DATE[], week_end) AND list_contains(?, code)""", [ends, codes])
    _insert_states(con, ends, labels, codes)
