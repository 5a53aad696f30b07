"""Shared fixtures: a small warehouse built in a temporary folder with hand-made facts."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from warehouse.reference import seed_reference
from warehouse.store import read_connection, write_transaction

ROOT = Path(__file__).resolve().parent.parent


class MiniWarehouse:
    """Writes indicators, targets and measurements straight into tables (method tests only)."""

    def __init__(self, path: Path):
        self.path = path
        self.next_load = 1
        with write_transaction(path) as con:
            seed_reference(con)

    def indicator(self, code, frequency="mensual", accumulation="stock", sentido="ascendente",
                  denominator=None, scale=1.0, cumulative=False, deadline=15, scope_level="municipal"):
        with write_transaction(self.path) as con:
            con.execute("""INSERT INTO indicators (code, name, program_code, level, type, dimension, unit,
                           scale, sentido, accumulation, reports_cumulative, frequency, deadline_days,
                           formula_denominator, scope_level)
                           VALUES (?, ?, 'CS', 'componente', 'producto', 'eficacia', 'u', ?, ?, ?, ?, ?, ?, ?, ?)""",
                        [code, f"Indicador {code}", scale, sentido, accumulation, cumulative, frequency,
                         deadline, denominator, scope_level])

    def target(self, code, scope, baseline_date, baseline, target_date, target, kind="PQD-2014"):
        with write_transaction(self.path) as con:
            con.execute("INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?, ?, false, ?)",
                        [code, scope, kind, baseline_date, baseline, target_date, target, self._load()])

    def measure(self, code, scope, period_end, value=None, num=None, den=None, reported=None,
                period_type="M"):
        start = period_end.replace(day=1) if period_type == "M" else period_end
        with write_transaction(self.path) as con:
            con.execute("""INSERT INTO measurements VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, false, ?)""",
                        [code, scope, period_end.isoformat()[:7] if period_type == "M" else period_end.isoformat(),
                         period_type, start, period_end, value, num, den, reported, self._load()])

    def _load(self):
        self.next_load += 1
        return self.next_load

    def progress(self, as_of: dt.date) -> dict:
        with read_connection(self.path) as con:
            rows = con.execute("SELECT * FROM mart_progress_asof(?)", [as_of]).fetchall()
            cols = [d[0] for d in con.description]
        return {(r[cols.index("indicator_code")], r[cols.index("scope_code")]): dict(zip(cols, r)) for r in rows}


@pytest.fixture
def mini(tmp_path) -> MiniWarehouse:
    return MiniWarehouse(tmp_path / "mini.duckdb")
