"""Page models that are views (warehouse/sql/46+): each one's declared key is unique and its
declared not-null columns hold no NULL on the sample, and the query functions read them."""
import pytest

from warehouse.query import SYSTEM
from warehouse.store import open_read

# model -> (key columns, not-null columns), as each file's header declares them
MODELS = {
    "page_logframe_objectives": (["matrix_program", "objective_id"], ["matrix_program", "objective_id", "role", "path"]),
    "page_backtest_summary": (["flag"], ["flag", "flagged", "happened", "hits", "forecasts"]),
    "page_programs": (["program_code"], ["program_code", "objectives", "indicators"]),
    "page_indicator_definition": (["code"], ["code", "name"]),
    "page_forecast": (["indicator_code"], ["indicator_code", "scope_code"]),
    "page_coverage": (["level", "scope_code", "program_code", "quarter"], ["level", "scope_code", "program_code", "quarter"]),
    "page_child_programs": (["parent_program", "parent_objective", "program_code"],
                            ["parent_program", "parent_objective", "program_code", "objectives"]),
    "page_logframe_export": (["objective_id"], ["program", "objective_id", "level_order", "path", "indicators"]),
    "page_municipal_indicators": (["code"], ["code", "name"]),
    "page_completeness_municipal": (["week_end", "code"], ["week_end", "code", "municipality", "reported", "late",
                                                           "missing", "expected"]),
    "page_program_catalog": (["program_code"], ["program_code", "name"]),
    "page_ejes": (["eje_id"], ["eje_id", "eje"]),
    "page_indicators_catalog": (["code"], ["code", "name"]),
    "page_targets": (["indicator", "scope", "target_kind"], ["indicator", "scope", "target_kind"]),
    "page_value_chain_options": (["chain_key"], ["chain_type", "chain_key", "label"]),
    "page_value_chain_items": (["chain_key", "link", "item_code"], ["chain_key", "link", "item_code", "link_order"]),
    "page_scopes": (["scope_type", "scope_code"], ["scope_type", "scope_code", "scope_name"]),
    "page_odm_targets": (["code"], ["code", "name"]),
}
# Models over load outcomes (55_page_quality.sql): the sample's loads are clean, so they are checked on a
# copy holding two loads of a file with bad rows.
LOAD_MODELS = {
    "page_quarantine": (["load_id", "row_number", "column_name", "rule"],
                        ["load_id", "loaded_at", "kind", "file_name", "row_number", "rule", "message"]),
    "page_quarantine_loads": (["load_id"], ["load_id", "quarantined", "newer"]),
    "page_validation_failures": (["load_id", "suite", "expectation", "column_name"],
                                 ["load_id", "loaded_at", "file_name", "suite", "expectation"]),
}


def _assert_key_and_not_null(path, model: str, key: list[str], not_null: list[str]) -> None:
    con = open_read(path)
    try:
        rows, keys = con.execute(f"SELECT count(*), count(DISTINCT ({', '.join(key)})) FROM {model}").fetchone()
        nulls = {c: con.execute(f"SELECT count(*) FROM {model} WHERE {c} IS NULL").fetchone()[0] for c in not_null}
    finally:
        con.close()
    assert rows > 0 and rows == keys
    assert nulls == dict.fromkeys(not_null, 0)


@pytest.mark.parametrize("model", sorted(MODELS))
def test_declared_key_is_unique_and_not_null_columns_hold(sample_warehouse, model):
    _assert_key_and_not_null(sample_warehouse, model, *MODELS[model])


@pytest.fixture(scope="module")
def with_bad_loads(sample_warehouse, tmp_path_factory):
    """A copy of the sample after two loads of a measurements file with three bad rows each."""
    from loaders import load_file
    from warehouse.store import clone_warehouse
    folder = tmp_path_factory.mktemp("bad_loads")
    path = clone_warehouse(sample_warehouse, folder / "copy.duckdb")
    bad = folder / "mediciones_con_errores.csv"
    for value in (5, 6):
        bad.write_text("Indicador,Código Municipio,Período,Valor\n" + "".join(
            f"{row},{value}\n" for row in ("CSR-BONO-04,0106,2014-W20", "CSR-BONO-04,9999,2014-W20",
                                            "NO-EXISTE,0106,2014-W20", "CSR-BONO-04,0107,2014-13")), encoding="utf-8")
        assert load_file(bad, "measurements", path, loaded_by="prueba", refresh_snapshots=False).rows_quarantined == 3
    return path


@pytest.mark.parametrize("model", sorted(LOAD_MODELS))
def test_load_models_declared_key_is_unique_and_not_null_columns_hold(with_bad_loads, model):
    _assert_key_and_not_null(with_bad_loads, model, *LOAD_MODELS[model])


def test_quarantine_functions_read_the_models(with_bad_loads):
    """The page's list of the newest rows: the loads it reaches (page_quarantine_loads) and their rows
    (page_quarantine), newest load first; a municipal viewer sees no quarantined row."""
    from warehouse.query import Viewer
    from warehouse.queries.quality import quarantine_rows, validation_failures
    newest, older = sorted(quarantine_rows(SYSTEM, with_bad_loads)["load_id"].unique().to_list(), reverse=True)
    assert quarantine_rows(SYSTEM, with_bad_loads, limit=3)["load_id"].to_list() == [newest] * 3
    assert quarantine_rows(SYSTEM, with_bad_loads, limit=4)["load_id"].to_list() == [newest] * 3 + [older]
    assert quarantine_rows(Viewer("m", "municipal", "0106"), with_bad_loads).height == 0
    failures = validation_failures(SYSTEM, with_bad_loads)
    assert set(failures["load_id"]) == {newest, older} and failures["rows_sample"].null_count() == 0


