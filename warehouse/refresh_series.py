"""Keep mart_series_weekly (warehouse/sql/35_mart_series_weekly.sql) equal to the method's series
(int_series_scopes_asof) at the nation and every department, for the latest SERIES_WEEKS weeks the
selector offers (stored_window).

Called by warehouse/refresh.py after the other marts, in the same transaction. Each point is stored
once per version (valid_from .. valid_to, selector week ends). A week is computed from the one
before it: an indicator's series at week w is a function of the facts visible at w (period ended and
reported by w) and of the plan in force at w, so only the indicators with a fact that became visible
during the week, or whose plan changed, are evaluated; the points of the others, and the unchanged
points of those, have their valid_to moved on. After a load or a revert only the indicators it
touched are recomputed, from the first selector week its facts can reach; a week entering the window
is computed from the week before it; anything else (no stored series, a catalogue load, results not
current before the load) rebuilds the whole table.
"""
from __future__ import annotations

import datetime as dt

import duckdb

from warehouse.refresh import current_before, window_weeks

SERIES_KINDS = ("measurements", "targets")     # the fact loads that change a series
SERIES_WEEKS = 1          # the selector's latest weeks stored (the week under review); earlier ones: the method
_POINT = ("indicator_code", "scope_code", "period_end", "period", "period_type", "units", "segment",
          "accumulation", "value", "period_value")
_SAME_POINT = " AND ".join(f"m.{c} IS NOT DISTINCT FROM n.{c}" for c in _POINT)


def refresh_series(con: duckdb.DuckDBPyConnection, load_id: int | None = None, whole: bool = True) -> None:
    """Bring mart_series_weekly up to date after load `load_id` landed or was reverted (`whole`: the
    other marts were recomputed whole, so this table is too)."""
    window = stored_window(con)
    if whole or load_id is None or not current_before(con, load_id, "series_fingerprint") or not _shift_window(con, window):
        _rebuild(con, window)
    else:
        kind, = con.execute("SELECT kind FROM load_log WHERE load_id = ?", [load_id]).fetchone()
        if kind in SERIES_KINDS:
            indicators, earliest = con.execute("""SELECT list(DISTINCT item_code), min(earliest) FROM load_touch
                                                  WHERE load_id = ?""", [load_id]).fetchone()
            if indicators:
                _recompute_from(con, window, indicators, earliest)
    con.execute("INSERT OR REPLACE INTO meta VALUES ('series_fingerprint', marts_fingerprint())")


def stored_window(con) -> list[dt.date]:
    """The selector weeks whose series are stored: the last SERIES_WEEKS. Each stored week costs one
    evaluation of every changed indicator at a rebuild (11-16 CPU-s at 10 M rows, 1 s on the sample);
    an earlier week is read through the method (about 0.1 s for a national series at 10 M)."""
    return sorted(window_weeks(con))[-SERIES_WEEKS:]


def _rebuild(con, window: list[dt.date]) -> None:
    """Every indicator at every aggregate scope for every week of the window."""
    con.execute("DELETE FROM mart_series_weekly")
    prev = None
    for week in window:
        _advance(con, prev, week, None, force=prev is None)
        prev = week
    _store_weeks(con, window)


def _shift_window(con, window: list[dt.date]) -> bool:
    """Compute the weeks that entered the stored window after the stored ones (from the last stored
    week still before them), then drop the weeks that left; False when the stored weeks cannot be
    carried on (none stored, or a week to add before or between them): the caller rebuilds."""
    stored = sorted(r[0] for r in con.execute("SELECT week_end FROM mart_series_weeks").fetchall())
    if not stored or not window:
        return False
    kept = [w for w in stored if w in window]
    entered = [w for w in window if w not in stored]
    if kept and (kept != window[:len(kept)] or any(w < kept[-1] for w in entered)):
        return False
    if not kept and stored[-1] >= window[0]:
        return False
    prev = kept[-1] if kept else stored[-1]     # the window moved past every stored week: carry on from the last
    for week in entered:
        _advance(con, prev, week, None)
        prev = week
    con.execute("DELETE FROM mart_series_weekly WHERE valid_to < ?", [window[0]])
    con.execute("UPDATE mart_series_weekly SET valid_from = ? WHERE valid_from < ?", [window[0], window[0]])
    _store_weeks(con, window)
    return True


