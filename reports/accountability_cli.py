"""`python -m reports accountability --program CODE --year YYYY --out FILE.pdf [--version tecnica|ciudadana]`."""
from __future__ import annotations

import os
import sys
from pathlib import Path


def add_parser(sub) -> None:
    p = sub.add_parser("accountability", help="Rendición de cuentas de un programa y un año (PDF).")
    p.add_argument("--program", required=True, help="Código del programa, p. ej. CSR-BONO.")
    p.add_argument("--year", required=True, type=int, help="Año, p. ej. 2013.")
    p.add_argument("--out", required=True, help="Archivo .pdf de salida.")
    p.add_argument("--version", choices=("tecnica", "ciudadana"), default="tecnica",
                   help="tecnica (informe completo, por defecto) o ciudadana (una página, lenguaje sencillo).")
    p.add_argument("--warehouse", help="Almacén DuckDB (por defecto $SPSU_WAREHOUSE o data/warehouse.duckdb).")


def run(args, parser) -> int:
    from reports.accountability import ReportError, write_report
    from warehouse.query import Viewer
    from warehouse.store import WarehouseMissing

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        parser.error(f"--out debe terminar en .pdf (recibido: {out.name}).")
    viewer = Viewer(role="direccion", name=os.environ.get("SPSU_USER", "informe"))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        write_report(args.program.strip().upper(), args.year, out, viewer, args.version, args.warehouse)
    except (ReportError, WarehouseMissing) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"Informe escrito: {out} ({out.stat().st_size / 1e3:.0f} kB)")
    return 0
