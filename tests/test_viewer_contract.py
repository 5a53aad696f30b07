"""The viewer contract of the query layer (issue 11 §1): every public function of warehouse.queries,
found by introspection (a new function cannot escape), run as a municipal viewer on the sample,
returns no row of another municipality nor of another department; an unknown role, or a municipal
viewer without a municipality, gets nothing."""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil

from warehouse.store import open_read
import polars as pl
import pytest

import warehouse.queries as queries_pkg
from sample import story
from warehouse.query import SYSTEM, Viewer

OWN = story.LAGGING_MUNICIPALITIES[0]          # 1314
OTHER = "0101"                                 # asked for explicitly: must not leak
WEEK_END = story.AS_OF
PURE_HELPERS = {"municipality_ranking", "labelled"}   # work on a frame another function returned


def _public_functions() -> list:
    found = []
    for info in pkgutil.iter_modules(queries_pkg.__path__):
        module = importlib.import_module(f"warehouse.queries.{info.name}")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__ and not name.startswith("_"):
                found.append((f"{info.name}.{name}", fn))
    return sorted(found, key=lambda x: x[0])


FUNCTIONS = _public_functions()


def _args(qualname: str, fn, viewer: Viewer, path) -> dict:
    """Valid arguments by parameter name; identifiers point at another municipality where one is taken."""
    module = qualname.split(".")[0]
    values = {"week_end": WEEK_END, "week": story.LAST_WEEK, "previous": "2014-W19",
              "week_start": WEEK_END - dt.timedelta(days=6), "indicator": "CSR-BONO-01",
              "program": "CSR-BONO" if module == "budget" else "CS", "grouping": "municipio",
              "unit": "municipios", "scope_type": "municipio", "scope_code": OTHER, "scope": None,
              "code": "CSR-BONO-01" if module == "ficha" else OTHER, "viewer": viewer, "path": path,
              "chain_key": "CSU-BONO", "w_settlements": 1.0, "w_violence": 1.0, "w_capacity": 1.0,
              "municipality": OTHER}
    args = {}
    for name, param in inspect.signature(fn).parameters.items():
        if name in values and (param.default is inspect.Parameter.empty or name in ("path", "scope_type", "unit",
                                                                                    "grouping", "scope_code")):
            args[name] = values[name]
        elif param.default is inspect.Parameter.empty:
            raise AssertionError(f"{qualname}: no test value for required parameter {name!r}")
    if qualname in ("budget.budget_by",):
        args["program"] = None
    return args


def _frames(result) -> list[pl.DataFrame]:
    if result is None:
        return []
    if isinstance(result, pl.DataFrame):
        return [result]
    if isinstance(result, dict):
        return [pl.DataFrame([{k: (str(v) if isinstance(v, (dict, list)) else v) for k, v in result.items()}],
                             infer_schema_length=None)]
    if isinstance(result, list):
        return [pl.DataFrame({"value": [str(v) for v in result]})]
    if isinstance(result, (str, bool, int, float, dt.date)):
        return [pl.DataFrame({"value": [str(result)]})]
    raise AssertionError(f"unexpected result type {type(result)}")


@pytest.fixture(scope="module")
def geography(sample_warehouse):
    con = open_read(sample_warehouse)
    rows = con.execute("SELECT code, department_code FROM municipalities").fetchall()
    con.close()
    own_department = dict(rows)[OWN]
    return ({code for code, _ in rows if code != OWN},
            {dep for _, dep in rows if dep != own_department}, own_department)


def test_every_public_query_function_takes_a_viewer_without_default():
    assert len(FUNCTIONS) > 50
    for qualname, fn in FUNCTIONS:
        if qualname.split(".")[1] in PURE_HELPERS:
            continue
        params = inspect.signature(fn).parameters
        assert "viewer" in params, qualname
        assert params["viewer"].default is inspect.Parameter.empty, qualname


@pytest.mark.parametrize("qualname,fn", [f for f in FUNCTIONS if f[0].split(".")[1] not in PURE_HELPERS],
                         ids=[f[0] for f in FUNCTIONS if f[0].split(".")[1] not in PURE_HELPERS])
def test_a_municipal_viewer_sees_no_other_municipality_nor_department(sample_warehouse, geography, qualname, fn):
    others, other_departments, own_department = geography
    viewer = Viewer(name="alcaldia", role="municipal", municipality=OWN)
    for frame in _frames(fn(**_args(qualname, fn, viewer, sample_warehouse))):
        for column, dtype in frame.schema.items():
            if dtype != pl.String:
                continue
            values = set(frame[column].drop_nulls().to_list())
            assert not values & others, f"{qualname}.{column} shows other municipalities {sorted(values & others)[:5]}"
            if any(k in column for k in ("code", "scope", "depart", "group")):
                assert not values & other_departments, f"{qualname}.{column} shows other departments"


def test_the_municipal_viewer_still_sees_its_own_rows(sample_warehouse):
    from warehouse.queries.home import off_track
    from warehouse.queries.progress import progress
    viewer = Viewer(name="alcaldia", role="municipal", municipality=OWN)
    scopes = set(progress(WEEK_END, viewer, path=sample_warehouse)["scope_code"].to_list())
    assert scopes == {OWN, OWN[:2], "national"}
    assert set(off_track(WEEK_END, viewer, scope_type="municipio", path=sample_warehouse)["scope_code"]) <= {OWN}


@pytest.mark.parametrize("viewer", [Viewer(name="x", role="nacional"), Viewer(name="x", role="municipal"),
                                    Viewer(name="x", role="")], ids=["unknown-role", "municipal-without-code", "empty"])
def test_a_viewer_not_fully_specified_sees_nothing(sample_warehouse, viewer):
    failed = []
    for qualname, fn in FUNCTIONS:
        if qualname.split(".")[1] in PURE_HELPERS:
            continue
        try:
            _assert_nothing(qualname, fn(**_args(qualname, fn, viewer, sample_warehouse)))
        except AssertionError as exc:
            failed.append(f"{qualname}: {exc}")
    assert failed == []


def _assert_nothing(qualname: str, result) -> None:
    """Empty frame, None, an empty list, or a dict holding only zeros/None (e.g. tiles of zero)."""
    if isinstance(result, pl.DataFrame):
        assert result.is_empty(), qualname
    elif isinstance(result, dict):
        for key, value in result.items():
            values = value.values() if isinstance(value, dict) else [value]
            assert not any(values), (qualname, key, value)
    else:
        assert not result, qualname


def test_the_system_viewer_sees_every_row(sample_warehouse):
    from warehouse.queries.reference import municipalities
    assert municipalities(SYSTEM, path=sample_warehouse).height == 262
