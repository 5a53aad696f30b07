"""The analytics layer (issue 13): value chain, forecast to target, focalización, computed at build
and load time into their own tables (warehouse/sql/5*_analytics_*.sql); pages only read them."""
from __future__ import annotations

import datetime as dt

import duckdb

from warehouse.asof import as_of_date, last_complete_week_end
from warehouse.paths import REFERENCE_DIR

TARGETING_CSV = REFERENCE_DIR / "targeting_sample.csv"


def refresh_targeting(con: duckdb.DuckDBPyConnection, csv_path=TARGETING_CSV) -> None:
    """Reload the CSU pool's inputs (a sample reference CSV) and materialise both rankings' inputs."""
    con.execute("DELETE FROM targeting_inputs")
    con.execute(f"""INSERT INTO targeting_inputs BY NAME
                    SELECT code, pool, precarious_extreme::INTEGER AS precarious_extreme,
                           precarious_high::INTEGER AS precarious_high, violence_index::DOUBLE AS violence_index,
                           capacity::DOUBLE AS capacity, is_sample::BOOLEAN AS is_sample, source_note
                    FROM read_csv('{csv_path}', all_varchar = true)""")
    con.execute("CREATE OR REPLACE TABLE analytics_targeting_csr AS SELECT * FROM analytics_targeting_csr_def()")
    con.execute("CREATE OR REPLACE TABLE analytics_targeting_csu AS SELECT * FROM analytics_targeting_csu_def()")


def chain_programs(con: duckdb.DuckDBPyConnection, indicators: list[str], programs: list[str],
                   window_start) -> list[str] | None:
    """The value chains a load changes (None: all): the programs of the indicators it touched and the
    programs it loaded budget for; all when it touched a Fin indicator (impacto is in every chain) or
    moved the first budget month (the start of every chain's cost window)."""
    if window_start != _budget_start(con):
        return None
    rows = con.execute("SELECT level = 'fin', program_code FROM stg_indicators WHERE list_contains(?, code)",
                       [indicators]).fetchall()
    if any(fin for fin, _ in rows):
        return None
    return sorted({p for _, p in rows if p is not None} | set(programs))


def _budget_start(con):
    return con.execute("SELECT min(month) FROM mart_budget_current").fetchone()[0]


def refresh_value_chain(con: duckdb.DuckDBPyConnection, week_end, programs: list[str] | None = None) -> None:
    """The value chain items at `week_end` for `programs` (None: all), filter-first on the indicators
    they read, from the materialised marts when the week is current there; then the chain table
    (a small aggregate of the items) whole."""
    materialised = con.execute("SELECT marts_ready(?::DATE)", [week_end]).fetchone()[0]
    codes = con.execute("SELECT analytics_value_chain_indicators(?::VARCHAR[], ?)",
                        [programs, materialised]).fetchone()[0]
    items = """SELECT * FROM analytics_value_chain_items_def(?::DATE, p_programs := ?::VARCHAR[],
                                                           p_indicators := ?::VARCHAR[], p_materialised := ?)"""
    params = [week_end, programs, codes, materialised]
    if programs is None:
        con.execute(f"CREATE OR REPLACE TABLE analytics_value_chain_items AS {items}", params)
    else:
        con.execute("DELETE FROM analytics_value_chain_items WHERE list_contains(?, chain_key)", [programs])
        con.execute(f"INSERT INTO analytics_value_chain_items BY NAME {items}", params)
    con.execute("CREATE OR REPLACE TABLE analytics_value_chain AS SELECT * FROM analytics_value_chain_def()")
    start = _budget_start(con) if materialised else None
    con.execute("INSERT OR REPLACE INTO meta VALUES ('analytics_budget_start', ?)",
                [start.isoformat() if start else ""])


def refresh_analytics(con: duckdb.DuckDBPyConnection, indicators: list[str] | None = None,
                      programs: list[str] | None = None, known_after: dt.date | None = None) -> dict:
    """Recompute the analytics at the end of the week under review (inside the caller's write
    transaction). After a fact load, `indicators` (the indicators it touched, [] for a budget load)
    and `programs` (the programs it loaded budget for) limit the work, when the week under review is
    the one already computed: forecasts for those indicators, value chains for the programs they
    concern (chain_programs). None, or a new week, recomputes everything. `known_after`: the earliest
    date anything the load wrote (or reverted) is known (refresh_forecasts keeps the back-test when it
    is after the back-test's cut). Returns what it wrote."""
    from warehouse.analytics.forecast import refresh_forecasts

    day = as_of_date(con)
    week_end = last_complete_week_end(day) if day is not None else None
    stored = dict(con.execute("SELECT key, value FROM meta WHERE key IN ('analytics_week_end', "
                              "'analytics_budget_start')").fetchall())
    partial = indicators is not None and week_end is not None \
        and stored.get("analytics_week_end") == week_end.isoformat()
    if not partial:
        refresh_targeting(con)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('analytics_refreshed', 'true')")
    if week_end is None:
        return {"week_end": None, "forecast_runs": 0}
    con.execute("INSERT OR REPLACE INTO meta VALUES ('analytics_week_end', ?)", [week_end.isoformat()])
    chains = None
    if partial:
        start = stored.get("analytics_budget_start")
        chains = chain_programs(con, indicators, programs or [],
                                dt.date.fromisoformat(start) if start else start)
    refresh_value_chain(con, week_end, chains)
    runs = refresh_forecasts(con, week_end, indicators if partial else None, known_after if partial else None)
    return {"week_end": week_end, "forecast_runs": runs, "value_chains": chains}
