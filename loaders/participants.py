"""The `participants` kind (anonymized RUP extract): parse the programs received and write households.

`programs` holds the programs a household received with the date it first received each:
`CODE:YYYY-MM-DD|CODE:YYYY-MM-DD` (a date may also be dd/mm/yyyy; empty = none). It is parsed into
a list of (program_code, received_at); a list that does not parse, or names a program not in the
catalogue, flags the row (`_programs_ok`, quarantined by the suite). A load replaces the households
it carries (key `household_id`); households not in the file stay as they were. The load then
re-materialises `coverage_published` in the same transaction.
"""
from __future__ import annotations

import polars as pl

ENTRY_SEPARATOR = "|"
PROGRAM_LIST = pl.List(pl.Struct({"program_code": pl.String, "received_at": pl.Date}))
COLUMNS = ["household_id", "municipality_code", "intervention", "area", "territory", "vulnerability_score",
           "registered_at", "programs", "is_sample"]


def _entry_date(text: pl.Expr) -> pl.Expr:
    return pl.coalesce(text.str.to_date("%Y-%m-%d", strict=False), text.str.to_date("%d/%m/%Y", strict=False))


def derive(frame: pl.DataFrame, program_codes: list[str]) -> pl.DataFrame:
    """Parsed `programs` list, `_programs_ok` and `_registration_year` for the suite."""
    entries = (frame.select("_row", "programs")
               .with_columns(_entry=pl.col("programs").str.split(ENTRY_SEPARATOR))
               .explode("_entry")
               .with_columns(_entry=pl.col("_entry").str.strip_chars())
               .filter(pl.col("_entry").is_not_null() & (pl.col("_entry") != ""))
               .with_columns(_code=pl.col("_entry").str.extract(r"^\s*([^:\s]+)\s*:", 1).str.to_uppercase(),
                             _date=_entry_date(pl.col("_entry").str.extract(r":\s*(\S+)\s*$", 1))))
    entries = entries.with_columns(_ok=pl.col("_code").is_in(program_codes) & pl.col("_date").is_not_null())
    per_row = entries.sort("_row", "_date").group_by("_row").agg(
        _ok=pl.col("_ok").all(),
        _list=pl.struct(program_code="_code", received_at="_date").filter(pl.col("_ok")))
    out = frame.join(per_row, on="_row", how="left", maintain_order="left")
    return out.with_columns(       # the parsed list stays out of the GX frame ('_' columns are not validated)
        _program_list=pl.col("_list").fill_null(pl.lit([], dtype=PROGRAM_LIST)).cast(PROGRAM_LIST),
        _programs_ok=pl.when(pl.col("_ok").is_not_null()).then(pl.col("_ok")),
        _registration_year=pl.col("registered_at").dt.year(),
    ).drop("_list", "_ok")


def write(con, prep, load_id: int) -> tuple[int, int]:
    """INSERT OR REPLACE the valid households; (rows written, rows unchanged)."""
    loaded = unchanged = 0
    for part in prep.iter_valid():
        chunk = part.drop("programs").rename({"_program_list": "programs"}).select(["_row", *COLUMNS]).with_columns(pl.col("is_sample").fill_null(False),
                                                             load_id=pl.lit(load_id, dtype=pl.Int64))
        con.register("_incoming", chunk.to_arrow())
        try:
            same = " AND ".join(f"i.{c} IS NOT DISTINCT FROM p.{c}" for c in COLUMNS[1:])
            con.execute(f"""CREATE OR REPLACE TEMP TABLE _same AS SELECT i._row FROM _incoming i
                            JOIN participants p ON p.household_id = i.household_id WHERE {same}""")
            con.execute(f"INSERT OR REPLACE INTO participants BY NAME SELECT {', '.join(COLUMNS)}, load_id "
                        "FROM _incoming WHERE _row NOT IN (SELECT _row FROM _same)")
            n_same = con.execute("SELECT count(*) FROM _same").fetchall()[0][0]
            con.execute("DROP TABLE _same")
        finally:
            con.unregister("_incoming")
        unchanged += n_same
        loaded += chunk.height - n_same
    refresh_coverage(con)
    return loaded, unchanged


def refresh_coverage(con) -> None:
    """Materialise the published coverage cells (warehouse/sql/60_mart_coverage.sql) after a load."""
    con.execute("CREATE OR REPLACE TABLE coverage_published AS SELECT * FROM mart_coverage_published")
