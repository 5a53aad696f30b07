"""Upload handling for «Cargar datos»: keep the file, preview the validation, commit through the loader.

The page validates first (nothing written) and commits only when the analyst confirms, through the
same `loaders.load_file` the command line uses.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import polars as pl

from loaders import KINDS, LoadResult, load_file, validate_file
from loaders.report import Problem
from loaders.template import write_template
from warehouse.paths import warehouse_path
from warehouse.permissions import require
from warehouse.store import WarehouseBusy, WarehouseMissing

KIND_LABELS = {
    "measurements": "Mediciones de indicadores",
    "targets": "Metas (línea base y meta)",
    "budget": "Ejecución presupuestaria mensual",
    "indicators": "Indicadores (marco lógico)",
    "municipalities": "Municipios",
    "boundaries": "Límites municipales (GeoJSON)",
}
UPLOAD_KINDS = [k for k in KIND_LABELS if k in KINDS]
TEMPLATE_KINDS = [k for k in UPLOAD_KINDS if k != "boundaries"]   # a GeoJSON has no spreadsheet template
FILE_TYPES = ["csv", "xlsx", "parquet", "geojson", "json"]

STATUS_TEXT = {
    "ok": "Sin errores: todas las filas son válidas.",
    "partial": "Con errores: las filas con problemas irían a cuarentena; el resto se cargaría.",
    "rejected": "Archivo rechazado: no se puede cargar. Corrija el archivo y súbalo de nuevo.",
    "busy": "Almacén ocupado con otra carga: no se cambió nada. Intente de nuevo en unos minutos.",
}
COMMIT_TEXT = {
    "ok": "carga completa",
    "partial": "carga parcial (las filas con errores quedaron en cuarentena)",
    "rejected": "archivo rechazado: no se cargó nada",
    "busy": "almacén ocupado: no se cambió nada",
    "sin cambios": "el archivo ya se había cargado: no se cambió nada",
}


def save_upload(name: str, data: bytes) -> Path:
    """Write the upload to a fresh temporary folder under its original file name (the loader logs it)."""
    folder = Path(tempfile.mkdtemp(prefix="spsu_carga_"))
    path = folder / (Path(name).name or "archivo.csv")
    path.write_bytes(data)
    return path


def discard_upload(path: Path | str | None) -> None:
    if path:
        shutil.rmtree(Path(path).parent, ignore_errors=True)


def _busy(path: Path, kind: str, exc: Exception) -> LoadResult:
    return LoadResult(None, kind, path.name, "busy", 3,
                      problems=[Problem(path.name, None, None, None, "almacen_ocupado", str(exc))])


def preview(path: Path, kind: str, sheet: str | None = None, warehouse=None) -> LoadResult:
    """Read and validate only: what a load of this file would do. Writes nothing."""
    try:
        return validate_file(path, kind, warehouse_path(warehouse), sheet or None)
    except (WarehouseBusy, WarehouseMissing) as exc:
        return _busy(Path(path), kind, exc)


def commit(path: Path, kind: str, viewer, sheet: str | None = None, warehouse=None) -> LoadResult:
    """Load the file for real (one transaction, atomic swap) as `viewer`, whose name goes to the load
    log; a role that may not upload is refused (PermissionDenied) before anything is read. The load is
    recorded in the audit trail."""
    require(viewer, "upload")
    try:
        result = load_file(path, kind, warehouse_path(warehouse), sheet or None, loaded_by=viewer.name)
    except WarehouseBusy as exc:
        return _busy(Path(path), kind, exc)
    if result.load_id is not None:
        from ui.auth import audit
        audit("load", viewer.name, viewer.role, f"carga n.º {result.load_id}: {result.file_name} ({kind}), "
              f"{result.status}, {result.rows_loaded} filas cargadas, {result.rows_quarantined} en cuarentena")
    return result


def problems_frame(result: LoadResult) -> pl.DataFrame:
    """The report's problems as a table: file, row, column, value, rule, message, severity."""
    from ui.quality_text import rule_name
    schema = {"archivo": pl.String, "fila": pl.Int64, "columna": pl.String, "valor": pl.String,
              "motivo": pl.String, "mensaje": pl.String, "gravedad": pl.String}
    rows = [(p.file, p.row, p.column, None if p.value is None else str(p.value), rule_name(p.rule), p.message,
             p.severity) for p in result.problems]
    return pl.DataFrame(rows, schema=schema, orient="row")


def can_commit(report: LoadResult) -> bool:
    """A preview may be confirmed when the file was readable and at least one row is valid."""
    return report.status in ("ok", "partial") and report.rows_loaded > 0


def verdict(report: LoadResult) -> tuple[str, str]:
    """(level, Spanish sentence) summing up a preview: level is success, warning or error."""
    if report.status in ("ok", "partial") and report.rows_loaded == 0:
        return "error", ("Ninguna fila es válida: no hay nada que cargar. Corrija los problemas de la tabla "
                         "y suba el archivo de nuevo.")
    level = {"ok": "success", "partial": "warning"}.get(report.status, "error")
    return level, STATUS_TEXT.get(report.status, report.status)


def template_bytes(kind: str, warehouse=None) -> bytes:
    """The XLSX template of a kind (sheet 'datos' with headers and an example, sheet 'codigos')."""
    with tempfile.TemporaryDirectory(prefix="spsu_plantilla_") as folder:
        out = write_template(kind, Path(folder) / f"plantilla_{kind}.xlsx", warehouse_path(warehouse))
        return out.read_bytes()
