"""Load results and problems, and their Spanish text rendering."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from loaders.errors import clip

MAX_VALUE = 80        # characters of a value quoted in a message

STATUS_TEXT = {"ok": "carga completa", "partial": "carga parcial (filas en cuarentena)",
               "rejected": "archivo rechazado", "busy": "almacén ocupado", "valid": "validación sin errores",
               "sin cambios": "sin cambios (el archivo ya se había cargado)"}


@dataclass
class Problem:
    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    message: str
    severity: str = "error"      # error (row quarantined / file rejected) or warning


@dataclass
class LoadResult:
    load_id: int | None
    kind: str
    file_name: str
    status: str                   # ok | partial | rejected | busy | sin cambios
    exit_code: int
    rows_read: int = 0
    rows_loaded: int = 0
    rows_unchanged: int = 0
    rows_quarantined: int = 0
    problems: list[Problem] = field(default_factory=list)
    note: str | None = None       # e.g. why nothing was written ('sin cambios')
    seconds: dict[str, float] = field(default_factory=dict)   # wall time: prepare (reference, read, validate), warehouse (write transaction)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1, default=str)

    def to_text(self, max_problems: int = 200) -> str:
        lines = [f"Archivo: {self.file_name} (tipo {self.kind})",
                 f"Resultado: {STATUS_TEXT.get(self.status, self.status)} — código de salida {self.exit_code}"]
        if self.load_id is not None:
            lines.append(f"Carga n.º {self.load_id}")
        if self.note:
            lines.append(self.note)
        lines.append(f"Filas leídas: {self.rows_read}; cargadas: {self.rows_loaded}; sin cambios: "
                     f"{self.rows_unchanged}; en cuarentena: {self.rows_quarantined}")
        if self.problems:
            lines.append(f"Problemas ({len(self.problems)}):")
            for p in self.problems[:max_problems]:
                lines.append("  - " + p.message)
            if len(self.problems) > max_problems:
                lines.append(f"  ... y {len(self.problems) - max_problems} problemas más (use --json para verlos todos)")
        return "\n".join(lines)


def describe(file: str, row, column, value, rule: str, text: str) -> str:
    """One Spanish sentence naming file, row, column, value and rule (at most loaders.errors.MAX_MESSAGE
    characters; the value quoted at most MAX_VALUE)."""
    where = f"{file}"
    if row is not None:
        where += f", fila {row}"
    if column:
        where += f", columna '{column}'"
    shown = "" if value is None else f", valor '{clip(value, MAX_VALUE)}'"
    return clip(f"{where}{shown}: {text} (regla {rule})")
