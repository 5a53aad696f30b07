"""The read path of warehouse.query: one cached catalog attachment, side files only per query, a
result cache keyed by the files a query reads, and plain page SQL equal to the warehouse macros."""
import subprocess
import sys

import duckdb
import pytest

from tests.test_loaders import seed
from warehouse import audit, query
from warehouse.paths import ROOT, side_path
from warehouse.store import read_connection, write_transaction

COUNT = "SELECT count(*) AS n FROM indicators"


def _in_other_process(code: str) -> str:
    """Run `code` in a fresh Python (DuckDB's file locks are per process) and return its stdout."""
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_a_held_catalog_blocks_no_writer_and_the_next_query_sees_the_new_version(tmp_path):
    path = seed(tmp_path / "w.duckdb")
    assert query.fetch(COUNT, [], path)["n"][0] == 6           # the catalog is now held open read-only
    out = _in_other_process(f"""
import duckdb
from warehouse.store import write_transaction
duckdb.connect({str(side_path(path, 'facts'))!r}).close()   # a load's read-write window on the facts
with write_transaction({str(path)!r}) as con:
    con.execute("INSERT INTO indicators (code, name, program_code, unit, scale, frequency) "
                "VALUES ('I7', 'Nuevo', 'CSU-AGUA', 'personas', 1, 'mensual')")
print('escrito')""")
    assert out == "escrito"
    assert query.fetch(COUNT, [], path)["n"][0] == 7


def test_a_query_on_the_facts_attaches_them_only_while_it_runs(tmp_path):
    path = seed(tmp_path / "w.duckdb")
    sql = "SELECT count(*) AS n FROM measurements"
    assert query.fetch(sql, [], path)["n"][0] == 0
    assert sql in query._side_sql and COUNT not in query._side_sql
    query.fetch(COUNT, [], path)
    assert _in_other_process(f"""
import duckdb
con = duckdb.connect({str(side_path(path, 'facts'))!r})
print(con.execute('SELECT count(*) FROM measurements').fetchone()[0])""") == "0"


def test_a_query_attaches_only_the_side_files_it_reads(tmp_path):
    """Learnt by trying: the catalog alone names the missing file, then the other one if it reads both."""
    path = seed(tmp_path / "w.duckdb")
    facts, ops = "SELECT count(*) AS n FROM measurements", "SELECT count(*) AS n FROM audit_log"
    both = "SELECT (SELECT count(*) FROM measurements) + (SELECT count(*) FROM audit_log) AS n"
    counts = [query.fetch(sql, [], path)["n"][0] for sql in (facts, ops, both)]
    assert counts[2] == counts[0] + counts[1]
    assert query._side_sql[facts] == {"facts"} and query._side_sql[ops] == {"ops"}
    assert query._side_sql[both] == {"facts", "ops"}


def test_an_audit_write_keeps_catalog_results_and_refreshes_ops_results(tmp_path):
    path = seed(tmp_path / "w.duckdb")
    trail = "SELECT count(*) AS n FROM audit_log"
    first, before = query.fetch(COUNT, [], path), query.fetch(trail, [], path)["n"][0]
    audit.record("sign_in", user="ana", role="analista", path=path)
    assert query.fetch(COUNT, [], path) is first               # served from the cache: ops changed only
    assert query.fetch(trail, [], path)["n"][0] == before + 1  # the ops query sees the new row
    with write_transaction(path) as con:
        con.execute("DELETE FROM indicators WHERE code = 'I6'")
    assert query.fetch(COUNT, [], path)["n"][0] == 5           # a new catalog empties the catalog results


def test_a_missing_warehouse_says_how_to_build_it(tmp_path):
    from warehouse.store import WarehouseMissing
    with pytest.raises(WarehouseMissing, match="build --sample"):
        query.fetch(COUNT, [], tmp_path / "nada.duckdb")


FILTERS = [(None, None, None), ("CSU", None, None), ("CSR", None, None), ("ambas", 2, None),
           (None, 1, None), ("CSR", 3, None), (None, None, "CSU-AGUA"), ("CSU", None, "CSR-BONO")]


@pytest.mark.parametrize("intervention,eje,program", FILTERS)
def test_the_filter_predicate_keeps_the_rows_in_filter_keeps(sample_warehouse, intervention, eje, program):
    clause, params = query.indicator_clause("i", intervention, eje, program)
    plain = query.fetch(f"SELECT code FROM indicators i WHERE {clause} ORDER BY code", params, sample_warehouse)
    with read_connection(sample_warehouse) as con:
        macro = [r[0] for r in con.execute(
            "SELECT code FROM indicators i WHERE in_filter(i.intervention, i.eje_id, i.program_code, "
            "CAST(? AS VARCHAR), CAST(? AS INTEGER), CAST(? AS VARCHAR)) ORDER BY code",
            [query.intervention_param(intervention), eje, program]).fetchall()]
        total = con.execute("SELECT count(*) FROM indicators").fetchone()[0]
    assert plain["code"].to_list() == macro
    assert (len(macro) < total) == any(v not in (None, "ambas") for v in (intervention, eje, program))