def test_a_program_matrix_holds_its_own_objectives_and_the_ones_it_hangs_from(sample_warehouse):
    from warehouse.queries.logframe import logframe_objectives
    con = open_read(sample_warehouse)
    try:
        program, parent_program = con.execute("""
            SELECT o.program_code, p.program_code FROM objectives o JOIN objectives p ON p.objective_id = o.parent_id
            WHERE p.program_code <> o.program_code ORDER BY 1 LIMIT 1""").fetchone()
        own = {r[0] for r in con.execute("SELECT objective_id FROM objectives WHERE program_code = ?", [program]).fetchall()}
    finally:
        con.close()
    frame = logframe_objectives(program, SYSTEM, sample_warehouse)
    assert set(frame.filter(frame["role"] == "propio")["objective_id"]) == own
    superior = frame.filter(frame["role"] == "superior")
    assert parent_program in set(superior["program_code"]) and program not in set(superior["program_code"])
    assert frame["role"].to_list() == sorted(frame["role"].to_list(), key=lambda r: r == "propio")  # superior first


def test_logframe_export_lists_every_own_objective_with_its_indicator_codes(sample_warehouse):
    """The export (model page_logframe_export) holds each objective once, in its own program, with the
    codes of the indicators hanging from it in code order; a viewer without a municipality gets nothing."""
    from warehouse.query import Viewer
    from warehouse.queries.logframe import logframe_export
    con = open_read(sample_warehouse)
    try:
        objectives = dict(con.execute("SELECT objective_id, program_code FROM objectives").fetchall())
        codes = dict(con.execute("""SELECT objective_id, list(code ORDER BY code) FROM indicators
                                    GROUP BY objective_id""").fetchall())
    finally:
        con.close()
    frame = logframe_export(SYSTEM, sample_warehouse)
    assert dict(zip(frame["objective_id"], frame["program"])) == objectives and frame.height == len(objectives)
    assert {o: s.split() for o, s in zip(frame["objective_id"], frame["indicators"]) if s} == codes
    assert frame["program"].to_list() == sorted(frame["program"].to_list())
    assert logframe_export(Viewer("x", "municipal", None), sample_warehouse).height == 0


def test_an_eje_chain_gathers_its_programs_items_and_adds_up_their_budget(sample_warehouse):
    """page_value_chain_items: chain 'eje-1' holds each item of eje 1's programs once, its budget line
    (insumos) the sum of theirs; a program's chain holds its own rows unchanged."""
    from warehouse.queries.analytics import value_chain_items
    con = open_read(sample_warehouse)
    try:
        rows = con.execute("""SELECT chain_key, link, item_code, value FROM analytics_value_chain_items
                              WHERE eje_id = 1""").fetchall()
    finally:
        con.close()
    items = value_chain_items("eje-1", SYSTEM, sample_warehouse)
    assert set(zip(items["link"], items["item_code"])) == {(r[1], r[2]) for r in rows}
    insumos = items.filter(items["link"] == "insumos")
    assert insumos["value"].sum() == pytest.approx(sum(r[3] for r in rows if r[1] == "insumos"))
    program = rows[0][0]
    own = value_chain_items(program, SYSTEM, sample_warehouse)
    assert sorted(zip(own["link"], own["item_code"], own["value"])) == sorted(
        (r[1], r[2], r[3]) for r in rows if r[0] == program)


def test_off_track_in_a_department_lists_its_municipalities_or_itself_by_name(sample_warehouse):
    """page_scopes gives off_track its scope names and departments: with a department chosen, the
    municipal rows are that department's municipalities, the departmental row the department itself."""
    from warehouse.queries.home import off_track
    from warehouse.query import materialised_weeks
    con = open_read(sample_warehouse)
    try:
        names = dict(con.execute("SELECT code, municipality FROM municipalities WHERE department_code = '06'").fetchall())
        department = con.execute("SELECT department FROM departments WHERE department_code = '06'").fetchone()[0]
    finally:
        con.close()
    week = materialised_weeks(sample_warehouse)[-1]
    municipal = off_track(week, SYSTEM, "municipio", department="06", limit=100_000, path=sample_warehouse)
    assert municipal.height > 0
    assert dict(zip(municipal["scope_code"], municipal["scope_name"])).items() <= names.items()
    everywhere = off_track(week, SYSTEM, "municipio", limit=100_000, path=sample_warehouse)
    assert everywhere.filter(everywhere["scope_code"].is_in(list(names))).equals(municipal)
    departmental = off_track(week, SYSTEM, "departamento", department="06", path=sample_warehouse)
    assert set(zip(departmental["scope_code"], departmental["scope_name"])) <= {("06", department)}
    assert off_track(week, SYSTEM, "nacional", department="06", path=sample_warehouse).height == 0
