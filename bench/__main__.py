"""`python -m bench [--warehouse PATH] [--no-pdf]`: print timings of the exports on this machine."""
from __future__ import annotations

import argparse
import os
import platform
import sys

from warehouse.paths import ROOT, warehouse_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="Tiempos del Tablero SPSU en esta máquina.")
    parser.add_argument("--warehouse", help="Almacén (por defecto $SPSU_WAREHOUSE, si no tests/artifacts/sample.duckdb).")
    parser.add_argument("--no-pdf", action="store_true", help="No medir la conversión a PDF.")
    args = parser.parse_args(argv)
    path = args.warehouse or os.environ.get("SPSU_WAREHOUSE") or ROOT / "tests" / "artifacts" / "sample.duckdb"
    path = warehouse_path(path)
    if not path.exists():
        print(f"No existe el almacén {path}: ejecute `python -m warehouse build --sample --warehouse {path}`.",
              file=sys.stderr)
        return 1

    from bench.deck import TARGET_SECONDS, bench_deck, bench_images
    from bench.warehouse import bench_warehouse
    from reports.images import browser_path
    print(f"Máquina: {platform.machine()}, {os.cpu_count()} núcleos, Python {platform.python_version()}")
    print(f"Almacén: {path}")
    print("Almacén de muestra y método:")
    print("\n".join(bench_warehouse(path)))
    if browser_path() is None:
        print("Sin Chromium: no se pueden medir las imágenes ni la presentación.")
        return 1
    print("Presentación semanal (semana en revisión):")
    lines, total = bench_deck(path, pdf=not args.no_pdf)
    print("\n".join(lines))
    print("Imágenes de gráficos (kaleido, un navegador por proceso):")
    print("\n".join(bench_images()))
    verdict = "dentro" if total < TARGET_SECONDS else "FUERA"
    print(f"Objetivo: construir la presentación en menos de {TARGET_SECONDS:.0f} s (sin PDF): {verdict} "
          f"({total:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
