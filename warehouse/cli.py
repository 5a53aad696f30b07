"""Command line: python -m warehouse {build,info,export} (a contract: other tools call these)."""
from __future__ import annotations

import argparse
import json
import sys

from warehouse.paths import warehouse_path
from warehouse.store import WarehouseBusy, WarehouseMissing


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m warehouse", description="Almacén DuckDB del Tablero SPSU")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="construye el almacén")
    build.add_argument("--sample", action="store_true", help="con los datos de muestra")
    build.add_argument("--warehouse")
    info = sub.add_parser("info", help="contenido del almacén")
    info.add_argument("--json", action="store_true")
    info.add_argument("--warehouse")
    backtest = sub.add_parser("backtest", help="back-test del pronóstico a la meta (precisión, exhaustividad, cobertura)")
    backtest.add_argument("--warehouse")
    export = sub.add_parser("export", help="exporta una tabla como CSV")
    from warehouse.export import EXPORTS
    export.add_argument("table", choices=EXPORTS)
    export.add_argument("--out", required=True)
    export.add_argument("--week", help="semana ISO, p. ej. 2014-W20 (solo progress)")
    export.add_argument("--warehouse")
    args = parser.parse_args(argv)
    path = warehouse_path(args.warehouse)
    try:
        if args.command == "build":
            if not args.sample:
                parser.error("por ahora solo existe 'build --sample'; los datos reales entran con 'python -m loaders load'")
            from warehouse.build import build_sample
            print(f"Construyendo el almacén de muestra en {path} ...")
            summary = build_sample(path)
            print(f"Listo: {summary['loads']} cargas en {summary['seconds']} s; "
                  f"instantáneas semanales {summary['snapshot_weeks'][0]}..{summary['snapshot_weeks'][-1]}"
                  if summary["snapshot_weeks"] else f"Listo en {summary['seconds']} s")
        elif args.command == "info":
            from warehouse.info import format_info, warehouse_info
            data = warehouse_info(path)
            print(json.dumps(data, ensure_ascii=False, indent=2, default=str) if args.json else format_info(data))
        elif args.command == "backtest":
            from warehouse.analytics.report import print_backtest
            print_backtest(path)
        elif args.command == "export":
            from warehouse.export import export_csv
            n = export_csv(args.table, path, args.out, args.week)
            print(f"{n} filas exportadas a {args.out}")
    except WarehouseMissing as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except WarehouseBusy as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 3
    return 0
