"""Shared fixtures: a small warehouse built in a temporary folder with hand-made facts."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from loaders.write import FACT_COLUMNS
from warehouse.reference import seed_reference
from warehouse.store import append_facts, clone_warehouse, read_connection, write_transaction


def pytest_configure(config):
    # as warehouse/query.py filters it in the app: its Arrow result from a cursor (measured cheaper)
    config.addinivalue_line("filterwarnings", "ignore:Arrow output on a DB-API result:UserWarning")

ROOT = Path(__file__).resolve().parent.parent


def insert_facts(con, table: str, rows: list[tuple]) -> None:
    """Test plumbing: hand-made fact rows (the table's columns in order, load_id last) appended to the
    facts file inside `con`'s write transaction, with their loads committed in load_log (so visible)."""
    cols = FACT_COLUMNS[table] + ["load_id"]
    frame = pl.DataFrame([dict(zip(cols, r)) for r in rows], infer_schema_length=None)
    for load_id in sorted(set(frame["load_id"].to_list())):
        con.execute("INSERT INTO load_log (load_id, kind, file_name, loaded_at, rows_read, rows_loaded, "
                    "rows_quarantined, status) VALUES (?, ?, 'prueba', now(), 0, 0, 0, 'ok') "
                    "ON CONFLICT DO NOTHING", [int(load_id), table])
    append_facts(con, table, [frame.to_arrow()])


class MiniWarehouse:
    """Writes indicators, targets and measurements straight into tables (method tests only).

    Rows are gathered and written in one write transaction when the warehouse is next used through
    `path` (or `progress`), not one transaction (one catalog copy) per row."""

    def __init__(self, path: Path):
        self._path = path
        self.next_load = 1
        self._pending = {"indicators": [], "targets": [], "measurements": [], "budget": []}
        with write_transaction(path) as con:
            seed_reference(con)

    @property
    def path(self) -> Path:
        """The warehouse file, holding every row written so far."""
        self.flush()
        return self._path

    def flush(self) -> None:
        pending = self._pending
        if not any(pending.values()):
            return
        self._pending = {kind: [] for kind in pending}
        with write_transaction(self._path) as con:
            for params in pending["indicators"]:
                con.execute("""INSERT INTO indicators (code, name, program_code, level, type, dimension, unit,
                               scale, sentido, accumulation, reports_cumulative, frequency, deadline_days,
                               formula_denominator, scope_level, aggregation)
                               VALUES (?, ?, 'CS', 'componente', 'producto', 'eficacia', 'u', ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                            params)
            if pending["targets"]:
                con.executemany("INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?, ?, false, ?)", pending["targets"])
            for table in ("measurements", "budget"):
                if pending[table]:
                    insert_facts(con, table, pending[table])

    def indicator(self, code, frequency="mensual", accumulation="stock", sentido="ascendente",
                  denominator=None, scale=1.0, cumulative=False, deadline=15, scope_level="municipal",
                  aggregation=None):
        self._pending["indicators"].append([code, f"Indicador {code}", scale, sentido, accumulation, cumulative,
                                            frequency, deadline, denominator, scope_level, aggregation])

    def target(self, code, scope, baseline_date, baseline, target_date, target, kind="PQD-2014"):
        self._pending["targets"].append([code, scope, kind, baseline_date, baseline, target_date, target,
                                         self._load()])

    def measure(self, code, scope, period_end, value=None, num=None, den=None, reported=None,
                period_type="M"):
        start = period_end.replace(day=1) if period_type == "M" else period_end
        period = period_end.isoformat()[:7] if period_type == "M" else period_end.isoformat()
        self._pending["measurements"].append((code, scope, period, period_type, start, period_end, _float(value),
                                              _float(num), _float(den), reported, False, self._load()))

    def budget(self, rows: list[tuple]) -> None:
        """Budget rows (program, scope, month, approved, modified, scheduled, committed, accrued, paid,
        is_sample, load_id)."""
        self._pending["budget"].extend(rows)

    def _load(self):
        self.next_load += 1
        return self.next_load

    def progress(self, as_of: dt.date) -> dict:
        with read_connection(self.path) as con:
            rows = con.execute("SELECT * FROM mart_progress_asof(?)", [as_of]).fetchall()
            cols = [d[0] for d in con.description]
        return {(r[cols.index("indicator_code")], r[cols.index("scope_code")]): dict(zip(cols, r)) for r in rows}


def _float(x):
    return None if x is None else float(x)


@pytest.fixture
def mini(tmp_path) -> MiniWarehouse:
    return MiniWarehouse(tmp_path / "mini.duckdb")


# --- the sample warehouse, built once per test session through the real path -------------------
ARTIFACTS = ROOT / "tests" / "artifacts"
SAMPLE_INPUTS = ["sample", "loaders", "expectations", "warehouse/sql", "warehouse/reference", "warehouse/migrations",
                 "warehouse/build.py", "warehouse/reference.py", "warehouse/refresh.py", "warehouse/store.py",
                 "warehouse/schema.py", "warehouse/analytics"]


def _newest_input_mtime() -> float:
    newest = 0.0
    for name in SAMPLE_INPUTS:
        p = ROOT / name
        files = [p] if p.is_file() else p.rglob("*")
        newest = max([newest, *(f.stat().st_mtime for f in files if f.is_file() and "__pycache__" not in f.parts)])
    return newest


@pytest.fixture(scope="session")
def sample_warehouse() -> Path:
    """`python -m warehouse build --sample` once, reused while its inputs are unchanged.

    Tests must not write to it (clone it first: `sample_clone`); it is git-ignored under tests/artifacts/.
    """
    import os
    import subprocess
    import sys

    import fcntl

    path = ARTIFACTS / "sample.duckdb"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "sample.build.lock", "w") as lock:   # concurrent pytest runs build once
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists() or path.stat().st_mtime < _newest_input_mtime() or not _looks_complete(path):
            subprocess.run([sys.executable, "-m", "warehouse", "build", "--sample", "--warehouse", str(path)],
                           cwd=ROOT, check=True, capture_output=True, text=True)
    os.environ["SPSU_WAREHOUSE"] = str(path)
    return path


def _looks_complete(path: Path) -> bool:
    """Guard against a warehouse some earlier test run wrote into: the sample has 262 municipalities and
    an empty audit trail."""
    import duckdb
    try:
        with read_connection(path) as con:
            return con.execute("SELECT count(*) FROM municipalities").fetchone()[0] == 262 and \
                con.execute("SELECT count(*) FROM indicators").fetchone()[0] > 0 and \
                con.execute("SELECT count(*) FROM measurements").fetchone()[0] > 100_000 and \
                con.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0    # no test audited into it
    except (duckdb.Error, RuntimeError):
        return False


def assert_key_and_not_null(path: Path, table: str, key: list[str]) -> None:
    """A stored table of the warehouse at `path` has rows, its declared key is unique, and its NOT NULL
    columns hold no NULL."""
    from warehouse.store import open_read

    con = open_read(path)
    try:
        rows, keys = con.execute(f"SELECT count(*), count(DISTINCT ({', '.join(key)})) FROM {table}").fetchone()
        assert rows > 0 and rows == keys
        for column, _, nullable, *_ in con.execute(f"DESCRIBE {table}").fetchall():
            if nullable == "NO":
                assert con.execute(f"SELECT count(*) FROM {table} WHERE {column} IS NULL").fetchone()[0] == 0, column
    finally:
        con.close()

# --- incremental refresh checks: the reference is a whole recompute on a copy ----------------------
_RECOMPUTING: list = []    # set while full_recompute runs: the reference may recompute everything


def full_recompute(path: Path, tmp_path: Path, read):
    """`read(copy)` after `refresh_all` on a copy of `path`: what an incremental refresh must equal."""
    from warehouse.refresh import refresh_all

    copy = tmp_path / "full.duckdb"
    clone_warehouse(path, copy)
    _RECOMPUTING.append(True)
    try:
        with write_transaction(copy) as con:
            refresh_all(con)
    finally:
        _RECOMPUTING.pop()
    return read(copy)


def forbid_whole_refresh(monkeypatch, module, name: str) -> None:
    """`module.name` (a whole recompute) fails unless full_recompute runs: loads and reverts must take
    the incremental path (a whole recompute would hide its bugs)."""
    real = getattr(module, name)

    def refuse(*args, **kwargs):
        if not _RECOMPUTING:
            raise AssertionError(f"{module.__name__}.{name} used where the incremental refresh applies")
        return real(*args, **kwargs)
    monkeypatch.setattr(module, name, refuse)


@pytest.fixture
def sample_clone(sample_warehouse, tmp_path) -> Path:
    """A private copy of the sample warehouse (catalog and side files) that a test may write to."""
    return clone_warehouse(sample_warehouse, tmp_path / "copy.duckdb")


# --- exports offered by a page (the "Descargar" controls) ---------------------------------------
IMAGE_LABELS = ["Imagen PNG (3200 × 1800)", "Vector SVG", "Documento PDF"]


def assert_exports(at, *, images: int | None = None, tables: int | None = None) -> None:
    """Every chart has a 'Descargar' popover with PNG, SVG and PDF, and every table a CSV and an XLSX
    button. `images` defaults to the page's Plotly charts, `tables` to its dataframes."""
    popovers = [p for p in at.get("popover") if p.proto.popover.label == "Descargar"]
    assert len(popovers) == (len(at.get("plotly_chart")) if images is None else images)
    for popover in popovers:
        assert [b.proto.label for b in popover.get("download_button")] == IMAGE_LABELS
    labels = [b.proto.label for b in at.get("download_button")]
    expected = len(at.dataframe) if tables is None else tables
    assert labels.count("Descargar CSV") == labels.count("Descargar XLSX") == expected


# --- who is looking: demonstration mode unless a test signs someone in -------------------------------
@pytest.fixture(autouse=True)
def no_users_file(tmp_path_factory, monkeypatch) -> Path:
    """Every test starts without a users file (demonstration mode), never the developer's data/users.toml."""
    path = tmp_path_factory.mktemp("users") / "users.toml"
    monkeypatch.setenv("SPSU_USERS", str(path))
    return path


PASSWORD = "clave-de-prueba-1"


@pytest.fixture
def signed_in(no_users_file):
    """signed_in(role, municipality=None) adds that user to the test's users file (password PASSWORD)
    and returns its name, for open_page(..., user=name): the session then holds that signed-in user."""
    from warehouse.users import add_user

    def make(role: str, municipality: str | None = None, name: str | None = None) -> str:
        user = add_user(name or f"{role}{municipality or ''}", role, PASSWORD, municipality, path=no_users_file)
        return user.name
    return make


def open_page(page: str | None = None, query: dict | None = None, timeout: int = 120, user: str | None = None):
    """Run the app as a user opens it: app.py's navigation, the page (None: the home) and the URL's
    query parameters, signed in as `user` (see `signed_in`) or in demonstration mode. The one way
    page tests start an AppTest."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if user:
        at.session_state["spsu_user"] = {"name": user, "via": "password"}
    if page:
        at.switch_page(f"pages/{page}.py")
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()
