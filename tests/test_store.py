"""The single-writer design: atomic swap, failed writes change nothing, readers never blocked."""
import threading

import duckdb
import pytest

from warehouse.store import (WarehouseBusy, read_connection, version_token, write_lock,
                             write_transaction)


def count(path):
    with read_connection(path) as con:
        return con.execute("SELECT count(*) FROM meta").fetchone()[0]


def test_failed_write_leaves_file_and_folder_as_they_were(tmp_path):
    path = tmp_path / "w.duckdb"
    with write_transaction(path) as con:
        con.execute("INSERT INTO meta VALUES ('a', '1')")
    before, token = count(path), version_token(path)
    with pytest.raises(RuntimeError):
        with write_transaction(path) as con:
            con.execute("INSERT INTO meta VALUES ('b', '2')")
            raise RuntimeError("fallo inyectado a mitad de la escritura")
    assert count(path) == before
    assert version_token(path) == token
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.duckdb", "w.duckdb.facts", "w.duckdb.lock",
                                                          "w.duckdb.ops"]


def test_reader_keeps_answering_while_a_write_is_open(tmp_path):
    path = tmp_path / "w.duckdb"
    with write_transaction(path) as con:
        con.execute("INSERT INTO meta VALUES ('a', '1')")
    with write_transaction(path) as con:
        con.execute("INSERT INTO meta VALUES ('b', '2')")
        # mid-load: another connection (as another process would) reads the old, complete state
        assert count(path) == 2             # schema_version + 'a'
    assert count(path) == 3


def test_second_writer_waits_then_gives_up_with_busy(tmp_path):
    path = tmp_path / "w.duckdb"
    with write_lock(path):
        with pytest.raises(WarehouseBusy):
            with write_transaction(path, wait=0.3):
                pass