def _recompute_from(con, window: list[dt.date], indicators: list[str], earliest: dt.date | None) -> None:
    """Recompute `indicators` for the weeks a load reaching back to `earliest` can change (every week
    when None: a targets load)."""
    weeks = [w for w in window if earliest is None or w >= earliest]
    if not weeks:
        return
    prev = max((w for w in window if w < weeks[0]), default=None)
    con.execute("DELETE FROM mart_series_weekly WHERE list_contains(?, indicator_code) AND valid_from >= ?",
                [indicators, weeks[0]])
    if prev is not None:
        con.execute("""UPDATE mart_series_weekly SET valid_to = ?
                       WHERE list_contains(?, indicator_code) AND valid_to >= ?""", [prev, indicators, weeks[0]])
    for i, week in enumerate(weeks):
        # the load's own facts (or a revert's missing ones) are not seen as a change by date
        _advance(con, prev, week, indicators, force=i == 0)
        prev = week


def _changed(con, prev: dt.date, week: dt.date, candidates: list[str] | None) -> list[str]:
    """The candidates (None: all) whose series can differ between weeks `prev` and `week`: a fact
    became visible in between (stg_measurement_asof's date rule), or the plan in force changed."""
    return [r[0] for r in con.execute("""
        SELECT DISTINCT indicator_code FROM measurements
        WHERE greatest(period_end, coalesce(reported_at, period_end)) > ?
          AND greatest(period_end, coalesce(reported_at, period_end)) <= ?
          AND (CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, indicator_code))
        UNION
        SELECT indicator_code FROM int_target_kind_asof(?::DATE, p_indicators := ?::VARCHAR[]) a
        FULL JOIN int_target_kind_asof(?::DATE, p_indicators := ?::VARCHAR[]) b USING (indicator_code)
        WHERE a.target_kind IS DISTINCT FROM b.target_kind OR a.baseline_date IS DISTINCT FROM b.baseline_date""",
        [prev, week, candidates, candidates, prev, candidates, week, candidates]).fetchall()]


def _advance(con, prev: dt.date | None, week: dt.date, candidates: list[str] | None, force: bool = False) -> None:
    """Store week `week` for the candidates (None: all indicators), given their rows stored up to
    `prev` (valid_to = prev): unchanged points are carried on, new ones inserted. `force`: evaluate
    every candidate (no change detection)."""
    if candidates is None:
        candidates_all = [r[0] for r in con.execute("SELECT code FROM stg_indicators").fetchall()]
    else:
        candidates_all = candidates
    evaluate = candidates_all if force or prev is None else _changed(con, prev, week, candidates)
    if prev is not None:                       # the points of indicators without a change hold on
        con.execute("""UPDATE mart_series_weekly SET valid_to = ?
                       WHERE valid_to = ? AND list_contains(?, indicator_code)
                         AND NOT list_contains(?, indicator_code)""", [week, prev, candidates_all, evaluate])
    if not evaluate:
        return
    con.execute("""CREATE OR REPLACE TEMP TABLE series_week AS
                   SELECT * FROM int_series_scopes_asof(?::DATE, ?::VARCHAR[], NULL)""", [week, evaluate])
    if prev is not None:
        con.execute(f"""UPDATE mart_series_weekly m SET valid_to = ? FROM series_week n
                        WHERE m.valid_to = ? AND m.indicator_code = n.indicator_code AND {_SAME_POINT}""",
                    [week, prev])
    con.execute(f"""INSERT INTO mart_series_weekly BY NAME
                    SELECT n.*, ?::DATE AS valid_from, ?::DATE AS valid_to FROM series_week n
                    WHERE NOT EXISTS (SELECT 1 FROM mart_series_weekly m
                                      WHERE m.valid_to = ? AND m.indicator_code = n.indicator_code AND {_SAME_POINT})
                    ORDER BY n.indicator_code, n.scope_code, n.period_end""", [week, week, week])
    con.execute("DROP TABLE series_week")


def _store_weeks(con, window: list[dt.date]) -> None:
    con.execute("DELETE FROM mart_series_weeks")
    if window:
        con.execute("INSERT INTO mart_series_weeks SELECT unnest(?::DATE[])", [window])
