"""Warehouse figures: building the sample through the loaders, one small load, the method."""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

BUILD_TARGET_SECONDS = 60.0


def _line(label: str, seconds: float) -> str:
    return f"  {label:<44} {seconds:6.2f} s"


def bench_warehouse(sample: Path) -> list[str]:
    """Time `build --sample`, a one-row load into a copy, and the method at the as-of date."""
    import duckdb

    from loaders import load_file
    from warehouse.build import build_sample

    lines = []
    with tempfile.TemporaryDirectory(prefix="spsu_bench_") as tmp:
        target = Path(tmp) / "w.duckdb"
        start = time.perf_counter()
        build_sample(target, log=lambda *_: None)
        took = time.perf_counter() - start
        verdict = "dentro" if took < BUILD_TARGET_SECONDS else "FUERA"
        lines.append(_line(f"build --sample (objetivo < {BUILD_TARGET_SECONDS:.0f} s: {verdict})", took))
        lines.append(f"  tamaño del almacén: {target.stat().st_size / 1e6:.1f} MB")
        with duckdb.connect(str(target), read_only=True) as con:
            as_of = con.execute("SELECT as_of FROM stg_as_of").fetchone()[0]
            row = con.execute("SELECT indicator_code, scope_code, period, value FROM measurements "
                              "WHERE scope_code <> 'national' AND value IS NOT NULL LIMIT 1").fetchone()
            start = time.perf_counter()
            n = con.execute("SELECT count(*) FROM mart_progress_asof(?)", [as_of]).fetchone()[0]
            lines.append(_line(f"método a la fecha de corte ({n:,} filas)", time.perf_counter() - start))
        one = Path(tmp) / "una_fila.csv"
        one.write_text("Código Municipio,Indicador,Período,Valor,Fecha de reporte\n"
                       f"{row[1]},{row[0]},{row[2]},{row[3] + 1},{as_of.isoformat()}\n", encoding="utf-8")
        start = time.perf_counter()
        load_file(one, "measurements", warehouse=target, loaded_by="bench")
        lines.append(_line("carga de una fila (con instantáneas)", time.perf_counter() - start))
    return lines
