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
