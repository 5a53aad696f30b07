"""Forecast to target and its back-test: the robust fit per indicator (national scope), written to
`analytics_forecast_runs`; the projected semáforo and the flags are SQL (52_analytics_forecast.sql).

A level (stock, running totals) is projected at the date; a flujo (summed within the year) is the
year's running value so far plus the trend of each period still to come in that year.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import polars as pl

from warehouse.analytics.bulk_fits import horizon_errors_many, predict_sums
from warehouse.analytics.robust_trend import METHOD_BOOTSTRAP, level_interval, predict_level, predict_sum

MIN_POINTS = 3
ORIGIN = dt.date(2000, 1, 1)
RUN_SCHEMA = {"run": pl.String, "indicator_code": pl.String, "fit_date": pl.Date, "eval_date": pl.Date,
              "n_points": pl.Int32, "first_end": pl.Date, "last_end": pl.Date, "last_value": pl.Float64,
              "slope_per_year": pl.Float64, "intercept": pl.Float64, "projected_value": pl.Float64,
              "projected_low": pl.Float64, "projected_high": pl.Float64, "actual_value": pl.Float64,
              "method": pl.String, "x_origin": pl.Date}     # analytics_forecast_runs (52_analytics_forecast.sql)


def years(day: dt.date) -> float:
    """A date as years since ORIGIN (the fit's x)."""
    return (day - ORIGIN).days / 365.25


def next_period_end(end: dt.date, period_type: str) -> dt.date:
    """The end of the period after the one ending at `end` (W, M, Q, Y or D)."""
    if period_type == "W":
        return end + dt.timedelta(days=7)
    if period_type == "D":
        return end + dt.timedelta(days=1)
    months = {"M": 1, "Q": 3, "Y": 12}[period_type]
    start = end + dt.timedelta(days=1)
    index = start.month - 1 + months
    return dt.date(start.year + index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def _fit_inputs(points: list[dict], accumulation: str, to: dt.date) -> dict | None:
    """What a series' fit needs (x, y, targets, base, whether a level) and the row's descriptive
    columns; None when the series cannot be projected to `to`."""
    points = [p for p in points if (p["period_value"] if accumulation == "flujo" else p["value"]) is not None]
    if len(points) < MIN_POINTS or len({p["period_end"] for p in points}) < 2:
        return None
    last = points[-1]
    x = [years(p["period_end"]) for p in points]
    if accumulation == "flujo":
        if last["period_end"] >= to:
            return None
        y = [p["period_value"] for p in points]
        base = last["value"] if last["period_end"].year == to.year else 0.0
        ends, end = [], last["period_end"]
        while True:
            end = next_period_end(end, last["period_type"])
            if end > to:
                break
            if end.year == to.year:
                ends.append(years(end))
        targets, is_level = ends, False
    else:
        y = [p["value"] for p in points]
        targets, base, is_level = [years(to)], 0.0, True
    return {"x": x, "y": y, "targets": targets, "base": base, "level": is_level,
            "row": {"n_points": len(points), "first_end": points[0]["period_end"], "last_end": last["period_end"],
                    "last_value": last["value"]}}


def _fit_row(inputs: dict, point, low, high, slope, intercept, method) -> dict:
    return {**inputs["row"], "slope_per_year": slope, "intercept": intercept, "projected_value": point,
            "projected_low": low, "projected_high": high, "method": method}


def forecast_series(points: list[dict], accumulation: str, to: dt.date) -> dict | None:
    """Project a series (dicts with period_end, period_type, value, period_value) to date `to`."""
    inputs = _fit_inputs(points, accumulation, to)
    if inputs is None:
        return None
    if inputs["level"]:
        return _fit_row(inputs, *predict_level(inputs["x"], inputs["y"], inputs["targets"][0]))
    return _fit_row(inputs, *predict_sum(inputs["x"], inputs["y"], inputs["targets"], inputs["base"]), METHOD_BOOTSTRAP)


def forecast_many(series: list[tuple[list[dict], str, dt.date]]) -> list[dict | None]:
    """[forecast_series(points, accumulation, to) for each], equal number for number, the bootstraps
    in bulk (bulk_fits.predict_sums)."""
    inputs = [_fit_inputs(*one) for one in series]
    fitted = [one for one in inputs if one is not None]
    sums = iter(predict_sums([(one["x"], one["y"], one["targets"], one["base"]) for one in fitted]))
    levels = [one for one in fitted if one["level"]]
    errors = iter(horizon_errors_many([(one["x"], one["y"], one["targets"][0] - float(np.max(one["x"])))
                                       for one in levels]))
    out = []
    for one in inputs:
        if one is None:
            out.append(None)
        elif one["level"]:
            point, low, high, slope, intercept = next(sums)
            low, high, method = level_interval(point, low, high, next(errors))
            out.append(_fit_row(one, point, low, high, slope, intercept, method))
        else:
            out.append(_fit_row(one, *next(sums), METHOD_BOOTSTRAP))
    return out


def _series_many(con, as_of: dt.date, codes: list[str]) -> dict[str, list[dict]]:
    """Each indicator's national series as known at `as_of`, all in one query: the stored series
    (mart_series_weekly, the same macro's rows, written just before by warehouse/refresh_series.py)
    when `as_of` is a stored week and they are current, else the macro (mart_series_many_asof)."""
    out = {code: [] for code in codes}
    if not codes:
        return out
    stored = con.execute("""SELECT series_current()
                                   AND EXISTS (SELECT 1 FROM mart_series_weeks WHERE week_end = ?::DATE)""",
                         [as_of]).fetchone()[0]
    source = ("""(SELECT * FROM mart_series_weekly WHERE ?::DATE BETWEEN valid_from AND valid_to
                   AND scope_code = 'national' AND list_contains(?::VARCHAR[], indicator_code))""" if stored
              else "mart_series_many_asof(?::DATE, ?::VARCHAR[], 'national')")
    rows = con.execute(f"""SELECT indicator_code, period_end, period_type, value, period_value FROM {source}
                           ORDER BY indicator_code, period_end""", [as_of, list(codes)]).fetchall()
    for code, period_end, period_type, value, period_value in rows:
        out[code].append({"period_end": period_end, "period_type": period_type, "value": value,
                          "period_value": period_value})
    return out


def _series(con, as_of: dt.date, code: str) -> list[dict]:
    return _series_many(con, as_of, [code])[code]


def _targets(con, as_of: dt.date, indicators: list[str] | None = None, materialised: bool = False) -> list[tuple]:
    """(indicator, target date, accumulation) of the indicators with a national target at `as_of`;
    `indicators` limits the method to those, filter-first (6 s for all at 10 M rows); `materialised`
    reads the week's stored results instead."""
    return con.execute("""
        SELECT p.indicator_code, p.target_date, i.accumulation
        FROM national_progress_at(?::DATE, ?::VARCHAR[], ?) p
        JOIN stg_indicators i ON i.code = p.indicator_code
        WHERE p.target_value IS NOT NULL AND p.baseline_value IS NOT NULL
          AND p.target_value <> p.baseline_value
        ORDER BY p.indicator_code""", [as_of, None if indicators is None else list(indicators),
                                       materialised]).fetchall()


def year_earlier(day: dt.date) -> dt.date:
    return day.replace(year=day.year - 1, day=28 if (day.month, day.day) == (2, 29) else day.day)


def fit_runs(targets: list[tuple], now: dict, past: dict, as_of: dt.date, cut: dt.date,
             kept: dict | None = None) -> list[tuple]:
    """The runs of refresh_forecasts, (run, code, fit date, eval date, actual value, fit), in its order:
    each indicator's 'actual' fit (series at `as_of`, to its target date), then its 'backtest' fit
    (series at `cut`, to `as_of`), every series fitted in one bulk call. `kept`: back-test fits already
    stored for these (cut, as_of), taken instead of fitting `past` again (refresh_forecasts says when)."""
    kept = kept or {}
    refit = [(code, accumulation) for code, _, accumulation in targets if code not in kept]
    fits = iter(forecast_many([(now[code], accumulation, target_date) for code, target_date, accumulation in targets]
                              + [(past[code], accumulation, as_of) for code, accumulation in refit]))
    actual = [next(fits) for _ in targets]
    backs = {**{code: next(fits) for code, _ in refit}, **kept}
    rows = []
    for (code, target_date, _), fit in zip(targets, actual):
        back = backs[code]
        if fit:
            rows.append(("actual", code, as_of, target_date, None, fit))
        if back and now[code]:
            rows.append(("backtest", code, cut, as_of, now[code][-1]["value"], back))
    return rows


FIT_COLUMNS = [c for c in RUN_SCHEMA if c not in ("run", "indicator_code", "fit_date", "eval_date", "actual_value",
                                                  "x_origin")]


def _kept_backtests(con, cut: dt.date, as_of: dt.date, codes: list[str]) -> dict[str, dict]:
    """The stored back-test fits of `codes` for this cut and week under review, as fits (only those
    whose semáforo at the cut is stored too)."""
    rows = con.execute(f"""SELECT indicator_code, {', '.join(FIT_COLUMNS)} FROM analytics_forecast_runs
                           WHERE run = 'backtest' AND fit_date = ? AND eval_date = ? AND x_origin = ?
                             AND list_contains(?::VARCHAR[], indicator_code)
                             AND indicator_code IN (SELECT indicator_code FROM analytics_backtest_cut
                                                    WHERE fit_date = ?)""",
                       [cut, as_of, ORIGIN, codes, cut]).fetchall()
    return {code: dict(zip(FIT_COLUMNS, rest)) for code, *rest in rows}


def _store_cut_semaforos(con, cut: dt.date, codes: list[str] | None) -> None:
    """analytics_backtest_cut for `codes` (None: every indicator): the method's national semáforo at
    the cut, read by analytics_backtest_def."""
    con.execute("DELETE FROM analytics_backtest_cut WHERE CAST(? AS VARCHAR[]) IS NULL OR list_contains(?, indicator_code)",
                [codes, codes])
    con.execute("""INSERT INTO analytics_backtest_cut
                   SELECT indicator_code, ?::DATE, semaforo
                   FROM mart_progress_asof(?::DATE, p_indicators := ?::VARCHAR[], p_scope := 'national')
                   WHERE scope_type = 'nacional'""", [cut, cut, codes])


def refresh_forecasts(con: duckdb.DuckDBPyConnection, as_of: dt.date, indicators: list[str] | None = None,
                      known_after: dt.date | None = None) -> int:
    """Fit every indicator with a target at `as_of` (run 'actual', to its target date) and one year
    earlier (run 'backtest', to `as_of`), then materialise the forecast and back-test tables.
    `indicators` limits the refit to those (the others' runs, fitted at the same `as_of`, stay).
    `known_after`: no fact the load wrote or reverted is known before this date; when it is after the
    cut, the series at the cut is what it was, so the stored back-test fits of these indicators are
    kept (their value at `as_of` is taken anew) instead of evaluating that series and fitting it again,
    and so is their semáforo at the cut (analytics_backtest_cut) instead of the method at the cut."""
    cut = year_earlier(as_of)
    # the week under review is normally materialised and current: read it instead of the method
    materialised = con.execute("SELECT marts_ready(?::DATE)", [as_of]).fetchone()[0]
    targets = _targets(con, as_of, indicators, materialised)
    # all series in one query per date, filter-first (the indicators pass below the version ranking)
    codes = [code for code, *_ in targets]
    reuse = indicators is not None and known_after is not None and known_after > cut
    kept = _kept_backtests(con, cut, as_of, codes) if reuse else {}
    now, past = _series_many(con, as_of, codes), _series_many(con, cut, [c for c in codes if c not in kept])
    rows = fit_runs(targets, now, past, as_of, cut, kept)
    if indicators is None:
        con.execute("DELETE FROM analytics_forecast_runs")
    else:
        con.execute("DELETE FROM analytics_forecast_runs WHERE list_contains(?, indicator_code)", [list(indicators)])
    if rows:                           # one INSERT from a frame (executemany costs a statement per row)
        runs = pl.DataFrame([(run, code, fit_date, eval_date, fit["n_points"], fit["first_end"], fit["last_end"],
                              fit["last_value"], fit["slope_per_year"], fit["intercept"], fit["projected_value"],
                              fit["projected_low"], fit["projected_high"], actual, fit["method"], ORIGIN)
                             for run, code, fit_date, eval_date, actual, fit in rows], schema=RUN_SCHEMA, orient="row")
        con.register("_forecast_runs", runs)
        try:
            con.execute("INSERT INTO analytics_forecast_runs SELECT * FROM _forecast_runs")
        finally:
            con.unregister("_forecast_runs")
    _store_cut_semaforos(con, cut, None if indicators is None else [c for c in indicators if c not in kept])
    for table, model in (("analytics_forecast", "analytics_forecast_def"), ("analytics_backtest", "analytics_backtest_def")):
        if indicators is None:
            con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {model}(p_materialised := ?)",
                        [materialised])
        else:                          # only the refitted indicators' rows (the method filter-first)
            con.execute(f"DELETE FROM {table} WHERE list_contains(?, indicator_code)", [list(indicators)])
            con.execute(f"INSERT INTO {table} SELECT * FROM {model}(p_indicators := ?::VARCHAR[], "
                        "p_materialised := ?)", [list(indicators), materialised])
    return len(rows)
