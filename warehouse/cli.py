"""Command line: python -m warehouse {build,info,export,users} (a contract: other tools call these)."""
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
    _add_users_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "users":
        return users_command(args)
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


def _add_users_parser(sub) -> None:
    users = sub.add_parser("users", help="usuarios del tablero (archivo $SPSU_USERS, por omisión data/users.toml)")
    actions = users.add_subparsers(dest="users_command", required=True)
    add = actions.add_parser("add", help="agrega un usuario o cambia su rol y contraseña")
    add.add_argument("name")
    add.add_argument("--role", required=True, help="direccion, analista, municipal o admin")
    add.add_argument("--municipality", help="código DIGESTYC del municipio (obligatorio para el rol municipal)")
    add.add_argument("--password-stdin", action="store_true", required=True,
                     help="lee la contraseña de la entrada estándar (nunca en la línea de comandos)")
    add.add_argument("--warehouse", help="almacén donde se comprueba el municipio")
    add.add_argument("--users")
    listing = actions.add_parser("list", help="lista los usuarios (sin contraseñas)")
    listing.add_argument("--users")
    remove = actions.add_parser("remove", help="quita un usuario")
    remove.add_argument("name")
    remove.add_argument("--users")


def users_command(args) -> int:
    """users add|list|remove: 0 done, 2 refused (the reason on stderr, in Spanish), 3 warehouse busy."""
    from warehouse import users
    path = users.users_path(args.users)
    try:
        if args.users_command == "add":
            password = sys.stdin.readline().rstrip("\r\n")
            user = users.add_user(args.name, args.role, password, args.municipality, path=path,
                                  warehouse=args.warehouse)
            where = f", municipio {user.municipality}" if user.municipality else ""
            print(f"Usuario «{user.name}» guardado con rol {user.role}{where} en {path}.")
        elif args.users_command == "list":
            listed = users.load_users(path)
            if not listed:
                print(f"No hay usuarios en {path}: el tablero funciona en modo de demostración.")
            for user in sorted(listed.values(), key=lambda u: u.name):
                print(f"{user.name}\t{user.role}\t{user.municipality or '-'}\t{user.created_at or '-'}")
        elif args.users_command == "remove":
            users.remove_user(args.name, path=path)
            print(f"Usuario «{users.normalize_name(args.name)}» eliminado de {path}.")
    except users.UserError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 2
    except WarehouseMissing as exc:
        print(f"Error: no se puede comprobar el municipio: {exc}", file=sys.stderr)
        return 2
    except WarehouseBusy as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 3
    return 0
