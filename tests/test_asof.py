"""The as-of date is read once inside a refresh (warehouse.asof.reads_as_of_once) and afresh outside it."""
from __future__ import annotations

import duckdb
import pytest

from warehouse.asof import as_of_date, reads_as_of_once
from warehouse.store import clone_warehouse, write_transaction


class _Abort(Exception):
    pass


def test_a_refresh_reads_the_as_of_date_once_and_afresh_after_it(sample_warehouse, tmp_path):
    path = tmp_path / "w.duckdb"
    clone_warehouse(sample_warehouse, path)
    seen = []

    @reads_as_of_once
    def step(con):
        con.execute("DROP VIEW stg_as_of")           # a second read would fail now
        seen.extend([as_of_date(con), as_of_date(con)])

    with pytest.raises(_Abort), write_transaction(path) as con:
        expected = as_of_date(con)
        step(con)
        with pytest.raises(duckdb.CatalogException):
            as_of_date(con)                           # outside the step: read again
        raise _Abort
    assert expected is not None and seen == [expected, expected]
