"""Command line: `python -m reports weekly [--week 2014-W20] --out FILE.pptx [--pdf] [--warehouse PATH]` and
`python -m reports accountability --program CODE --year YYYY --out FILE.pdf [--version tecnica|ciudadana]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reports", description="Exportaciones del Tablero SPSU.")
    sub = parser.add_subparsers(dest="command", required=True)
    weekly = sub.add_parser("weekly", help="Presentación semanal de la reunión de seguimiento (PPTX, y PDF).")
    weekly.add_argument("--week", help="Semana ISO, p. ej. 2014-W20 (por defecto: la semana en revisión).")
    weekly.add_argument("--out", required=True, help="Archivo .pptx de salida.")
    weekly.add_argument("--pdf", action="store_true", help="También escribe el PDF (LibreOffice headless).")
    weekly.add_argument("--intervencion", choices=["CSU", "CSR", "ambas"], default="ambas",
                        help="Intervención de la presentación (por defecto: CSU y CSR).")
    weekly.add_argument("--depto", help="Código de departamento, p. ej. 06 (por defecto: todo el país).")
    weekly.add_argument("--warehouse", help="Almacén DuckDB (por defecto $SPSU_WAREHOUSE o data/warehouse.duckdb).")
    from reports.accountability_cli import add_parser, run as run_accountability
    add_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "accountability":
        return run_accountability(args, parser)

    from reports.deck import DeckError, build_weekly_deck, convert_to_pdf
    from reports.images import ExportUnavailable
    from warehouse.query import SYSTEM
    from warehouse.store import WarehouseMissing

    out = Path(args.out)
    if out.suffix.lower() != ".pptx":
        parser.error(f"--out debe terminar en .pptx (recibido: {out.name}).")
    timings: dict = {}
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        build_weekly_deck(args.week, SYSTEM, path=out, warehouse=args.warehouse, timings=timings,
                          intervention=args.intervencion, department=args.depto)
        print(f"Presentación escrita: {out} ({out.stat().st_size / 1e6:.1f} MB, {timings['total']:.1f} s)")
        if args.pdf:
            pdf = convert_to_pdf(out)
            print(f"PDF escrito: {pdf}")
    except (DeckError, ExportUnavailable, WarehouseMissing) as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
