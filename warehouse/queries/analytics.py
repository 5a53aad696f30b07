"""Queries of the analytics layer (issue 13): value chain, forecast to target, focalización.

Read the materialised tables (warehouse/sql/5*_analytics_*.sql); every function takes a viewer
and scopes rows with `scope_clause`. The value chain and the forecast are national figures
('national' scope); the targeting lists are per municipality (`code`).
"""
from __future__ import annotations

import datetime as dt

import polars as pl

from warehouse.query import Viewer, fetch, scope_clause

CSU_SLOTS = 25          # seed: the first 25 of the 50 CSU municipalities are the 2010-2014 goal


def _analytics_meta(viewer: Viewer, path=None) -> dict:
    """The analytics keys of `meta` (one query for analytics_ready and analytics_week_end)."""
    where, params = scope_clause("'national'", viewer)
    frame = fetch(f"SELECT key, value FROM meta WHERE key IN ('analytics_refreshed', 'analytics_week_end') "
                  f"AND {where}", params, path)
    return dict(zip(frame["key"].to_list(), frame["value"].to_list()))


def analytics_ready(viewer: Viewer, path=None) -> bool:
    """Whether refresh_analytics has run on this warehouse (one built before it has no such tables)."""
    return "analytics_refreshed" in _analytics_meta(viewer, path)


def analytics_week_end(viewer: Viewer, path=None) -> dt.date | None:
    """The week end the analytics were computed at (the week under review of the last build or load)."""
    value = _analytics_meta(viewer, path).get("analytics_week_end")
    return dt.date.fromisoformat(value) if value else None


# --- cadena de valor público -------------------------------------------------------------------
def value_chain_options(viewer: Viewer, path=None) -> pl.DataFrame:
    """Chains to choose from: the four ejes, then every program (key, label)."""
    where, params = scope_clause("'national'", viewer)
    return fetch(f"""
        SELECT chain_type, chain_key, label FROM page_value_chain_options WHERE {where}
        ORDER BY chain_type = 'programa', chain_key""", params, path)      # model page_value_chain_options (59)


def value_chain(chain_key: str, viewer: Viewer, path=None) -> pl.DataFrame:
    """The four links of one chain, in order, with their semáforo and counts."""
    where, params = scope_clause("'national'", viewer)
    return fetch(f"""SELECT * FROM analytics_value_chain WHERE chain_key = ? AND {where} ORDER BY link_order""",
                 [chain_key, *params], path)


def value_chain_items(chain_key: str, viewer: Viewer, path=None) -> pl.DataFrame:
    """The items behind each link (the budget line, each indicator), with costs per unit; an eje
    gathers its programs' items (model page_value_chain_items, 59_page_value_chain.sql)."""
    where, params = scope_clause("'national'", viewer)
    return fetch(f"""
        SELECT link, item_code, item_name, unit, value, target_value, semaforo, units_ytd, cost_per_unit,
               result_gain, cost_per_result, window_start, link_order
        FROM page_value_chain_items
        WHERE chain_key = ? AND {where}
        ORDER BY link_order, item_code""", [chain_key, *params], path)


# --- pronóstico a la meta ----------------------------------------------------------------------
FORECAST_COLUMNS = """f.indicator_code, f.name, f.unit, f.semaforo_now, f.value_now, f.target_kind, f.target_date,
       f.baseline_value, f.target_value, f.projected_value, f.projected_low, f.projected_high,
       f.projected_progress, f.semaforo_projected, f.flag, f.method, f.n_points, f.first_end, f.last_end,
       f.slope_per_year, f.intercept, f.x_origin, f.fit_date"""      # model page_forecast (54_page_forecast.sql)


def forecast(code: str, viewer: Viewer, path=None) -> dict | None:
    """The national forecast of one indicator (None when it has no target or too short a series)."""
    where, params = scope_clause("f.scope_code", viewer)
    frame = fetch(f"""SELECT {FORECAST_COLUMNS} FROM page_forecast f
                      WHERE f.indicator_code = ? AND {where}""", [code, *params], path)
    return frame.row(0, named=True) if frame.height else None


def forecast_flags(viewer: Viewer, path=None) -> pl.DataFrame:
    """Indicators whose pace changes their color by the target date: verde that will miss, rojo that
    will recover ('se desvía' first)."""
    where, params = scope_clause("f.scope_code", viewer)
    return fetch(f"""SELECT {FORECAST_COLUMNS} FROM page_forecast f
                     WHERE f.flag IS NOT NULL AND {where}
                     ORDER BY f.flag = 'se recupera', f.projected_progress, f.indicator_code""", params, path)


def backtest_summary(viewer: Viewer, path=None) -> pl.DataFrame:
    """Precision and recall of each flag and the interval's coverage, one year back."""
    where, params = scope_clause("'national'", viewer)
    return fetch(f"""SELECT * FROM page_backtest_summary WHERE {where} ORDER BY flag DESC""", params, path)


def backtest_rows(viewer: Viewer, path=None) -> pl.DataFrame:
    where, params = scope_clause("'national'", viewer)
    return fetch(f"""SELECT indicator_code, semaforo_cut, semaforo_predicted, semaforo_actual, projected_low,
                            projected_value, projected_high, actual_value, covered, flag, outcome
                     FROM analytics_backtest WHERE {where} ORDER BY indicator_code""", params, path)


# --- focalización ------------------------------------------------------------------------------
def targeting_csu(w_settlements: float, w_violence: float, w_capacity: float, viewer: Viewer,
                  slots: int = CSU_SLOTS, path=None) -> pl.DataFrame:
    """The CSU pool ranked under the given weights beside Cuadro 1 (macro targeting_rank)."""
    where, params = scope_clause("code", viewer)
    return fetch(f"""
        SELECT weighted_rank, official_rank, change, code, municipality, department, department_code,
               precarious_extreme, precarious_high, settlements, violence_index, capacity,
               round(score, 4) AS score, enters, lat, lon, is_sample
        FROM targeting_rank(?::DOUBLE, ?::DOUBLE, ?::DOUBLE, ?::INTEGER) WHERE {where}
        ORDER BY weighted_rank""", [w_settlements, w_violence, w_capacity, slots, *params], path)


def targeting_csr(viewer: Viewer, path=None) -> pl.DataFrame:
    """CSR municipalities in order of entry by the IIMM (severa first) beside the official order."""
    where, params = scope_clause("code", viewer)
    return fetch(f"""
        SELECT iimm_rank, official_rank, code, municipality, department, department_code, csr_group, iimm,
               lat, lon, is_sample
        FROM analytics_targeting_csr WHERE {where} ORDER BY iimm_rank""", params, path)