def test_the_plain_sources_return_the_macros_rows(sample_warehouse):
    with read_connection(sample_warehouse) as con:
        week_end = con.execute("SELECT max(week_end) FROM mart_progress_weekly").fetchone()[0]
        progress = con.execute("SELECT * FROM progress_weekly(?) ORDER BY ALL", [week_end]).fetchall()
        states = con.execute("SELECT * FROM municipality_state_weekly(?) ORDER BY ALL", [week_end]).fetchall()
    assert query.marts_ready(week_end, sample_warehouse) and progress and states
    source = query.progress_source(week_end, sample_warehouse)
    assert "mart_progress_asof" not in source
    plain = query.fetch(f"SELECT * FROM {source} p ORDER BY ALL", [week_end], sample_warehouse)
    assert plain.rows() == progress
    source = query.state_source(week_end, None, None, None, sample_warehouse)
    plain = query.fetch(f"SELECT * FROM {source} s ORDER BY ALL", [week_end, None, None, None], sample_warehouse)
    assert plain.rows() == states
    assert not query.marts_ready(week_end.replace(year=2001), sample_warehouse)
    assert query.progress_source(week_end.replace(year=2001), sample_warehouse) == "mart_progress_asof(?::DATE)"


def test_the_agreements_page_model_keys_names_and_days_overdue(sample_clone):
    """Model page_agreements (44_page_agreements.sql): one row per agreement, scope and names filled,
    and the query function's overdue days counted to the as-of date it is given."""
    import datetime as dt

    from warehouse.agreements import create_agreement
    from warehouse.queries.agreements import all_agreements, open_agreements

    with read_connection(sample_clone) as con:
        code, name = con.execute("SELECT code, municipality FROM municipalities ORDER BY code LIMIT 1").fetchone()
        indicator = con.execute("SELECT min(code) FROM indicators").fetchone()[0]
    create_agreement(week="2014-W19", action="Revisar la meta", responsible="Ana", due_date="2014-05-10",
                     created_by="prueba", indicator_code=indicator, path=sample_clone, role="analista")
    create_agreement(week="2014-W20", action="Visitar", responsible="Luis", due_date="2014-06-30",
                     created_by="prueba", scope_code=code, path=sample_clone, role="analista")
    with read_connection(sample_clone) as con:
        rows, keys = con.execute("SELECT count(*), count(DISTINCT agreement_id) FROM page_agreements").fetchone()
        nulls = con.execute("SELECT count(*) FROM page_agreements WHERE agreement_id IS NULL OR scope_code IS NULL "
                            "OR scope_name IS NULL OR status IS NULL OR is_open IS NULL").fetchone()[0]
    assert rows == keys == 2 and nulls == 0
    frame = open_agreements(query.SYSTEM, as_of=dt.date(2014, 5, 18), path=sample_clone)
    by_action = {r["action"]: r for r in frame.iter_rows(named=True)}
    assert by_action["Revisar la meta"]["scope_code"] == "national"
    assert by_action["Revisar la meta"]["scope_name"] == "Nacional"
    assert (by_action["Revisar la meta"]["overdue"], by_action["Revisar la meta"]["days_overdue"]) == (True, 8)
    assert by_action["Visitar"]["scope_name"] == name
    assert (by_action["Visitar"]["overdue"], by_action["Visitar"]["days_overdue"]) == (False, None)
    assert frame.columns.index("days_overdue") == frame.columns.index("overdue") + 1
    municipal = query.Viewer(name="m", role="municipal", municipality=code)
    assert all_agreements(municipal, as_of=dt.date(2014, 5, 18), path=sample_clone)["action"].to_list() == \
        ["Visitar", "Revisar la meta"]                         # its municipality's and the national one


def test_a_process_holds_a_few_catalogs_at_most(tmp_path):
    paths = [seed(tmp_path / f"w{i}.duckdb") for i in range(query.HELD_CATALOGS + 2)]
    for path in paths:
        assert query.fetch(COUNT, [], path)["n"][0] == 6
    held = list(query._catalogs)
    assert len(held) == query.HELD_CATALOGS and held[-1] == str(paths[-1])
    assert query.fetch(COUNT, [], paths[0])["n"][0] == 6           # a dropped one is simply reopened


@pytest.mark.parametrize("sql", [
    "SELECT * FROM indicators ORDER BY code",                                   # text, numbers, booleans
    "SELECT * FROM page_logframe_objectives ORDER BY matrix_program, objective_id",   # lists
    "SELECT * FROM mart_progress_weekly ORDER BY ALL LIMIT 500",                # dates, doubles
    "SELECT * FROM indicators WHERE FALSE",                                     # no rows: the columns stay
    "SELECT 1.5::DECIMAL(9, 2) AS d, DATE '2014-05-18' AS day, NULL AS nothing",
])
def test_the_read_path_gives_the_frame_duckdb_gives(sample_warehouse, sql):
    """Results come as Arrow from the executed cursor (one plan); the frame equals a relation's .pl()."""
    frame, _ = query.run(sql, [], sample_warehouse)
    with read_connection(sample_warehouse) as con:
        expected = con.sql(sql).pl()
    assert frame.schema == expected.schema and frame.equals(expected)
