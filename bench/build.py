"""A warehouse S times the sample, built through the sample generator and the product's loaders.

`build_scaled` writes the files (sample.scale) and loads them in a child process
(`python -m bench.build WAREHOUSE FILES.json`), so the loader's peak RSS is its own. Every file goes
through `loaders.load_file` as a ministry upload would (read, validate, write); only the last load
materialises what the product derives after a load (today the weekly snapshots), as `build --sample`
does, so its time is part of the end-to-end figure.
"""
from __future__ import annotations

import inspect
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from warehouse.paths import ROOT


def _new_warehouse(path: Path) -> None:
    from warehouse.reference import seed_reference
    from warehouse.store import write_transaction

    with write_transaction(path) as con:
        seed_reference(con)
        con.execute("INSERT OR REPLACE INTO meta VALUES ('is_sample', 'true')")


def load_all(path: Path, files: list[tuple[str, str]]) -> dict:
    """Child side: create the warehouse, load every file in order; timings and own peak RSS."""
    from loaders import load_file

    started = time.perf_counter()
    _new_warehouse(path)
    setup = time.perf_counter() - started
    can_defer = "refresh_snapshots" in inspect.signature(load_file).parameters
    loads = []
    for i, (file, kind) in enumerate(files):
        last = i == len(files) - 1
        kwargs = {"refresh_snapshots": last} if can_defer else {}
        t0 = time.perf_counter()
        result = load_file(Path(file), kind, warehouse=path, loaded_by="bench", **kwargs)
        took = time.perf_counter() - t0
        if result.exit_code not in (0, 1):
            raise SystemExit(f"load of {file} failed: {[p for p in result.problems[:3]]}")
        loads.append(dict(kind=kind, file=Path(file).name, rows_read=result.rows_read,
                          rows_loaded=result.rows_loaded, quarantined=result.rows_quarantined,
                          seconds=took))
        print(f"  {kind:<13} {Path(file).name:<32} {result.rows_read:>9,} filas {took:7.1f} s", file=sys.stderr)
    return dict(setup_seconds=setup, loads=loads, seconds=time.perf_counter() - started,
                peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def build_scaled(path: Path, scale: float, workdir: Path) -> dict:
    """Write the files at `scale` and load them into a new warehouse at `path` (child process)."""
    from sample.scale import write_scaled_sample

    t0 = time.perf_counter()
    files = write_scaled_sample(workdir / "files", scale)
    generate = time.perf_counter() - t0
    listing = workdir / "files.json"
    listing.write_text(json.dumps([(str(p), k) for p, k in files]))
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "bench.build", str(path), str(listing)], cwd=ROOT, env=env,
                          stdout=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"bench build failed (exit {proc.returncode})")
    out = json.loads(proc.stdout)
    out["generate_seconds"] = generate
    out["warehouse_mb"] = Path(path).stat().st_size / 1e6
    return out


def main(argv: list[str]) -> int:
    path, listing = Path(argv[0]), Path(argv[1])
    files = [tuple(x) for x in json.loads(listing.read_text())]
    print(json.dumps(load_all(path, files)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
