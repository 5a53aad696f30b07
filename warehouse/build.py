"""`build --sample`: a new warehouse from the reference data and the sample files, via the loaders."""
from __future__ import annotations

import multiprocessing
import os
import tempfile
import time
import uuid
from pathlib import Path
from queue import Empty

from warehouse.paths import warehouse_files
from warehouse.reference import seed_reference
from warehouse.refresh import refresh_all
from warehouse.store import swap_in, write_transaction


class BuildError(RuntimeError):
    """A sample file was rejected: the sample and the loaders disagree."""


def build_sample(path: Path, log=print) -> dict:
    """Build into a side file and swap it in, so a running dashboard never sees a half build."""
    from loaders import load_file          # imported here: loaders import the warehouse package

    started = time.perf_counter()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:12]}.building")   # housekeeping
    try:
        return _build_into(building, path, started, log, load_file)
    finally:
        for file in warehouse_files(building):
            for leftover in (file, Path(f"{file}.lock"), Path(f"{file}.wal")):
                leftover.unlink(missing_ok=True)


def _build_into(building: Path, path: Path, started: float, log, load_file) -> dict:
    loads = []
    with tempfile.TemporaryDirectory(prefix="spsu-sample-") as tmp:
        files = _SampleFiles(Path(tmp))      # the child starts writing while this process seeds
        with write_transaction(building) as con:
            seed_reference(con)
            con.execute("INSERT OR REPLACE INTO meta VALUES ('is_sample', 'true')")
        for file, kind in files:
            result = load_file(file, kind, warehouse=building, loaded_by="muestra",
                               refresh_snapshots=False)
            log(f"  {kind:<13} {file.name:<40} {result.rows_loaded:>7} filas, "
                f"{result.rows_quarantined} en cuarentena")
            if result.exit_code not in (0, 1):
                raise BuildError(f"La muestra {file.name} fue rechazada: {result.problems[:3]}")
            loads.append(result.to_dict())
    with write_transaction(building) as con:
        weeks = refresh_all(con)           # the marts and the analytics layer
    swap_in(building, path)                 # the three files as a set (readers never see a mix)
    return {"warehouse": str(path), "loads": len(loads), "snapshot_weeks": weeks,
            "seconds": round(time.perf_counter() - started, 1)}


class _SampleFiles:
    """The sample files in load order, each handed over as soon as a child process has written it:
    the generator (pure Python) runs on one core while this process validates and loads the files
    already written on the other. Started on creation; iterating stops the child if it fails."""

    def __init__(self, out_dir: Path):
        from sample.generate import write_sample_to_queue

        ctx = multiprocessing.get_context("spawn")      # no fork of a process that may hold DuckDB/polars threads
        self.queue = ctx.Queue()
        self.child = ctx.Process(target=write_sample_to_queue, args=(str(out_dir), self.queue), daemon=True)
        self.child.start()

    def __iter__(self):
        try:
            while True:
                try:
                    item = self.queue.get(timeout=1)
                except Empty:
                    if not self.child.is_alive():
                        raise BuildError(f"El generador de la muestra terminó sin escribir todos los archivos "
                                         f"(código {self.child.exitcode})") from None
                    continue
                if item is None:
                    return
                if item[0] == "error":
                    raise BuildError(f"El generador de la muestra falló: {item[1]}")
                yield Path(item[1]), item[2]
        finally:
            if self.child.is_alive():
                self.child.terminate()
            self.child.join(10)
