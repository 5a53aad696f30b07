"""The analytics layer (issue 13): value chain, forecast to target, focalización, computed at build
and load time into their own tables (warehouse/sql/5*_analytics_*.sql); pages only read them."""
from __future__ import annotations

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


def refresh_value_chain(con: duckdb.DuckDBPyConnection, week_end) -> None:
    con.execute("CREATE OR REPLACE TABLE analytics_value_chain_items AS "
                "SELECT * FROM analytics_value_chain_items_def(?::DATE)", [week_end])
    con.execute("CREATE OR REPLACE TABLE analytics_value_chain AS SELECT * FROM analytics_value_chain_def()")


def refresh_analytics(con: duckdb.DuckDBPyConnection, indicators: list[str] | None = None) -> dict:
    """Recompute the analytics at the end of the week under review (inside the caller's write
    transaction). `indicators` (after a fact load: the indicators it touched, [] for a budget load)
    limits the forecasts to those when the week under review is the one already computed; None, or a
    new week, recomputes everything. Returns what it wrote."""
    from warehouse.analytics.forecast import refresh_forecasts

    day = as_of_date(con)
    week_end = last_complete_week_end(day) if day is not None else None
    stored = con.execute("SELECT value FROM meta WHERE key = 'analytics_week_end'").fetchone()
    partial = indicators is not None and week_end is not None and stored is not None \
        and stored[0] == week_end.isoformat()
    if not partial:
        refresh_targeting(con)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('analytics_refreshed', 'true')")
    if week_end is None:
        return {"week_end": None, "forecast_runs": 0}
    con.execute("INSERT OR REPLACE INTO meta VALUES ('analytics_week_end', ?)", [week_end.isoformat()])
    refresh_value_chain(con, week_end)
    runs = refresh_forecasts(con, week_end, indicators if partial else None)
    return {"week_end": week_end, "forecast_runs": runs}
