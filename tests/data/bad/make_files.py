"""Binary and encoding cases of the bad-input corpus, written at test time (cases.toml: `generated = true`)."""
from __future__ import annotations

from pathlib import Path

import xlsxwriter

HEADER = ["Indicador", "Código Municipio", "Período", "Valor"]
ROWS = [["I2", "0102", "2014-05", "1"], ["I2", "0613", "2014-05", "2"]]


def _csv(rows: list[list[str]]) -> str:
    return "".join(",".join(r) + "\n" for r in [HEADER, *rows])


def _xlsx(path: Path, sheets: dict[str, list[list[str]]]) -> None:
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for i, row in enumerate(rows):
            ws.write_row(i, 0, row)
    wb.close()


def _utf8_stray_byte() -> bytes:
    head = "code,department,municipality\n0101,Ahuachapán,Ciudad de Ahuachapán\n0102,Ahuachapán,Apaneca (Ahuachapán)\n".encode()
    return head + b"0613,San Salvador,Mejicanos \xe1rea\n"       # one Windows-1252 byte in a UTF-8 file


FILES = {
    "utf8_stray_byte.csv": _utf8_stray_byte,
    "cp1252_undefined_byte.csv": lambda: _csv([["I2", "0102", "2014-05", "1"]]).encode("cp1252")
    + b"I2,0613,2014-05,2\x81\n",
    "utf16_texto_unicode.txt": lambda: b"\xff\xfe" + "".join("\t".join(r) + "\r\n" for r in [HEADER, *ROWS])
    .encode("utf-16-le"),
    "binary_png.csv": lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50,
    "xlsx_damaged.xlsx": lambda: b"PK\x03\x04" + bytes(range(256)) * 8,
    "xlsx_protected.xlsx": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptionInfo".encode("utf-16-le")
    + bytes(1024),
    "xlsx_old_binary.xlsx": lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048),
}
WORKBOOKS = {
    "xlsx_other_sheet.xlsx": {"portada": [["Reporte de indicadores"]], "datos": [HEADER, *ROWS]},
    "xlsx_title_rows.xlsx": {"datos": [["Ministerio de Salud"], ["Reporte mensual"], HEADER, *ROWS]},
    "xlsx_header_repeated.xlsx": {"datos": [HEADER + ["Valor"], ROWS[0] + ["3"]]},
    "xlsx_good.xlsx": {"datos": [HEADER, *ROWS]},
}


def write_generated(folder: Path) -> None:
    """Write every generated case into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, make in FILES.items():
        (folder / name).write_bytes(make())
    for name, sheets in WORKBOOKS.items():
        _xlsx(folder / name, sheets)
