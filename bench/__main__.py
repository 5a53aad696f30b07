"""`python -m bench --scale S [--json]`: build a warehouse S times the sample through the generator
and the loaders, then print one table of load, write, page-query, SQLite, render, cold-start and RSS
figures beside issue 10's targets (`--json`: one JSON document on stdout, nothing else; progress
goes to stderr). Without --scale: `python -m bench --deck [--warehouse PATH]` times the weekly deck."""
from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from warehouse.paths import ROOT


def _log(*args) -> None:
    print(*args, file=sys.stderr, flush=True)


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    if len(xs) == 1:
        return xs[0]
    k = (len(xs) - 1) * q
    lo = int(k)
    return xs[lo] + (xs[min(lo + 1, len(xs) - 1)] - xs[lo]) * (k - lo)


def run(scale: float, runs: int, budget_s: float, workdir: Path, keep: Path | None, write_runs: int = 3) -> dict:
    from bench import build, coldstart, ops, pages, report, sqlite

    warehouse = keep or workdir / "bench.duckdb"
    os.environ["SPSU_WAREHOUSE"] = str(warehouse)
    _log(f"Construyendo el almacén a escala {scale} en {warehouse} ...")
    built = build.build_scaled(warehouse, scale, workdir)
    loads = built["loads"]
    kinds = {k: sum(x["rows_read"] for x in loads if x["kind"] == k) for k in
             ("indicators", "targets", "measurements", "budget")}
    fact_rows = sum(x["rows_read"] for x in loads)
    load_s = sum(x["seconds"] for x in loads)
    _log("Escrituras pequeñas e inserción directa ...")
    raw = ops.raw_insert(warehouse, workdir)
    writes = ops.small_writes(warehouse, workdir, write_runs)
    _log("Carga de una semana y su reversión ...")
    week = ops.week_load(warehouse, workdir)
    _log("Suelo de lectura completa ...")
    floor = ops.scan_floor(warehouse, runs)
    floor_p50 = statistics.median(floor)
    _log("Páginas bajo AppTest (1.ª vez y después) ...")
    page_runs = pages.record_pages(log=_log)
    _log("SQLite ...")
    lite_db = workdir / "bench.sqlite"
    lite_queries = sqlite.page_queries(warehouse, {p.page: p.queries for p in page_runs})
    names = sqlite.create_tables(warehouse, lite_db, [sql for qs in lite_queries.values() for sql, _ in qs])
    reasons = {p.page: sqlite.unparsable(lite_db, lite_queries[p.page]) for p in page_runs}
    needed = sqlite.tables_read([sql for p in page_runs if reasons[p.page] is None for sql, _ in lite_queries[p.page]],
                                dict.fromkeys(names, ""))
    lite_copy = sqlite.fill_tables(warehouse, lite_db, needed, log=_log) if needed else {"tables": {}, "seconds": 0}
    result_pages = {}
    for p in page_runs:
        _log(f"  consultas de {p.title} x{runs} ...")
        warm = pages.replay(warehouse, p.queries, runs, budget_s) if p.queries else [0.0]
        lite = None
        if reasons[p.page] is None and p.queries:
            lt = sqlite.replay(lite_db, lite_queries[p.page], max(3, runs // 4), budget_s)
            rows_only = sqlite.replay(lite_db, lite_queries[p.page], max(3, runs // 4), budget_s, frame=False)
            lite = dict(p50=statistics.median(lt), runs=len(lt), ratio=statistics.median(lt) / max(statistics.median(warm), 1e-9),
                        rows_p50=statistics.median(rows_only))
        result_pages[p.page] = dict(
            title=p.title, queries=len(p.queries), cold=p.cold_s, p50=statistics.median(warm), p95=_pct(warm, 0.95),
            runs=len(warm), floor_ratio=_pct(warm, 0.95) / floor_p50, sqlite=lite,
            sqlite_na=None if lite else (reasons[p.page] or "la página no hace consultas"),
            render_first=p.render_first_s, render_warm=p.render_warm_s, errors=[str(e)[:200] for e in p.errors])
    _log("Arranque en frío del tablero ...")
    cold = coldstart.cold_start(warehouse)
    return dict(
        scale=scale, date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), machine=report.machine(),
        command="python -m bench --scale " + f"{scale:g}",
        rows=dict(kinds, warehouse_mb=round(built["warehouse_mb"], 1)),
        load=dict(rows=fact_rows, seconds=load_s, files=len(loads), rows_per_s=fact_rows / load_s,
                  generate_seconds=built["generate_seconds"], raw_insert_rows_per_s=raw["rows_per_s"],
                  raw_insert_rows=raw["rows"], per_file=loads),
        small_writes=writes,
        week_load=week,
        scan_floor=dict(p50=floor_p50, p95=_pct(floor, 0.95), runs=len(floor)),
        pages=result_pages,
        sqlite=dict(copy_seconds=lite_copy["seconds"], tables=lite_copy["tables"]),
        cold_start=cold,
        rss=dict(loader_mb=built["peak_rss_mb"], app_mb=cold["app_peak_rss_mb"]),
    )


@contextlib.contextmanager
def _stdout_to_stderr():
    """Everything written to stdout (also by libraries, at the file-descriptor level) goes to stderr."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        with contextlib.redirect_stdout(sys.stderr):
            yield os.fdopen(os.dup(saved), "w")
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Tiempos del Tablero SPSU en esta máquina.")
    parser.add_argument("--scale", type=float, help="S veces la muestra (0.1 pequeña; 47: unos 10 M de mediciones)")
    parser.add_argument("--json", action="store_true", help="un documento JSON en stdout y nada más")
    parser.add_argument("--runs", type=int, default=20, help="ejecuciones en caliente por página (20)")
    parser.add_argument("--write-runs", type=int, default=3,
                        help="veces que se miden la carga de 1 fila, su reversión y un acuerdo (3: mediana y rango)")
    parser.add_argument("--budget", type=float, default=120.0,
                        help="segundos máximos por página para repetir sus consultas (menos ejecuciones si no)")
    parser.add_argument("--keep", help="deja el almacén construido en esta ruta")
    parser.add_argument("--table", metavar="JSON", help="vuelve a imprimir la tabla de un resultado --json guardado")
    parser.add_argument("--growth", nargs="+", metavar="JSON", help="tabla de crecimiento entre escalas (docs/scaling.md)")
    parser.add_argument("--deck", action="store_true", help="sin --scale: tiempos de la presentación semanal")
    parser.add_argument("--warehouse", help="con --deck: almacén a usar")
    parser.add_argument("--no-pdf", action="store_true", help="con --deck: no medir la conversión a PDF")
    args = parser.parse_args(argv)
    if args.table:
        from bench.report import table
        print(table(json.loads(Path(args.table).read_text(encoding="utf-8"))))
        return 0
    if args.growth:
        from bench.report import growth_table
        print(growth_table([json.loads(Path(f).read_text(encoding="utf-8")) for f in args.growth]))
        return 0
    if args.scale is None:
        if not args.deck:
            parser.error("indique --scale S (o --deck)")
        return _deck(args)
    started = time.perf_counter()
    with _stdout_to_stderr() as out, tempfile.TemporaryDirectory(prefix="spsu_bench_") as tmp:
        result = run(args.scale, args.runs, args.budget, Path(tmp), Path(args.keep) if args.keep else None,
                     args.write_runs)
        result["bench_seconds"] = time.perf_counter() - started
        if args.json:
            out.write(json.dumps(result, ensure_ascii=False, indent=1, default=str) + "\n")
        else:
            from bench.report import table
            out.write(table(result) + "\n")
        out.flush()
    return 0


def _deck(args) -> int:
    import platform

    from warehouse.paths import warehouse_path

    path = warehouse_path(args.warehouse or os.environ.get("SPSU_WAREHOUSE") or ROOT / "tests" / "artifacts" / "sample.duckdb")
    if not path.exists():
        print(f"No existe el almacén {path}: ejecute `python -m warehouse build --sample --warehouse {path}`.",
              file=sys.stderr)
        return 1
    from bench.deck import TARGET_SECONDS, bench_deck, bench_images
    from reports.images import browser_path
    print(f"Máquina: {platform.machine()}, {os.cpu_count()} núcleos, Python {platform.python_version()}")
    print(f"Almacén: {path}")
    if browser_path() is None:
        print("Sin Chromium: no se pueden medir las imágenes ni la presentación.")
        return 1
    print("Presentación semanal (semana en revisión):")
    lines, total = bench_deck(path, pdf=not args.no_pdf)
    print("\n".join(lines))
    print("Imágenes de gráficos (kaleido, un navegador por proceso):")
    print("\n".join(bench_images()))
    verdict = "dentro" if total < TARGET_SECONDS else "FUERA"
    print(f"Objetivo: construir la presentación en menos de {TARGET_SECONDS:.0f} s (sin PDF): {verdict} ({total:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
