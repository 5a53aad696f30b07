"""Command line: load, validate, revert, template. Never prints a traceback."""
from __future__ import annotations

import argparse
import json
import re
import sys

from loaders.kinds import KINDS


# argparse's own errors, said in Spanish (the command line answers in the users' language)
ARGPARSE_ES = ((r"^argument ([^:]+): ", r"argumento \1: "), (r"invalid choice: (\S+) \(choose from (.*)\)",
               r"valor no válido: \1 (use uno de: \2)"), (r"the following arguments are required: ",
               "faltan los argumentos obligatorios: "), (r"unrecognized arguments: ", "argumentos no reconocidos: "),
               (r"expected one argument", "falta el valor"))


class SpanishParser(argparse.ArgumentParser):
    def error(self, message: str):
        for pattern, text in ARGPARSE_ES:
            message = re.sub(pattern, text, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"Error: {message}. Use --help para ver las opciones.\n")


def load_id(text: str) -> int:
    """A load number, refused in Spanish when it is not one."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» no es un número de carga (use el n.º que muestra la carga, "
                                         "p. ej. 12)") from None


def _parser() -> argparse.ArgumentParser:
    p = SpanishParser(prog="python -m loaders", description="Cargas de archivos al almacén del Tablero SPSU")
    sub = p.add_subparsers(dest="command", required=True)
    for name, text in (("load", "cargar un archivo"), ("validate", "validar un archivo sin cargarlo")):
        s = sub.add_parser(name, help=text)
        s.add_argument("file")
        s.add_argument("--kind", required=True, choices=KINDS)
        s.add_argument("--warehouse")
        s.add_argument("--sheet")
        s.add_argument("--json", action="store_true")
        if name == "load":
            s.add_argument("--user")
            s.add_argument("--no-snapshots", action="store_true")
    r = sub.add_parser("revert", help="revertir una carga completa",
                       description="Revierte una carga de hechos (mediciones, metas, presupuesto): borra sus filas y "
                                   "las versiones anteriores de esas claves vuelven a ser las vigentes. Se rechaza "
                                   "(código 2) si una carga posterior del mismo tipo tocó las mismas claves "
                                   "(las revisó o las dejó sin cambios): revierta antes esa carga.")
    r.add_argument("load_id", type=load_id)
    r.add_argument("--warehouse")
    r.add_argument("--user")
    r.add_argument("--json", action="store_true")
    t = sub.add_parser("template", help="escribir una plantilla XLSX vacía")
    t.add_argument("--kind", required=True, choices=KINDS)
    t.add_argument("--out", required=True)
    t.add_argument("--warehouse")
    return p


def _emit(as_json: bool, payload: dict, text: str) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=1, default=str) if as_json else text)


def _audit(action: str, args, detail: str) -> None:
    """The audit trail's row for a load or revert made at the command line (role 'linea_de_comandos')."""
    from loaders.api import default_user
    from warehouse.audit import try_record
    try_record(action, user=default_user(args.user), role="linea_de_comandos", detail=detail, path=args.warehouse)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    as_json = getattr(args, "json", False)
    try:
        if args.command in ("load", "validate"):
            from loaders.api import load_file, validate_file

            if args.command == "load":
                res = load_file(args.file, args.kind, args.warehouse, args.sheet, args.user,
                                refresh_snapshots=not args.no_snapshots)
            else:
                res = validate_file(args.file, args.kind, args.warehouse, args.sheet)
            if args.command == "load" and res.load_id is not None:
                _audit("load", args, f"carga n.º {res.load_id}: {res.file_name} ({res.kind}), {res.status}, "
                                     f"{res.rows_loaded} filas cargadas, {res.rows_quarantined} en cuarentena")
            _emit(as_json, res.to_dict(), res.to_text())
            return res.exit_code
        if args.command == "revert":
            from loaders.api import RevertError, revert
            from warehouse.store import WarehouseBusy

            try:
                res = revert(args.load_id, args.warehouse, args.user)
            except RevertError as exc:
                _emit(as_json, {"load_id": args.load_id, "status": "error", "exit_code": 2, "message": str(exc)},
                      f"Error: {exc}")
                return 2
            except WarehouseBusy as exc:
                _emit(as_json, {"load_id": args.load_id, "status": "busy", "exit_code": 3, "message": str(exc)},
                      f"Error: {exc}")
                return 3
            rows = f"{res.rows_deleted} fila{'' if res.rows_deleted == 1 else 's'} retirada{'' if res.rows_deleted == 1 else 's'}"
            _audit("revert", args, f"carga n.º {res.load_id}: {res.file_name} ({res.kind}), {rows}")
            _emit(as_json, res.to_dict(), f"Carga {res.load_id} ({res.file_name}, {res.kind}) revertida: {rows} "
                                          "(quedan en el historial; vuelven a valer las versiones anteriores).")
            return 0
        if args.command == "template":
            from loaders.template import write_template

            out = write_template(args.kind, args.out, args.warehouse)
            print(f"Plantilla escrita en {out}")
            return 0
    except KeyboardInterrupt:
        print("Interrumpido; no se cambió nada.", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
        detail = str(exc).splitlines()[0][:300] if str(exc) else type(exc).__name__
        msg = f"Error inesperado ({type(exc).__name__}): {detail}. El almacén no se modificó."
        _emit(as_json, {"status": "error", "exit_code": 2, "message": msg}, msg)
        return 2
    return 2