def test_writers_queue_and_both_land(tmp_path):
    path = tmp_path / "w.duckdb"
    errors = []

    def writer(key):
        try:
            with write_transaction(path, wait=10) as con:
                con.execute("INSERT INTO meta VALUES (?, 'x')", [key])
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(f"k{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with read_connection(path) as con:
        assert con.execute("SELECT count(*) FROM meta WHERE key LIKE 'k%'").fetchone()[0] == 4


# --- facts appended in place, operational tables written in place, clones ----------------------------
def _facts_rows(path):
    with duckdb.connect(str(path) + ".facts", read_only=True) as con:
        return con.execute("SELECT count(*) FROM measurements").fetchone()[0]


def test_appended_facts_are_invisible_until_their_load_commits_and_swept_after_a_failure(tmp_path):
    from tests.conftest import insert_facts
    import datetime as dt
    path = tmp_path / "w.duckdb"
    row = ("I", "0101", "2014-05", "M", dt.date(2014, 5, 1), dt.date(2014, 5, 31), 1.0, None, None, None, False)
    with write_transaction(path):
        pass
    with pytest.raises(RuntimeError):
        with write_transaction(path) as con:
            insert_facts(con, "measurements", [row + (7,)])
            assert con.execute("SELECT count(*) FROM measurements").fetchone()[0] == 1   # the writer sees them
            assert count(path) == 1 and _facts_rows(path) == 1   # a reader: old catalog, row in the file only
            with read_connection(path) as reader:
                assert reader.execute("SELECT count(*) FROM measurements").fetchone()[0] == 0
            raise RuntimeError("fallo después de escribir los datos")
    with read_connection(path) as con:
        assert con.execute("SELECT count(*) FROM measurements").fetchone()[0] == 0
    with write_transaction(path) as con:                     # the next append sweeps the orphan first
        insert_facts(con, "measurements", [row + (8,)])
    assert _facts_rows(path) == 1
    with read_connection(path) as con:
        assert con.execute("SELECT load_id FROM measurements").fetchall() == [(8,)]


def test_an_agreement_save_writes_in_place_without_copying_the_catalog(tmp_path):
    from tests.test_loaders import seed
    from warehouse.agreements import create_agreement
    path = seed(tmp_path / "w.duckdb")
    st, token = path.stat(), version_token(path)
    create_agreement(week="2014-W20", action="Revisar", responsible="Ana", due_date="2014-06-30",
                     created_by="prueba", indicator_code="I2", path=path, role="analista")
    after = path.stat()
    assert (after.st_ino, after.st_mtime_ns) == (st.st_ino, st.st_mtime_ns)   # catalog untouched
    assert version_token(path) != token                                       # readers see the change
    with read_connection(path) as con:
        assert con.execute("SELECT action, status FROM agreements").fetchall() == [("Revisar", "abierto")]


def test_a_clone_is_a_complete_independent_warehouse(tmp_path):
    from warehouse.store import clone_warehouse
    path = tmp_path / "w.duckdb"
    with write_transaction(path) as con:
        con.execute("INSERT INTO meta VALUES ('a', '1')")
    copy = clone_warehouse(path, tmp_path / "sub" / "c.duckdb")
    with write_transaction(copy) as con:
        con.execute("INSERT INTO meta VALUES ('b', '2')")
    assert count(path) == 2 and count(copy) == 3
    with read_connection(copy) as con:
        assert con.execute("SELECT count(*) FROM measurements").fetchone()[0] == 0   # side files came along


def _small_build(path, label: str, rows: int):
    """A private warehouse as a build leaves it before the swap: `rows` measurements in loads 2..,
    and its label in the catalog."""
    import datetime as dt

    from tests.conftest import MiniWarehouse
    mini = MiniWarehouse(path)
    mini.indicator("G1")
    for end in [dt.date(2014, 1, 31), dt.date(2014, 2, 28), dt.date(2014, 3, 31)][:rows]:
        mini.measure("G1", "0101", end, value=end.month)
    with write_transaction(mini.path) as con:
        con.execute("INSERT INTO meta VALUES ('build', ?)", [label])
    return path


SEEN_SQL = "SELECT (SELECT value FROM meta WHERE key = 'build'), (SELECT count(*) FROM measurements)"


def _seen(path):
    with read_connection(path) as con:
        return con.execute(SEEN_SQL).fetchone()


def _seen_by_dashboard(path):
    """The same question through the dashboard's query layer (held catalog, side files per query)."""
    from warehouse.query import run
    return tuple(run(SEEN_SQL, path=path)[0].row(0))


READERS = pytest.mark.parametrize("seen", [_seen, _seen_by_dashboard], ids=["open_read", "query_layer"])


@READERS
def test_a_build_swapped_in_is_seen_whole_or_not_at_all(tmp_path, monkeypatch, seen):
    """`build --sample` over a live warehouse renames three files one after another. A reader that opens
    between the renames (here: the new facts and ops beside the old catalog, whose load log names the
    same load ids) gets no mix: it retries, and gives up busy if the swap never completes."""
    import shutil

    import warehouse.query as query
    import warehouse.store as store
    from warehouse.paths import warehouse_files
    live = tmp_path / "w.duckdb"
    store.swap_in(_small_build(tmp_path / "a" / "w.duckdb", "A", 1), live)
    assert seen(live) == ("A", 1)
    b = _small_build(tmp_path / "b" / "w.duckdb", "B", 3)
    store.stamp_generation(b)
    catalog_b, facts_b, ops_b = warehouse_files(b)
    for new, old in ((facts_b, warehouse_files(live)[1]), (ops_b, warehouse_files(live)[2])):
        shutil.copyfile(new, old)                          # the swap stopped half-way
    monkeypatch.setattr(store, "READ_WAIT_SECONDS", 0.3)
    monkeypatch.setattr(query, "READ_WAIT_SECONDS", 0.3)
    with pytest.raises(WarehouseBusy):
        seen(live)
    shutil.copyfile(catalog_b, live)                       # ... and completed
    assert seen(live) == ("B", 3)


@READERS
def test_readers_during_repeated_build_swaps_see_one_build_at_a_time(tmp_path, seen):
    import shutil

    from warehouse.store import swap_in
    builds = {"A": _small_build(tmp_path / "a" / "w.duckdb", "A", 1),
              "B": _small_build(tmp_path / "b" / "w.duckdb", "B", 3)}
    live = tmp_path / "w.duckdb"
    swap_in(shutil.copytree(builds["A"].parent, tmp_path / "a0") / "w.duckdb", live)
    stop, views = threading.Event(), set()

    def swapper():
        for k in range(12):
            label = "AB"[k % 2]
            folder = shutil.copytree(builds[label].parent, tmp_path / f"{label}{k + 1}")
            swap_in(folder / "w.duckdb", live)
        stop.set()

    thread = threading.Thread(target=swapper)
    thread.start()
    while not stop.is_set():
        views.add(seen(live))
    thread.join()
    assert views <= {("A", 1), ("B", 3)} and seen(live) == ("B", 3)


def test_a_writing_connection_is_held_to_the_write_memory_limit(tmp_path, monkeypatch):
    """Writers get SPSU_WRITE_MEMORY (else half the RAM), not DuckDB's 80 % default; readers keep theirs."""
    import os

    from warehouse.store import connect

    def limit(con):
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    monkeypatch.setenv("SPSU_WRITE_MEMORY", "1GB")
    con = connect(tmp_path / "a.duckdb")
    try:
        assert limit(con) == "953.6 MiB"                     # 1 GB = 10^9 bytes, shown in MiB
    finally:
        con.close()
    monkeypatch.delenv("SPSU_WRITE_MEMORY")
    with write_transaction(tmp_path / "b.duckdb") as con:
        half = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 / 2**30
        shown = limit(con)
        assert shown.endswith("GiB") and abs(float(shown.split()[0]) - half) < 0.1


def test_every_cursor_plans_asof_joins_as_one(sample_warehouse, tmp_path):
    """The series macro's ASOF JOIN stays one on a cursor of a read or write connection too (a cursor
    does not inherit a session SET: at 10 M rows DuckDB's default nested loop was 75x slower there)."""
    from warehouse.store import open_read
    con = open_read(sample_warehouse)
    try:
        for c in (con, con.cursor()):
            assert c.execute("SELECT current_setting('asof_loop_join_threshold')").fetchone()[0] == 0
    finally:
        con.close()
    from warehouse.store import clone_warehouse, write_transaction
    path = clone_warehouse(sample_warehouse, tmp_path / "w.duckdb")
    with write_transaction(path) as con:
        assert con.cursor().execute("SELECT current_setting('asof_loop_join_threshold')").fetchone()[0] == 0
