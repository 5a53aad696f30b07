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
}


@pytest.mark.parametrize("model", sorted(MODELS))
def test_declared_key_is_unique_and_not_null_columns_hold(sample_warehouse, model):
    key, not_null = MODELS[model]
    con = open_read(sample_warehouse)
    try:
        rows, keys = con.execute(f"SELECT count(*), count(DISTINCT ({', '.join(key)})) FROM {model}").fetchone()
        nulls = {c: con.execute(f"SELECT count(*) FROM {model} WHERE {c} IS NULL").fetchone()[0] for c in not_null}
    finally:
        con.close()
    assert rows > 0 and rows == keys
    assert nulls == dict.fromkeys(not_null, 0)


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
